import type { RecordStore } from './record-store.ts';
import type { StoredRecord } from './record.ts';

/**
 * Every record listed under the parent keys (live or soft-deleted), a page of up to 100 at a time,
 * oldest first: what a cascade (a deletion, a restore, the purge) walks through.
 */
export async function* pagesUnder(
  store: Pick<RecordStore, 'listByParent'>,
  accountId: string,
  keys: readonly string[],
): AsyncGenerator<StoredRecord<object>[]> {
  for (const key of keys) {
    for (let cursor: string | undefined, more = true; more;) {
      const listed = await store.listByParent<object>(accountId, key, {
        page: 1,
        perPage: 100,
        cursor,
        oldestFirst: true,
        includeDeleted: true,
      });
      more = listed.hasMore;
      cursor = listed.next;
      yield listed.records;
    }
  }
}
