import { agentPersonalFields } from '#domain/agents/agent-service';
import { attachmentPersonalFields } from '#domain/attachments/attachment-service';
import { callPersonalFields } from '#domain/calls/call-service';
import { chatMessagePersonalFields, chatPersonalFields } from '#domain/chats/chat-service';
import { contactPersonalFields } from '#domain/contacts/contact-schema';
import { commentPersonalFields, topicPersonalFields } from '#domain/discussions/discussion-service';
import { integrationLinkPersonalFields } from '#domain/integrations/integration-link-service';
import type { RecordType } from '#domain/records/record';
import { ratingPersonalFields } from '#domain/satisfaction/rating-service';
import {
  solutionArticlePersonalFields,
  solutionArticleTranslationPersonalFields,
} from '#domain/solutions/solution-service';
import { conversationPersonalFields } from '#domain/tickets/conversation-service';
import { huddlePersonalFields } from '#domain/tickets/huddle-service';
import { ticketWatchPersonalFields } from '#domain/tickets/ticket-watchers';
import { ticketPersonalFields } from '#domain/tickets/ticket-service';
import { timeEntryPersonalFields } from '#domain/time-entries/time-entry-service';
import type { FieldClass } from './personal-field-declaration.ts';

/** A kind's fields by name, each personal or plain (see personal-field-declaration.ts). */
export type KindFieldClasses = Readonly<Record<string, FieldClass>>;

/** A kind whose records never name a data subject: nothing of it is sealed. */
export const noSubjects = 'no subjects';

/**
 * Fields the platform adds to a contribution when its agent author is erased (agent-anonymisation.ts):
 * a placeholder without personal data ("Deleted agent 7").
 */
const anonymisable = { author_placeholder: 'plain' } as const satisfies KindFieldClasses;

/** What a contact merged into another is left as: ids only (contact-merge.ts). */
const mergedContactStub = { merged_into: 'plain' } as const satisfies KindFieldClasses;

/**
 * Every record kind, once: the declaration of its fields when its records can name a data subject,
 * else `noSubjects`. A mapped type over `RecordType`, so a new kind fails `tsc` until it is listed here.
 * Each declaration lives next to its kind's fields type; test/unit/personal-fields.test.ts checks them
 * against the schemas and the derivations.
 */
export const personalFields: { readonly [T in RecordType]: KindFieldClasses | typeof noSubjects } = {
  contact: { ...contactPersonalFields, ...mergedContactStub },
  agent: agentPersonalFields,
  company: noSubjects,
  group: noSubjects,
  ticket: ticketPersonalFields,
  conversation: { ...conversationPersonalFields, ...anonymisable },
  satisfaction_rating: ratingPersonalFields,
  time_entry: { ...timeEntryPersonalFields, ...anonymisable },
  ticket_watch: ticketWatchPersonalFields,
  canned_response_folder: noSubjects,
  canned_response: noSubjects,
  product: noSubjects,
  huddle: { ...huddlePersonalFields, ...anonymisable },
  call: callPersonalFields,
  chat: chatPersonalFields,
  chat_message: { ...chatMessagePersonalFields, ...anonymisable },
  forum_category: noSubjects,
  forum: noSubjects,
  topic: { ...topicPersonalFields, ...anonymisable },
  comment: { ...commentPersonalFields, ...anonymisable },
  solution_category: noSubjects,
  solution_folder: noSubjects,
  solution_article: { ...solutionArticlePersonalFields, ...anonymisable },
  solution_category_translation: noSubjects,
  solution_folder_translation: noSubjects,
  solution_article_translation: { ...solutionArticleTranslationPersonalFields, ...anonymisable },
  contact_field: noSubjects,
  ticket_field: noSubjects,
  company_field: noSubjects,
  attachment: { ...attachmentPersonalFields, ...anonymisable },
  integration_link: integrationLinkPersonalFields,
  // A privacy request names its subject by id only and links no subject (privacy-request.ts).
  privacy_request: noSubjects,
  migration: noSubjects,
  role: noSubjects,
  sharing_rule: noSubjects,
  retention_policy: noSubjects,
  portal_secret: noSubjects,
  account: noSubjects,
  sso_settings: noSubjects,
  legal_hold: noSubjects,
};

/** The declaration of a kind whose records can name a subject; undefined for a kind that never does. */
export function fieldClassesOf(type: RecordType): KindFieldClasses | undefined {
  const declared = personalFields[type];
  return declared === noSubjects ? undefined : declared;
}
