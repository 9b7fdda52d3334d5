import { childrenKey } from '#domain/records/nested-resource';
import type { RecordRef } from '#domain/records/record';
import { ticketConversationsKey } from '#domain/tickets/conversation-service';
import { ticketAttachmentsKey, ticketHuddleKey } from '#domain/tickets/ticket-children';
import { ticketTimeEntriesKey } from '#domain/time-entries/time-entry-service';

/**
 * The parent keys a record's descendants are listed under. A deleted parent hides them (404) without
 * deleting them, so its purge removes them with it: a ticket's conversations and time entries (and its huddle and files,
 * which its deletion took along), the forums, topics and comments of a forum category, the folders and
 * articles of a solution category.
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
    case 'forum_category':
      return [childrenKey(ref.type, ref.id, 'forum')];
    case 'forum':
      return [childrenKey(ref.type, ref.id, 'topic')];
    case 'topic':
      return [childrenKey(ref.type, ref.id, 'comment')];
    case 'solution_category':
      return [childrenKey(ref.type, ref.id, 'solution_folder')];
    case 'solution_folder':
      return [childrenKey(ref.type, ref.id, 'solution_article')];
    default:
      return [];
  }
}
