import type { RecordType } from '#domain/records/record';

/** The category (bundle file name) each kind of linked record is exported under. */
const categories: Partial<Record<RecordType, string>> = {
  contact: 'profile',
  agent: 'profile',
  ticket: 'tickets',
  conversation: 'conversations',
  satisfaction_rating: 'satisfaction_ratings',
  time_entry: 'time_entries',
  ticket_watch: 'watched_tickets',
  huddle: 'huddle_messages',
  call: 'calls',
  chat: 'chats',
  chat_message: 'chat_messages',
  topic: 'forum_topics',
  comment: 'forum_posts',
  solution_article: 'solution_articles',
  solution_article_translation: 'solution_article_translations',
  attachment: 'attachments',
  integration_link: 'integration_links',
};

export const exportCategoryOf = (type: RecordType): string => categories[type] ?? type;
