import { collectionShards } from '#lib/platform/table-design';
import type { LookupHasher } from '#domain/encryption/lookup-hasher';
import type { RecordRef, RecordType, StoredRecord } from '#domain/records/record';
import type { RangeListOptions } from '#domain/records/record-store';
import { equalityPrefix } from '#domain/search/search-lookups';
import type { MergedListSpec } from './merged-list.ts';
import { lookupPk, rangeLookupPk, shardOf } from './record-keys.ts';

type Item = Record<string, unknown>;

/** Below every sortable value (ISO instants, `sortableNumber`): entries without a value merge last. */
const withoutValueMark = '\u0000';

/**
 * A list of live records in the order of a range value, read from search's range lookup items
 * (docs/search.md): the field's 8 shards (`sk = <sortable value>#<id>`) merged, and with
 * `withoutValue` the field's "no value" partition (`sk = <created_at>#<id>`) as a ninth, merged
 * below every value. The items hold ids only: the records are read by BatchGetItem as the list
 * reaches them (`prepare`), so `where` and the live check see whole records, and a page reads at most
 * what its entries name. Strongly consistent: the items are written in the record's own transaction.
 */
export function rangeOrderedList<F extends object>(
  accountId: string,
  type: RecordType,
  field: string,
  options: RangeListOptions<F>,
  read: (refs: readonly RecordRef[]) => Promise<StoredRecord<F>[]>,
  hasher: LookupHasher,
) {
  const records = new Map<number, StoredRecord<F> | null>();
  const idOf = (item: Item) => item.record_id as number;
  const load = async (items: readonly Item[]) => {
    const ids = [...new Set(items.map(idOf))].filter((id) => !records.has(id));
    if (ids.length === 0) return;
    const found = await read(ids.map((id) => ({ type, id })));
    for (const id of ids) records.set(id, null);
    for (const record of found) records.set(record.ref.id, record);
  };
  const partitions = Array.from({ length: collectionShards }, (_, shard) =>
    rangeLookupPk(accountId, type, field, shard),
  );
  if (options.withoutValue)
    partitions.push(lookupPk(accountId, type, `${equalityPrefix}${field}`, hasher.hash('null')));
  const spec: MergedListSpec = {
    accountId,
    keyName: 'pk',
    sortName: 'sk',
    partitions,
    oldestFirst: Boolean(options.ascending),
    consistentRead: true,
    belongs: (id, partition) => partition === collectionShards || shardOf(id) === partition,
    mergeKey: (item, partition) =>
      partition === collectionShards ? `${withoutValueMark}${String(item.sk)}` : String(item.sk),
    prepare: { ready: (item) => records.has(idOf(item)), load },
  };
  const accept = (item: Item) => {
    const record = records.get(idOf(item));
    // The lookup is written with the record, so it names a live one; the check is a safeguard.
    if (!record || record.deletedAt || record.supersededBy) return false;
    return !options.where || options.where(record);
  };
  return {
    spec,
    accept,
    /** The page's records, in the page's order. */
    records: async (items: readonly Item[]) => {
      await load(items);
      return items.map((item) => records.get(idOf(item))).filter((record) => record != null);
    },
  };
}
