import type { RecordRef } from '#domain/records/record';

/**
 * What a legal hold keeps from the purge: the purge asks, once per page and account, which of the
 * due records are held, and leaves those where they are (still soft-deleted, still in the queue).
 */
export interface HeldRecords {
  /** Those of `refs` (records of one account) a hold covers now. */
  heldAmong(accountId: string, refs: readonly RecordRef[]): Promise<RecordRef[]>;
}

/** Until legal holds exist, nothing is held. */
export const nothingHeld: HeldRecords = {
  heldAmong: async () => [],
};
