import type { RecordStore } from './record-store.ts';
import type { StoredRecord } from './record.ts';

/**
 * Every record listed under the parent keys (live or soft-deleted) that `where` accepts (all without
 * it), a page of up to 100 at a time, oldest first: what a cascade (a deletion, a restore, the purge)
 * walks through.
 */
export async function* pagesUnder(
  store: Pick<RecordStore, 'listByParent'>,
  accountId: string,
  keys: readonly string[],
  where?: (record: StoredRecord<object>) => boolean,
): AsyncGenerator<StoredRecord<object>[]> {
  for (const key of keys) {
    for (let cursor: string | undefined, more = true; more;) {
      const listed = await store.listByParent<object>(accountId, key, {
        page: 1,
        perPage: 100,
        cursor,
        oldestFirst: true,
        includeDeleted: true,
        where,
      });
      more = listed.hasMore;
      cursor = listed.next;
      yield listed.records;
    }
  }
}
