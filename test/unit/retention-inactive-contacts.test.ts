import { describe, expect, it } from 'vitest';
import type { RecordRef, StoredRecord, SubjectRef } from '../../lambdas/domain/records/record.ts';
import type { CollectionListOptions, RecordStore } from '../../lambdas/domain/records/record-store.ts';
import { hasActivitySince } from '../../lambdas/domain/retention/contact-activity.ts';
import { retentionMatchPage } from '../../lambdas/domain/retention/retention-matches.ts';
import { checkRetentionRule } from '../../lambdas/domain/retention/retention-policy.ts';
import { ValidationError } from '../../lambdas/domain/errors.ts';

const now = new Date('2026-12-07T10:00:00.000Z');
const monthsAgo = (months: number) => {
  const at = new Date(now);
  at.setUTCMonth(at.getUTCMonth() - months);
  return at.toISOString();
};

const stored = (ref: RecordRef, createdAt: string, updatedAt = createdAt): StoredRecord<object> => ({
  accountId: 'a',
  ref,
  version: 1,
  createdAt,
  updatedAt,
  fields: {},
  subjects: [],
});

/**
 * A record store (our domain interface) over a few records and the subject links named: the
 * collection list honours `updatedBefore` and `where`; links come back two at a time, as pages.
 */
function storeOf(
  records: StoredRecord<object>[],
  links: Record<number, RecordRef[]>,
  erasures: Record<string, { status: string; updatedAt: string }> = {},
) {
  const reads = { links: 0, records: 0 };
  const key = (ref: RecordRef) => `${ref.type}#${ref.id}`;
  const byKey = new Map(records.map((record) => [key(record.ref), record]));
  const store = {
    list: async (_account: string, type: string, options: CollectionListOptions) => ({
      records: records.filter(
        (record) =>
          record.ref.type === type &&
          (!options.updatedBefore || record.updatedAt < options.updatedBefore) &&
          (!options.where || options.where(record)),
      ),
      hasMore: false,
    }),
    subjectLinks: async (_account: string, subject: SubjectRef, page: { cursor?: string }) => {
      reads.links += 1;
      const all = links[subject.id] ?? [];
      const from = Number(page.cursor ?? 0);
      const next = from + 2 < all.length ? String(from + 2) : undefined;
      return { refs: all.slice(from, from + 2), cursor: next };
    },
    // A contact's privacy requests, listed under `privacy#contact#<id>`: an erasure in the status named.
    listByParent: async (_account: string, parentKey: string) => ({
      records: erasures[parentKey]
        ? [
            {
              fields: { type: 'erasure', status: erasures[parentKey].status },
              updatedAt: erasures[parentKey].updatedAt,
            },
          ]
        : [],
      hasMore: false,
    }),
    getMany: async (_account: string, refs: RecordRef[]) => {
      reads.records += refs.length;
      return refs.flatMap((ref) => byKey.get(key(ref)) ?? []);
    },
  } as unknown as RecordStore;
  return { store, reads };
}

const contact = (id: number, updatedAt: string) => stored({ type: 'contact', id }, monthsAgo(40), updatedAt);
const rule = { rule: 'inactive_contacts' as const, months: 12, days: null };

describe('inactive contacts (retention rule)', () => {
  it('matches a contact whose profile and linked tickets, calls and chats are all older than N months', async () => {
    // Prepare: contact 1 has only old activity; 2 a ticket changed last month; 3 a chat created last
    // week; 4 changed their own profile recently; 5 only an old ticket and a recent conversation; 6
    // nothing recent but an erasure request waiting for verification; 7 an erasure restored 13 months
    // ago; 8 one restored last month (a restore counts as activity).
    const { store } = storeOf(
      [
        contact(1, monthsAgo(20)),
        contact(2, monthsAgo(20)),
        contact(3, monthsAgo(20)),
        contact(4, monthsAgo(2)),
        contact(5, monthsAgo(13)),
        contact(6, monthsAgo(13)),
        contact(7, monthsAgo(13)),
        contact(8, monthsAgo(13)),
        stored({ type: 'ticket', id: 10 }, monthsAgo(30), monthsAgo(14)),
        stored({ type: 'call', id: 11 }, monthsAgo(18)),
        stored({ type: 'ticket', id: 20 }, monthsAgo(30), monthsAgo(1)),
        stored({ type: 'chat', id: 30 }, new Date(now.getTime() - 7 * 86_400_000).toISOString()),
        stored({ type: 'ticket', id: 50 }, monthsAgo(15)),
        stored({ type: 'conversation', id: 51 }, monthsAgo(1)),
      ],
      {
        1: [
          { type: 'contact', id: 1 },
          { type: 'ticket', id: 10 },
          { type: 'call', id: 11 },
        ],
        2: [
          { type: 'contact', id: 2 },
          { type: 'ticket', id: 20 },
        ],
        3: [
          { type: 'contact', id: 3 },
          { type: 'ticket', id: 10 },
          { type: 'chat', id: 30 },
        ],
        5: [
          { type: 'ticket', id: 50 },
          { type: 'conversation', id: 51 },
        ],
      },
      {
        'privacy#contact#6': { status: 'pending_verification', updatedAt: monthsAgo(14) },
        'privacy#contact#7': { status: 'restored', updatedAt: monthsAgo(13) },
        'privacy#contact#8': { status: 'restored', updatedAt: monthsAgo(1) },
      },
    );

    // Act
    const page = await retentionMatchPage(store, 'a', rule, now, { perPage: 25 });

    // Assess
    expect(page.records.map((record) => record.ref.id).sort()).toEqual([1, 5, 7]);
  });

  it('judges at the injected instant: a year later the active contact is inactive too', async () => {
    // Prepare
    const { store } = storeOf(
      [contact(2, monthsAgo(20)), stored({ type: 'ticket', id: 20 }, monthsAgo(30), monthsAgo(1))],
      { 2: [{ type: 'ticket', id: 20 }] },
    );
    const yearLater = new Date(now.getTime() + 366 * 86_400_000);

    // Act
    const today = await retentionMatchPage(store, 'a', rule, now, { perPage: 25 });
    const later = await retentionMatchPage(store, 'a', rule, yearLater, { perPage: 25 });

    // Assess
    expect([today.records.length, later.records.length]).toEqual([0, 1]);
  });

  it('stops reading links at the first recent activity, and reads only tickets, calls and chats', async () => {
    // Prepare: six links (three pages of two); the recent ticket is on the second page.
    const { store, reads } = storeOf(
      [stored({ type: 'ticket', id: 1 }, monthsAgo(20)), stored({ type: 'ticket', id: 2 }, monthsAgo(1))],
      {
        7: [
          { type: 'contact', id: 7 },
          { type: 'ticket', id: 1 },
          { type: 'ticket', id: 2 },
          { type: 'conversation', id: 3 },
          { type: 'ticket', id: 4 },
          { type: 'ticket', id: 5 },
        ],
      },
    );

    // Act
    const active = await hasActivitySince(store, 'a', 7, monthsAgo(12));

    // Assess
    expect(active).toBe(true);
    expect(reads).toEqual({ links: 2, records: 2 });
  });

  it('takes months 1 to 120 and refuses days, naming the field', () => {
    const fields = (more: object) => ({ name: 'n', enabled: true, ...rule, ...more });
    const problem = (more: object) => {
      try {
        checkRetentionRule(fields(more));
        return [];
      } catch (error) {
        return error instanceof ValidationError ? error.errors.map((e) => e.field) : ['?'];
      }
    };
    expect(problem({})).toEqual([]);
    expect(problem({ months: null })).toEqual(['months']);
    expect(problem({ days: 30 })).toEqual(['days']);
  });
});
