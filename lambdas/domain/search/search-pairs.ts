import type { LookupTerm } from './query-plan.ts';
import type { LookupEntry } from './search-document.ts';
import type { SearchResource } from './search-fields.ts';

/**
 * Pair lookups (docs/search.md, "Pair lookups"): the single-valued fields integrations filter on
 * together most, whose values a record also holds two at a time, one equality lookup item per pair of
 * them. `agent_id:7 AND group_id:3` then reads the few records holding both (tens), not the 500 of
 * the agent checked against the group. Each record holds every pair of its resource's fields (6 for
 * tickets), always within `maxSearchLookups`, so a pair lookup finds every record a query of the two
 * terms finds.
 */
export const pairedSearchFields: Readonly<Record<SearchResource, readonly string[]>> = {
  tickets: ['agent_id', 'group_id', 'status', 'priority'],
  contacts: [],
  companies: [],
};

/** A value a paired field holds or a term asks for: an id or code, or null ("no value"). */
type PairedValue = LookupEntry['value'];

/** One pair of fields, in the order of `pairedSearchFields`, and the name of its lookup. */
export interface FieldPair {
  readonly fields: readonly [string, string];
  readonly name: string;
}

export const pairNameOf = (first: string, second: string) => `${first}+${second}`;

/** Every pair of a resource's paired fields. */
export function fieldPairsOf(resource: SearchResource): FieldPair[] {
  const fields = pairedSearchFields[resource];
  return fields.flatMap((first, index) =>
    fields
      .slice(index + 1)
      .map((second) => ({ fields: [first, second] as const, name: pairNameOf(first, second) })),
  );
}

/** The value a pair lookup item holds: both fields' values, as JSON. */
export const pairValueOf = (values: readonly [PairedValue, PairedValue]) => JSON.stringify(values);

/** The pair lookups a record holds, by pair name: from its lookup entries (one per paired field). */
export function pairEntriesOf(
  resource: SearchResource,
  entries: readonly LookupEntry[],
): { name: string; value: string }[] {
  const held = new Map<string, PairedValue[]>();
  for (const entry of entries) held.set(entry.field, [...(held.get(entry.field) ?? []), entry.value]);
  const single = (field: string) => {
    const values = held.get(field);
    return values?.length === 1 ? values : undefined;
  };
  return fieldPairsOf(resource).flatMap(({ fields: [first, second], name }) => {
    const [left] = single(first) ?? [];
    const [right] = single(second) ?? [];
    if (left === undefined || right === undefined) return [];
    return [{ name, value: pairValueOf([left, right]) }];
  });
}

/** An alternative's terms with equality terms on paired fields joined into pair lookups. */
export interface PairedTerms {
  readonly pairs: readonly { name: string; value: string }[];
  readonly rest: readonly LookupTerm[];
}

const pairable = (term: LookupTerm) => term.op === 'eq' || term.op === 'null';

/**
 * Joins an alternative's equality (and `null`) terms on paired fields two at a time, in the order of
 * `pairedSearchFields` (ids before codes: the fewest records first); a field with two such terms (a
 * contradiction such as `status:2 AND status:3`) and a field left over stay single terms.
 */
export function pairTerms(resource: SearchResource, terms: readonly LookupTerm[]): PairedTerms {
  const candidates = pairedSearchFields[resource].flatMap((field) => {
    const onField = terms.filter((term) => term.field === field && pairable(term));
    return onField.length === 1 ? onField : [];
  });
  const pairs: { name: string; value: string }[] = [];
  const joined = new Set<LookupTerm>();
  for (let index = 0; index + 1 < candidates.length; index += 2) {
    const first = candidates[index] as LookupTerm;
    const second = candidates[index + 1] as LookupTerm;
    pairs.push({
      name: pairNameOf(first.field, second.field),
      value: pairValueOf([first.value, second.value]),
    });
    joined.add(first).add(second);
  }
  return { pairs, rest: terms.filter((term) => !joined.has(term)) };
}
