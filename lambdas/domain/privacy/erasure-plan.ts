import type { RecordRef, StoredRecord, SubjectRef } from '#domain/records/record';
import type { RecordStore } from '#domain/records/record-store';
import type { ErasureStore } from './erasure-store.ts';
import { type ErasureOperation, isTrashKept, type StoredPrivacyRequest } from './privacy-request.ts';
import { requestsOfSubject } from './subject-requests.ts';

/**
 * One line of an erasure's work: a linked record, or a record in an earlier soft erasure's trash;
 * `anonymised`: the trash entry is a contribution's pre-image (an agent's soft erasure), not a record.
 */
export interface WorkItem extends RecordRef {
  readonly trashOf?: number;
  readonly anonymised?: true;
}

/** One page of work at a time: pass the answered cursor back for the next (none: that was the last). */
export type WorkSource = (cursor?: string) => Promise<{ items: WorkItem[]; cursor?: string }>;

/**
 * What an operation of an erasure request works through, in order, by Query only (cost follows the
 * subject's size): an erasure takes the subject's links, the contact an agent grew from, and (when
 * permanent) the trash of the subject's earlier soft erasures; a restore or purge takes the request's
 * own trash. Shared by the erasure workflow and its preview.
 */
export async function erasureWorkSources(
  deps: { store: RecordStore; erasure: Pick<ErasureStore, 'trashPage'> },
  request: StoredPrivacyRequest,
  operation: ErasureOperation,
  pageSize: number,
): Promise<WorkSource[]> {
  const accountId = request.accountId;
  const subject: SubjectRef = { kind: request.fields.subject_type, id: request.fields.subject_id };
  const trashSource =
    (requestId: number, toPurge = true): WorkSource =>
    async (cursor) => {
      const trash = await deps.erasure.trashPage(accountId, requestId, { limit: pageSize, cursor });
      const items = trash.refs.map((ref): WorkItem => (toPurge ? { ...ref, trashOf: requestId } : ref));
      return { items, cursor: trash.cursor };
    };
  if (operation !== 'erase') {
    // A restore puts the request's own trash back; a purge ends it (work items naming the trash they are in).
    return [trashSource(request.ref.id, operation === 'purge')];
  }
  const sources: WorkSource[] = [
    async (cursor) => {
      const links = await deps.store.subjectLinks(accountId, subject, { limit: pageSize, cursor });
      return { items: links.refs, cursor: links.cursor };
    },
  ];
  if (subject.kind === 'agent')
    sources.push(async () => ({ items: await supersededContact(deps.store, accountId, subject) }));
  if (request.fields.mode === 'permanent') {
    for (const earlier of await heldTrashesOf(deps.store, accountId, subject))
      sources.push(trashSource(earlier));
  }
  return sources;
}

/**
 * Whether a record linked to an agent is wholly theirs: their profile (or the contact it grew from), or
 * a ticket they watch (a watch names no one else). Erasure deletes these; it anonymises the others.
 */
export const isAgentsOwn = (agentId: number, ref: RecordRef) =>
  (ref.id === agentId && (ref.type === 'agent' || ref.type === 'contact')) || ref.type === 'ticket_watch';

/** A contact record that lives on as this agent (made an agent) holds the agent's data too. */
async function supersededContact(
  store: RecordStore,
  accountId: string,
  agent: SubjectRef,
): Promise<WorkItem[]> {
  const contact = await store.get(accountId, { type: 'contact', id: agent.id });
  const supersededByAgent = contact?.supersededBy?.type === 'agent' && contact.supersededBy.id === agent.id;
  return supersededByAgent ? [{ type: 'contact', id: agent.id }] : [];
}

/** Earlier soft erasures of the subject whose trash is still held (a later permanent erasure purges it). */
async function heldTrashesOf(store: RecordStore, accountId: string, subject: SubjectRef): Promise<number[]> {
  const requests = await requestsOfSubject(store, accountId, subject);
  return requests
    .filter((request) => isTrashKept(request.fields.trash) || request.fields.trash?.state === 'purging')
    .map((request) => request.ref.id);
}

/** A work item's record as it stands: live (or soft-deleted), or in the earlier erasure's trash it names. */
export async function recordOfWork(
  deps: { store: RecordStore; erasure: Pick<ErasureStore, 'trashed'> },
  accountId: string,
  item: WorkItem,
): Promise<StoredRecord<object> | undefined> {
  const ref: RecordRef = { type: item.type, id: item.id };
  if (item.trashOf === undefined) return deps.store.get(accountId, ref);
  return (await deps.erasure.trashed(accountId, item.trashOf, ref))?.record;
}
