import type { RecordStore } from '#domain/records/record-store';
import type { RecordType, StoredRecord } from '#domain/records/record';
import { ticketStatuses } from '#domain/tickets/ticket-schema';
import { hasActivitySince, hasErasureSince } from './contact-activity.ts';
import { type RetentionPolicyFields, type RetentionRuleKind, retentionCutoff } from './retention-policy.ts';

/** The record type each rule kind sends to the trash (children go with it through its lifecycle). */
export const retainedTypeOf: Readonly<Record<RetentionRuleKind, RecordType>> = {
  closed_tickets: 'ticket',
  calls: 'call',
  chats: 'chat',
  inactive_contacts: 'contact',
};

/**
 * Whether a live record is one the rule sends to the trash at `cutoff`, as far as the record itself
 * tells: an inactive contact must also have no recent activity (`hasActivitySince`).
 */
export function matchesRetentionRule(
  rule: RetentionRuleKind,
  record: StoredRecord<object>,
  cutoff: string,
): boolean {
  if (record.deletedAt || record.supersededBy || record.updatedAt >= cutoff) return false;
  if (rule === 'closed_tickets') {
    return (record.fields as { status?: number }).status === ticketStatuses.closed;
  }
  return record.createdAt < cutoff;
}

/**
 * One page of the live records the rule matches now, oldest changes last: the account's collection
 * index (gsi1, `<updated_at>#<id>` per shard) read below the cutoff only, so the cost follows the
 * records old enough, never the whole account (no Scan). `next` goes on from there. Contacts whose
 * profile is old are then each checked for recent activity (a Query of their links) and, if none, for
 * an open or recently restored erasure request (a Query of their requests): those with either are left
 * out, so such a page may hold fewer than `perPage`.
 */
export async function retentionMatchPage(
  store: RecordStore,
  accountId: string,
  fields: Pick<RetentionPolicyFields, 'rule' | 'months' | 'days'>,
  now: Date,
  page: { perPage: number; cursor?: string },
): Promise<{ records: StoredRecord<object>[]; next?: string }> {
  const cutoff = retentionCutoff(fields, now).toISOString();
  const listed = await store.list<object>(accountId, retainedTypeOf[fields.rule], {
    page: 1,
    perPage: page.perPage,
    cursor: page.cursor,
    updatedBefore: cutoff,
    where: (record) => matchesRetentionRule(fields.rule, record, cutoff),
  });
  const records =
    fields.rule === 'inactive_contacts'
      ? await inactiveAmong(store, accountId, listed.records, cutoff)
      : listed.records;
  return { records, next: listed.hasMore ? listed.next : undefined };
}

/** The contacts with no activity since `cutoff`, and no open erasure request nor one restored since. */
async function inactiveAmong(
  store: RecordStore,
  accountId: string,
  contacts: StoredRecord<object>[],
  cutoff: string,
): Promise<StoredRecord<object>[]> {
  const inactive = await Promise.all(
    contacts.map(
      async ({ ref }) =>
        !(await hasActivitySince(store, accountId, ref.id, cutoff)) &&
        !(await hasErasureSince(store, accountId, ref.id, cutoff)),
    ),
  );
  return contacts.filter((_, index) => inactive[index]);
}
