import type { RecordRef } from '#domain/records/record';

/**
 * Whether a legal hold covers a record (a contact, a ticket, the whole account): retention rules skip
 * what a hold covers. The legal-hold part of issue 15 provides `heldBy(accountId, ref)`; until it is
 * wired (see `retentionRuntime` in lambdas/workflows/retention/retention-runtime.ts and the preview in
 * lambdas/api/retention-policies.ts), nothing is held.
 */
export interface LegalHoldCheck {
  isHeld(accountId: string, ref: RecordRef): Promise<boolean>;
}

/** No record is held: the default until legal holds exist. */
export const noLegalHolds: LegalHoldCheck = { isHeld: async () => false };
