import { describe, expect, it } from 'vitest';
import type { Hold, HeldRecords } from '../../lambdas/domain/holds/held-records.ts';
import { purgeHoldCheck, retentionHoldCheck } from '../../lambdas/domain/holds/hold-checks.ts';
import type { RecordRef } from '../../lambdas/domain/records/record.ts';
import type { RecordStore } from '../../lambdas/domain/records/record-store.ts';

const at = new Date('2026-12-07T10:00:00Z');
const hold = (id: number): Hold => ({ id, target: { type: 'ticket', id: 1 } }) as unknown as Hold;

/** Holds (our domain interface) on the account or on the named contacts and tickets. */
function holdsOn(targets: { account?: boolean; refs?: RecordRef[] }): HeldRecords {
  return {
    accountHold: async () => (targets.account ? hold(99) : undefined),
    heldBy: async (_account, ref) =>
      targets.refs?.some((held) => held.type === ref.type && held.id === ref.id) ? hold(7) : undefined,
  };
}

/** A record store (our domain interface) answering conversations of ticket 1 and nothing else. */
const records = {
  get: async (_account: string, ref: RecordRef) =>
    ref.type === 'conversation' ? { ref, fields: { ticket_id: 1 }, subjects: [] } : undefined,
} as unknown as RecordStore;

describe('legal holds as the purge and retention ask', () => {
  it('keeps from the purge what a hold covers: a held ticket and its conversations, nothing else', async () => {
    // Prepare
    const check = purgeHoldCheck(holdsOn({ refs: [{ type: 'ticket', id: 1 }] }), records, () => at);
    const due: RecordRef[] = [
      { type: 'ticket', id: 1 },
      { type: 'conversation', id: 5 },
      { type: 'ticket', id: 2 },
    ];

    // Act
    const held = await check.heldAmong('a', due);

    // Assess
    expect(held).toEqual([
      { type: 'ticket', id: 1 },
      { type: 'conversation', id: 5 },
    ]);
  });

  it('keeps every due record of an account under a hold of its own', async () => {
    const check = purgeHoldCheck(holdsOn({ account: true }), records, () => at);
    expect(await check.heldAmong('a', [{ type: 'company', id: 3 }])).toEqual([{ type: 'company', id: 3 }]);
  });

  it('tells retention a record is held only while a hold covers it', async () => {
    const held = retentionHoldCheck(holdsOn({ refs: [{ type: 'ticket', id: 1 }] }), records, () => at);
    expect(await held.isHeld('a', { type: 'conversation', id: 5 })).toBe(true);
    expect(await held.isHeld('a', { type: 'ticket', id: 2 })).toBe(false);
  });
});
