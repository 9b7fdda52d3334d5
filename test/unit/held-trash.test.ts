import { describe, expect, it } from 'vitest';
import {
  derivePrivacyRequest,
  type ErasureTrash,
  isTrashKept,
  type PrivacyRequestFields,
  type StoredPrivacyRequest,
  trashExecutionName,
} from '../../lambdas/domain/privacy/privacy-request.ts';
import { heldTrashRecheckDays, RequestProgress } from '../../lambdas/domain/privacy/request-progress.ts';
import { heldTrashKeyOf, trashKeyOf } from '../../lambdas/domain/privacy/erasure-objects.ts';
import type { RecordStore } from '../../lambdas/domain/records/record-store.ts';
import { trashPrefixes } from '../../lib/residency/index.ts';

const account = '0f8fad5b-d9cb-469f-a165-70867728950e';
const now = new Date('2027-02-10T12:00:00Z');
const trash = (changes: Partial<ErasureTrash> = {}): ErasureTrash => ({
  state: 'held',
  purge_due_at: '2027-02-10T00:00:00Z',
  restored_at: null,
  purged_at: null,
  failed_attempts: 0,
  ...changes,
});
const kept = { counts: { ticket: 1 }, holds: [], files: 2 };

/** A completed soft erasure request with the given trash, as stored. */
const requestWith = (state: ErasureTrash): StoredPrivacyRequest =>
  derivePrivacyRequest({
    accountId: account,
    ref: { type: 'privacy_request', id: 5 },
    version: 1,
    createdAt: '2026-12-01T00:00:00Z',
    updatedAt: '2026-12-12T00:00:00Z',
    subjects: [],
    fields: {
      type: 'erasure',
      subject_type: 'contact',
      subject_id: 3,
      mode: 'soft',
      status: 'completed',
      due_at: '2027-01-01T00:00:00Z',
      trash: state,
      certificate: { executions: ['privacy-a-5'], purged_at: null },
    } as unknown as PrivacyRequestFields,
  } as StoredPrivacyRequest);

/** A record store (our domain interface) holding one request, recording what replaces it. */
function storeOf(request: StoredPrivacyRequest) {
  let current = request;
  const store = {
    get: async () => current,
    replace: async (_previous: unknown, next: StoredPrivacyRequest) => {
      current = next;
    },
  } as unknown as RecordStore;
  return { store, current: () => current };
}

describe("legal holds on a soft erasure's trash", () => {
  it('keep what they cover past the purge: the trash is held_by_legal_hold, looked at again a day later', async () => {
    // Prepare
    const { store, current } = storeOf(requestWith(trash({ state: 'purging' })));
    const progress = new RequestProgress({ store, now: () => now });

    // Act
    await progress.keepUnderHolds(account, 5, 'privacy-a-5-purge-1', kept);
    await progress.keepUnderHolds(account, 5, 'privacy-a-5-purge-1', { ...kept, files: 9 });

    // Assess: recorded once (a repeated step changes nothing), not purged, the next look a day on.
    const nextPurgeAt = new Date(now.getTime() + heldTrashRecheckDays * 86_400_000).toISOString();
    expect(current().fields.trash).toEqual({
      ...trash({ state: 'held_by_legal_hold' }),
      legal_hold: { ...kept, checked_at: now.toISOString(), next_purge_at: nextPurgeAt, runs: 1 },
    });
    expect(current().fields.certificate).toMatchObject({
      purged_at: null,
      executions: ['privacy-a-5', 'privacy-a-5-purge-1'],
    });
    expect(current().deadline).toEqual({ kind: 'trash-purge', at: nextPurgeAt });
  });

  it('name each later purge run and its work apart, so a re-run is a new execution', () => {
    // Prepare
    const first = trash({ failed_attempts: 0 });
    const later = trash({
      state: 'held_by_legal_hold',
      failed_attempts: 1,
      legal_hold: { ...kept, checked_at: '', next_purge_at: '', runs: 2 },
    });

    // Act
    const names = [
      trashExecutionName(account, 5, 'purge', first),
      trashExecutionName(account, 5, 'purge', later),
      trashExecutionName(account, 5, 'restore', later),
    ];

    // Assess
    expect(names).toEqual([
      `privacy-${account}-5-purge-1`,
      `privacy-${account}-5-purge-r2-2`,
      `privacy-${account}-5-restore-2`,
    ]);
  });

  it('leave a trash kept (restorable, purged when due) only while held or held by a legal hold', () => {
    // Act
    const states = (
      ['held', 'held_by_legal_hold', 'purging', 'purged', 'restoring', 'restored'] as const
    ).map((state) => [
      state,
      isTrashKept(trash({ state })),
      requestWith(trash({ state })).deadline?.at ?? null,
    ]);

    // Assess: the purge stays due while purging (a failed run starts again); none once it ended.
    expect(states).toEqual([
      ['held', true, '2027-02-10T00:00:00Z'],
      ['held_by_legal_hold', true, '2027-02-10T00:00:00Z'],
      ['purging', false, '2027-02-10T00:00:00Z'],
      ['purged', false, null],
      ['restoring', false, null],
      ['restored', false, null],
    ]);
  });

  it('move kept copies to ids-only keys outside the prefix the lifecycle rule expires', () => {
    // Prepare
    const object = { bucket: 'attachments' as const, key: `accounts/${account}/attachments/7` };

    // Act
    const [inTrash, held] = [trashKeyOf(account, 5, object), heldTrashKeyOf(account, 5, object)];

    // Assess
    expect(inTrash).toBe(`erasures/${account}/5/attachments/accounts/${account}/attachments/7`);
    expect(held).toBe(`legal-holds/${account}/5/attachments/accounts/${account}/attachments/7`);
    expect(held.startsWith(trashPrefixes.erasures)).toBe(false);
  });
});
