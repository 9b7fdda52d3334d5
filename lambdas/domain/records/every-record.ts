import type { RecordStore } from './record-store.ts';
import type { RecordType, StoredRecord } from './record.ts';

/**
 * Every live record of a type that `where` accepts, read page after page with the list cursor (Queries
 * of the type index, never a Scan). Only for types an account holds few of (roles, sharing rules,
 * agents).
 */
export async function everyRecord<F extends object>(
  store: RecordStore,
  accountId: string,
  type: RecordType,
  where?: (record: StoredRecord<F>) => boolean,
): Promise<StoredRecord<F>[]> {
  const records: StoredRecord<F>[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.list<F>(accountId, type, { page: 1, perPage: 100, cursor, where });
    records.push(...page.records);
    cursor = page.hasMore ? page.next : undefined;
  } while (cursor);
  return records;
}
