import { z } from 'zod';
import { prefixValueOf } from './prefix-value.ts';
import type { RecordStore } from './record-store.ts';
import type { RecordType, StoredRecord } from './record.ts';

/** Most suggestions one autocomplete answers. */
export const maxSuggestions = 30;

/**
 * Live records of a type whose prefix values `names` (fields, e.g. a contact's name and e-mail) begin
 * with the term, each once, in the order of their names: a Query per value name on the prefix lookups
 * written with the records (keyed hashes of the values' beginnings), never a Scan.
 */
export async function suggestByPrefix<F extends { name: string }>(
  store: RecordStore,
  accountId: string,
  type: RecordType,
  names: readonly string[],
  term: string,
): Promise<StoredRecord<F>[]> {
  const prefix = prefixValueOf(term);
  const found = await Promise.all(
    names.map((name) =>
      store.listByPrefix<F>(accountId, type, name, prefix, maxSuggestions, (record) => {
        const value = (record.fields as Record<string, unknown>)[name];
        return typeof value === 'string' && prefixValueOf(value).startsWith(prefix);
      }),
    ),
  );
  const unique = new Map(found.flat().map((record) => [record.ref.id, record]));
  const nameOf = (record: StoredRecord<F>) => prefixValueOf(record.fields.name);
  return [...unique.values()]
    .sort((a, b) => nameOf(a).localeCompare(nameOf(b)) || a.ref.id - b.ref.id)
    .slice(0, maxSuggestions);
}

/** A suggestion as Freshdesk v2's autocomplete answers it. */
export const suggestionViewSchema = z.strictObject({ id: z.number().int(), name: z.string() });
export const suggestionView = (
  record: StoredRecord<{ name: string }>,
): z.infer<typeof suggestionViewSchema> => ({
  id: record.ref.id,
  name: record.fields.name,
});
