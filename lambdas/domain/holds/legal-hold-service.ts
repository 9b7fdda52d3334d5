import type { Principal } from '#domain/account';
import { ConflictError, ValidationError } from '#domain/errors';
import { RecordLifecycle } from '#domain/records/record-lifecycle';
import type { RecordStore } from '#domain/records/record-store';
import type { Paging } from '#domain/records/paging';
import {
  type CreateLegalHold,
  deriveLegalHold,
  type HoldTarget,
  holdsAt,
  holdTargetClaim,
  holdTargetKey,
  type LegalHoldFields,
  legalHoldRef,
  type StoredLegalHold,
} from './legal-hold.ts';

/** A second hold on a target already held: one hold per target, release it first. */
export class AlreadyHeldError extends ConflictError {
  constructor(holdId: number) {
    super(`The target is already under legal hold ${holdId}; release it first.`);
    this.name = 'AlreadyHeldError';
  }
}

/**
 * Legal holds an administrator places on a contact, a ticket or the whole account, and releases.
 * Placing and releasing are audited with field names only (the reason never leaves the hold).
 */
export class LegalHoldService {
  private readonly lifecycle: RecordLifecycle<LegalHoldFields>;

  constructor(private readonly deps: { store: RecordStore; now: () => Date }) {
    this.lifecycle = new RecordLifecycle(deps, deriveLegalHold, 'The target is already under a legal hold.');
  }

  async create(principal: Principal, input: CreateLegalHold): Promise<StoredLegalHold> {
    const now = this.deps.now();
    if (input.ends_at && Date.parse(input.ends_at) <= now.getTime()) {
      throw new ValidationError([
        { field: 'ends_at', message: 'It should be in the future', code: 'invalid_value' },
      ]);
    }
    const target: HoldTarget =
      input.target_type === 'account'
        ? { type: 'account' }
        : { type: input.target_type, id: input.target_id ?? 0 };
    await this.requireTarget(principal.accountId, target);
    await this.releaseEnded(principal, target, now);
    const id = await this.deps.store.nextSequence(principal.accountId, 'legal_hold');
    const at = now.toISOString();
    const record: StoredLegalHold = {
      accountId: principal.accountId,
      ref: legalHoldRef(id),
      version: 1,
      createdAt: at,
      updatedAt: at,
      fields: {
        target_type: target.type,
        target_id: target.type === 'account' ? null : target.id,
        reason: input.reason,
        ends_at: input.ends_at ? new Date(input.ends_at).toISOString() : null,
        placed_by: principal.agentId,
        released_at: null,
        released_by: null,
      },
      subjects: [],
    };
    return this.lifecycle.create(principal, record, Object.keys(record.fields));
  }

  get(principal: Principal, id: number): Promise<StoredLegalHold> {
    return this.lifecycle.get(principal, legalHoldRef(id));
  }

  list(principal: Principal, paging: Paging) {
    return this.deps.store.list<LegalHoldFields>(principal.accountId, 'legal_hold', paging);
  }

  /** Ends the hold now; releasing a released hold changes nothing. */
  async release(principal: Principal, id: number): Promise<StoredLegalHold> {
    const hold = await this.get(principal, id);
    if (hold.fields.released_at !== null) return hold;
    return this.lifecycle.update(principal, hold.ref, {
      released_at: this.deps.now().toISOString(),
      released_by: principal.agentId,
    });
  }

  /**
   * A contact or ticket must exist: live, soft-deleted, or removed by an erasure (its tombstone says
   * so; it may sit in a soft erasure's trash), so a deleted record can be held from its purge.
   */
  private async requireTarget(accountId: string, target: HoldTarget): Promise<void> {
    if (target.type === 'account') return;
    const record = await this.deps.store.get(accountId, target);
    const exists = record
      ? !record.supersededBy
      : (await this.deps.store.erasedAmong(accountId, [target])).length > 0;
    if (!exists) {
      throw new ValidationError([
        { field: 'target_id', message: `There is no ${target.type} with this id`, code: 'invalid_value' },
      ]);
    }
  }

  /** A hold past its end date still claims its target: a new hold on it releases the old one. */
  private async releaseEnded(principal: Principal, target: HoldTarget, now: Date): Promise<void> {
    const id = await this.deps.store.findByUniqueValue(
      principal.accountId,
      'legal_hold',
      holdTargetClaim,
      holdTargetKey(target),
    );
    if (id === undefined) return;
    const held = await this.deps.store.get<LegalHoldFields>(principal.accountId, legalHoldRef(id));
    if (!held) return;
    if (holdsAt(held, now)) throw new AlreadyHeldError(id);
    await this.release(principal, id);
  }
}
