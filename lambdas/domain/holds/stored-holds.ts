import type { RecordRef } from '#domain/records/record';
import type { RecordStore } from '#domain/records/record-store';
import type { Hold, HeldRecords } from './held-records.ts';
import {
  type HoldTarget,
  holdsAt,
  holdTargetClaim,
  holdTargetKey,
  type LegalHoldFields,
  legalHoldRef,
  targetOfHold,
} from './legal-hold.ts';

/**
 * Holds as the record store keeps them: a hold claims its target as a unique value, so the question
 * "is this held?" is one GetItem on the claim, and one more on the hold it names.
 */
export class StoredHolds implements HeldRecords {
  constructor(private readonly store: RecordStore) {}

  accountHold(accountId: string, at: Date): Promise<Hold | undefined> {
    return this.holdOn(accountId, { type: 'account' }, at);
  }

  heldBy(accountId: string, ref: RecordRef, at: Date): Promise<Hold | undefined> {
    if (ref.type !== 'contact' && ref.type !== 'ticket') return Promise.resolve(undefined);
    return this.holdOn(accountId, { type: ref.type, id: ref.id }, at);
  }

  private async holdOn(accountId: string, target: HoldTarget, at: Date): Promise<Hold | undefined> {
    const id = await this.store.findByUniqueValue(
      accountId,
      'legal_hold',
      holdTargetClaim,
      holdTargetKey(target),
    );
    if (id === undefined) return undefined;
    const hold = await this.store.get<LegalHoldFields>(accountId, legalHoldRef(id));
    return hold && holdsAt(hold, at) ? { id, target: targetOfHold(hold.fields) } : undefined;
  }
}
