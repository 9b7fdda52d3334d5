import { chatMessagesKey } from '#domain/chats/chat-messages';
import { childrenKey } from '#domain/records/children-key';
import { type RecordRef, recordTypes, type StoredRecord } from '#domain/records/record';
import { ticketConversationsKey } from '#domain/tickets/conversation-service';
import { ticketAttachmentsKey, ticketHuddleKey } from '#domain/tickets/ticket-children';
import { ticketTimeEntriesKey } from '#domain/time-entries/time-entry-service';

/**
 * The parent keys a record's descendants are listed under. A deleted parent hides them (404) without
 * deleting them, so its purge removes them with it: a ticket's conversations and time entries (and its
 * huddle and files, which its deletion took along), a chat's messages (taken along too), the forums,
 * topics and comments of a forum category, the folders and articles of a solution category, and the
 * translations of each of these.
 */
export function descendantKeysOf(ref: RecordRef): string[] {
  switch (ref.type) {
    case 'ticket':
      return [
        ticketConversationsKey(ref.id),
        ticketHuddleKey(ref.id),
        ticketAttachmentsKey(ref.id),
        ticketTimeEntriesKey(ref.id),
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
export function hidingParentOf(record: Pick<StoredRecord<object>, 'parent'>): RecordRef | undefined {
  const key = record.parent?.key;
  const [type, id] = key?.split('#') ?? [];
  if (!key || !(recordTypes as readonly string[]).includes(type ?? '')) return undefined;
  const parent = { type, id: Number(id) } as RecordRef;
  return descendantKeysOf(parent).includes(key) ? parent : undefined;
}
