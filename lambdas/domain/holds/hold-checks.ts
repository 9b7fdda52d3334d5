import type { HeldRecords as PurgeHolds } from '#domain/purge/held-records';
import type { RecordRef } from '#domain/records/record';
import type { RecordStore } from '#domain/records/record-store';
import type { LegalHoldCheck } from '#domain/retention/legal-hold-check';
import { type HeldRecords, holdCovering } from './held-records.ts';

/**
 * Whether a hold covers a record now, as erasure decides it: the account's hold, the hold of the ticket
 * the record belongs to, or of a contact it is or holds data of. Reads the record (soft-deleted ones
 * too) for its ticket and people; a record that is gone is judged by its ref alone.
 */
async function covered(
  holds: HeldRecords,
  records: RecordStore,
  accountId: string,
  ref: RecordRef,
  at: Date,
  options: { skipAccount?: boolean } = {},
): Promise<boolean> {
  const record = await records.get(accountId, ref);
  return (await holdCovering(holds, accountId, record ?? { ref }, at, options)) !== undefined;
}

/** Legal holds as retention rules ask: is this record held now? (It is then left where it is.) */
export function retentionHoldCheck(
  holds: HeldRecords,
  records: RecordStore,
  now: () => Date,
): LegalHoldCheck {
  return { isHeld: (accountId, ref) => covered(holds, records, accountId, ref, now()) };
}

/** Legal holds as the purge asks: which due records of one account a hold covers (they stay in the trash). */
export function purgeHoldCheck(holds: HeldRecords, records: RecordStore, now: () => Date): PurgeHolds {
  return {
    async heldAmong(accountId, refs) {
      const at = now();
      if (await holds.accountHold(accountId, at)) return [...refs];
      const held: RecordRef[] = [];
      for (const ref of refs) {
        if (await covered(holds, records, accountId, ref, at, { skipAccount: true })) held.push(ref);
      }
      return held;
    },
  };
}
