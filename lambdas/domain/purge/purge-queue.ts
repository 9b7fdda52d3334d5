import type { RecordRef } from '#domain/records/record';

/** A soft-deleted record whose 60 days are over (ids only). */
export interface DueDeletion {
  readonly accountId: string;
  readonly ref: RecordRef;
}

/** The soft-deleted records of the region waiting for the purge, by the day they are due. */
export interface PurgeQueue {
  /**
   * One page of the records due at or before `before` (ISO), soonest first, after `cursor` (from the
   * previous page); `cursor` is absent on the last page. Costs what the page holds, not the table size.
   */
  duePage(
    before: string,
    page: { readonly limit: number; readonly cursor?: string },
  ): Promise<{ due: DueDeletion[]; cursor?: string }>;
}
