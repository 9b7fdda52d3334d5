import { describe, expect, it } from 'vitest';
import { holdCovering } from '../../lambdas/domain/holds/held-records.ts';
import { deriveLegalHold, type StoredLegalHold } from '../../lambdas/domain/holds/legal-hold.ts';
import { StoredHolds } from '../../lambdas/domain/holds/stored-holds.ts';
import type { RecordRef } from '../../lambdas/domain/records/record.ts';
import type { RecordStore } from '../../lambdas/domain/records/record-store.ts';

const accountId = 'acc';
const at = new Date('2026-06-01T00:00:00Z');

const hold = (
  id: number,
  target: Pick<StoredLegalHold['fields'], 'target_type' | 'target_id'>,
  endsAt: string | null = null,
) =>
  deriveLegalHold({
    accountId,
    ref: { type: 'legal_hold', id },
    version: 1,
    createdAt: at.toISOString(),
    updatedAt: at.toISOString(),
    fields: { ...target, reason: 'r', ends_at: endsAt, placed_by: 1, released_at: null, released_by: null },
    subjects: [],
  });

/** A record store answering the two reads a hold lookup makes, counting them. */
function storeOf(holds: StoredLegalHold[]) {
  const reads: string[] = [];
  const store = {
    findByUniqueValue: async (_account: string, _type: string, _name: string, value: string) => {
      reads.push(`claim ${value}`);
      return holds.find((h) => h.uniqueValues?.target === value)?.ref.id;
    },
    get: async (_account: string, ref: RecordRef) => {
      reads.push(`get ${ref.type} ${ref.id}`);
      return holds.find((h) => h.ref.id === ref.id);
    },
  } as unknown as RecordStore;
  return { store, reads };
}

describe('held records', () => {
  it('answers the hold of a ticket in two reads, and nothing for an unheld contact in one', async () => {
    // Prepare
    const { store, reads } = storeOf([hold(7, { target_type: 'ticket', target_id: 3 })]);
    const holds = new StoredHolds(store);

    // Act
    const held = await holds.heldBy(accountId, { type: 'ticket', id: 3 }, at);
    const free = await holds.heldBy(accountId, { type: 'contact', id: 3 }, at);

    // Assess
    expect(held).toEqual({ id: 7, target: { type: 'ticket', id: 3 } });
    expect(free).toBeUndefined();
    expect(reads).toEqual(['claim ticket:3', 'get legal_hold 7', 'claim contact:3']);
  });

  it('stops holding after the end date', async () => {
    // Prepare
    const { store } = storeOf([hold(1, { target_type: 'account', target_id: null }, '2026-06-01T00:00:01Z')]);
    const holds = new StoredHolds(store);

    // Act
    const before = await holds.accountHold(accountId, at);
    const after = await holds.accountHold(accountId, new Date('2026-06-01T00:00:01Z'));

    // Assess
    expect(before?.id).toBe(1);
    expect(after).toBeUndefined();
  });

  it("covers a ticket's conversation under the ticket's hold, and a record holding a held contact's data", async () => {
    // Prepare
    const { store } = storeOf([
      hold(1, { target_type: 'ticket', target_id: 5 }),
      hold(2, { target_type: 'contact', target_id: 9 }),
    ]);
    const holds = new StoredHolds(store);

    // Act
    const note = await holdCovering(
      holds,
      accountId,
      { ref: { type: 'conversation', id: 1 }, fields: { ticket_id: 5 } },
      at,
    );
    const call = await holdCovering(
      holds,
      accountId,
      { ref: { type: 'call', id: 2 }, fields: {}, subjects: [{ kind: 'contact', id: 9 }] },
      at,
    );
    const other = await holdCovering(holds, accountId, { ref: { type: 'ticket', id: 6 }, fields: {} }, at);

    // Assess
    expect(note?.id).toBe(1);
    expect(call?.id).toBe(2);
    expect(other).toBeUndefined();
  });

  it('asks once per question: the account and the subject contact are skipped when asked already', async () => {
    // Prepare
    const { store, reads } = storeOf([]);
    const holds = new StoredHolds(store);
    const note = {
      ref: { type: 'conversation' as const, id: 1 },
      fields: { ticket_id: 5 },
      subjects: [
        { kind: 'contact', id: 9 },
        { kind: 'contact', id: 10 },
      ],
    };

    // Act
    const held = await holdCovering(holds, accountId, note, at, { skipAccount: true, skipContact: 9 });

    // Assess
    expect(held).toBeUndefined();
    expect(reads).toEqual(['claim ticket:5', 'claim contact:10']);
  });
});
