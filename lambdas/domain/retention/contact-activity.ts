import { openStatuses } from '#domain/privacy/privacy-request';
import { requestsOfSubject } from '#domain/privacy/subject-requests';
import type { RecordRef, RecordType } from '#domain/records/record';
import type { RecordStore } from '#domain/records/record-store';

/** What counts as a contact's activity: a ticket they raised, a call or a chat they are the subject of. */
export const activityTypes: readonly RecordType[] = ['ticket', 'call', 'chat'];

/** Links read per Query of a contact's subject index. */
const linksPerPage = 100;

/**
 * Whether a ticket, call or chat linked to the contact (the subject index the erasure reads) was created
 * or changed at or after `cutoff`. Queries the contact's links page by page and reads the linked
 * tickets, calls and chats (live or in the trash) in batches, stopping at the first recent one: the
 * cost follows the contact's own links, never the account.
 */
export async function hasActivitySince(
  store: RecordStore,
  accountId: string,
  contactId: number,
  cutoff: string,
): Promise<boolean> {
  let cursor: string | undefined;
  do {
    const page = await store.subjectLinks(
      accountId,
      { kind: 'contact', id: contactId },
      { limit: linksPerPage, cursor },
    );
    const activity = page.refs.filter((ref: RecordRef) => activityTypes.includes(ref.type));
    const records = activity.length ? await store.getMany(accountId, activity) : [];
    if (records.some((record) => record.updatedAt >= cutoff || record.createdAt >= cutoff)) return true;
    cursor = page.cursor;
  } while (cursor);
  return false;
}

/**
 * Whether an erasure request keeps the contact from a rule: one still open (not answered: the contact is
 * on its way out already), or one restored at or after `cutoff` (an admin brought the contact back: the
 * restore counts as activity, so the rule waits N months from it). A Query of the contact's requests.
 */
export async function hasErasureSince(
  store: RecordStore,
  accountId: string,
  contactId: number,
  cutoff: string,
) {
  const requests = await requestsOfSubject(store, accountId, { kind: 'contact', id: contactId });
  return requests.some(
    ({ fields, updatedAt }) =>
      fields.type === 'erasure' &&
      (openStatuses.includes(fields.status) || (fields.status === 'restored' && updatedAt >= cutoff)),
  );
}
