import { childrenKey } from '#domain/records/nested-resource';
import type { RecordRef } from '#domain/records/record';
import { ticketConversationsKey } from '#domain/tickets/conversation-service';
import { ticketAttachmentsKey, ticketHuddleKey } from '#domain/tickets/ticket-children';

/**
 * The parent keys a record's descendants are listed under. A deleted parent hides them (404) without
 * deleting them, so its purge removes them with it: a ticket's conversations (and its huddle and files,
 * which its deletion took along), the forums, topics and comments of a forum category, the folders and
 * articles of a solution category and the translations of each of these.
 */
export function descendantKeysOf(ref: RecordRef): string[] {
  switch (ref.type) {
    case 'ticket':
      return [ticketConversationsKey(ref.id), ticketHuddleKey(ref.id), ticketAttachmentsKey(ref.id)];
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
