import { isDeepStrictEqual } from 'node:util';
import { changedFieldNames, type StoredRecord, type SubjectRef } from '#domain/records/record';
import { anonymisedFields } from './agent-anonymisation.ts';

/** What a restore writes back to a contribution: its pre-image exactly, some fields and links, or nothing. */
export type ContributionRestore =
  | { readonly kind: 'pre-image'; readonly changedFields: string[] }
  | {
      readonly kind: 'fields';
      readonly fields: Record<string, unknown>;
      readonly subjects: SubjectRef[];
      readonly changedFields: string[];
    }
  | { readonly kind: 'nothing' };

const isAgent = (agentId: number) => (subject: SubjectRef) =>
  subject.kind === 'agent' && subject.id === agentId;

/**
 * What restoring an agent's soft erasure writes back to a contribution it anonymised, from the
 * pre-image it kept. Untouched since (still the version the anonymisation wrote): the pre-image, item
 * for item. Edited since: only the fields the anonymisation changed that still hold what it wrote
 * (a field edited meanwhile keeps its edit), and the agent's subject link if the pre-image had it.
 */
export function contributionRestore(
  preImage: StoredRecord<object>,
  anonymisedVersion: number,
  current: StoredRecord<object>,
  agentId: number,
): ContributionRestore {
  const before = preImage.fields as Record<string, unknown>;
  const anonymised = anonymisedFields(preImage, agentId);
  const touched = changedFieldNames(before, anonymised);
  if (current.version === anonymisedVersion) return { kind: 'pre-image', changedFields: touched };
  const fields = { ...(current.fields as Record<string, unknown>) };
  const changedFields: string[] = [];
  for (const name of touched) {
    if (!isDeepStrictEqual(fields[name], anonymised[name])) continue;
    if (before[name] === undefined) delete fields[name];
    else fields[name] = before[name];
    changedFields.push(name);
  }
  const linked = preImage.subjects.some(isAgent(agentId)) && !current.subjects.some(isAgent(agentId));
  const subjects = linked ? [...current.subjects, { kind: 'agent' as const, id: agentId }] : current.subjects;
  if (changedFields.length === 0 && !linked) return { kind: 'nothing' };
  return { kind: 'fields', fields, subjects: [...subjects], changedFields: changedFields.sort() };
}
