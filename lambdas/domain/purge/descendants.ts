import { chatMessagesKey } from '#domain/chats/chat-messages';
import { childrenKey } from '#domain/records/children-key';
import { pagesUnder } from '#domain/records/parent-pages';
import { type RecordRef, recordTypes, type StoredRecord } from '#domain/records/record';
import type { RecordStore } from '#domain/records/record-store';
import { ticketConversationsKey } from '#domain/tickets/conversation-service';
import { ticketAttachmentsKey, ticketHuddleKey } from '#domain/tickets/ticket-children';
import { ticketTimeEntriesKey } from '#domain/time-entries/time-entry-service';
import { ticketWatchersKey } from '#domain/tickets/ticket-watchers';

/**
 * The parent keys a record's descendants are listed under. A deleted parent hides them (404) without
 * deleting them, so its purge removes them with it: a ticket's conversations and time entries (and its
 * huddle and files, which its deletion took along), a chat's messages (taken along too), the forums,
 * topics and comments of a forum category, the folders and articles of a solution category, and the
 * translations of each of these. A conversation's files are listed under its ticket (`descendantPages`).
 */
export function descendantKeysOf(ref: RecordRef): string[] {
  switch (ref.type) {
    case 'ticket':
      // Files first: a conversation purged after them finds its own files already gone.
      return [
        ticketAttachmentsKey(ref.id),
        ticketHuddleKey(ref.id),
        ticketConversationsKey(ref.id),
        ticketTimeEntriesKey(ref.id),
        ticketWatchersKey(ref.id),
      ];
    case 'chat':
      return [chatMessagesKey(ref.id)];
    case 'forum_category':
      return [childrenKey(ref.type, ref.id, 'forum')];
    case 'forum':
      return [childrenKey(ref.type, ref.id, 'topic')];
    case 'topic':
      return [childrenKey(ref.type, ref.id, 'comment')];
    case 'solution_category':
      return [
        childrenKey(ref.type, ref.id, 'solution_folder'),
        childrenKey(ref.type, ref.id, 'solution_category_translation'),
      ];
    case 'solution_folder':
      return [
        childrenKey(ref.type, ref.id, 'solution_article'),
        childrenKey(ref.type, ref.id, 'solution_folder_translation'),
      ];
    case 'solution_article':
      return [childrenKey(ref.type, ref.id, 'solution_article_translation')];
    default:
      return [];
  }
}

/**
 * The record whose deletion hides this one (a conversation's ticket, a topic's forum), if any: the
 * record it is listed under when that record's descendants include it. A record listed under another
 * that does not hide it (a ticket under its requester, a link under its record) has none.
 */
export function hidingParentOf(
  record: Pick<StoredRecord<object>, 'ref' | 'fields' | 'parent'>,
): RecordRef | undefined {
  const conversationId = conversationOfFile(record);
  if (conversationId !== undefined) return { type: 'conversation', id: conversationId };
  const key = record.parent?.key;
  const [type, id] = key?.split('#') ?? [];
  if (!key || !(recordTypes as readonly string[]).includes(type ?? '')) return undefined;
  const parent = { type, id: Number(id) } as RecordRef;
  return descendantKeysOf(parent).includes(key) ? parent : undefined;
}

/** The conversation a file belongs to, if it is a conversation's (not its ticket's own). */
function conversationOfFile(record: Pick<StoredRecord<object>, 'ref' | 'fields'>): number | undefined {
  const { conversation_id: id } = record.fields as { conversation_id?: unknown };
  return record.ref.type === 'attachment' && typeof id === 'number' ? id : undefined;
}

/**
 * Every descendant of the record (live or soft-deleted), a page at a time: those listed under its
 * descendant keys, and a conversation's files, listed under its ticket with their `conversation_id`
 * (filtered as the list is read, so pages stay full).
 */
export async function* descendantPages(
  store: Pick<RecordStore, 'listByParent'>,
  record: StoredRecord<object>,
): AsyncGenerator<StoredRecord<object>[]> {
  if (record.ref.type === 'conversation') {
    const { ticket_id: ticketId } = record.fields as { ticket_id: number };
    const id = record.ref.id;
    yield* pagesUnder(
      store,
      record.accountId,
      [ticketAttachmentsKey(ticketId)],
      (child) => conversationOfFile(child) === id,
    );
    return;
  }
  yield* pagesUnder(store, record.accountId, descendantKeysOf(record.ref));
}
