import { hideableRoles } from '#domain/fields/field-definition';
import { z } from 'zod';
import type { Principal } from '#domain/account';
import type { AttachmentView } from '#domain/attachments/attachment-view';
import { contactView, contactViewSchema, type StoredContact } from '#domain/contacts/contact-service';
import type { Form } from '#domain/fields/form';
import { ratingView, ratingViewSchema, type StoredRating } from '#domain/satisfaction/rating-service';
import {
  conversationView,
  conversationViewSchema,
  type StoredConversation,
} from '#domain/tickets/conversation-service';
import { ticketIncludesSchema } from '#domain/tickets/ticket-includes';
import { ticketView, ticketViewSchema, type StoredTicket } from '#domain/tickets/ticket-service';

/*
 * What a requester (a contact with a portal token) sees of each kind of record the requester routes
 * answer (lambdas/http/requester-routes.ts): the one place per kind that decides it. Each kind lists
 * the keys of the agents' v2 view a requester may see, so a key not listed, including one added to
 * the agents' view later, stays hidden; where the record has a form (contacts, tickets) its fields'
 * customer settings narrow that further (see lambdas/domain/fields/field-audience.ts). Which records
 * they see at all (their own profile and tickets, public conversations only) is the services' part.
 */

/** Ticket keys a requester may see; `responder_id` and `group_id` only once an admin displays them. */
const ticketKeys = [
  'id',
  'subject',
  'description',
  'description_text',
  'status',
  'priority',
  'type',
  'source',
  'requester_id',
  'responder_id',
  'group_id',
  'company_id',
  'product_id',
  'cc_emails',
  'custom_fields',
  'attachments',
  'created_at',
  'updated_at',
] as const;

/** Contact keys a requester may see of their own profile; `tags`, `description` (About) and `unique_external_id` only once an admin displays them. */
const contactKeys = [
  'id',
  'name',
  'email',
  'other_emails',
  'phone',
  'mobile',
  'twitter_id',
  'unique_external_id',
  'company_id',
  'view_all_tickets',
  'address',
  'description',
  'job_title',
  'language',
  'time_zone',
  'tags',
  'custom_fields',
  'active',
  'deleted',
  'created_at',
  'updated_at',
] as const;

/** Conversation keys a requester may see: no `bcc_emails`, no `notify_emails` (agents to notify). */
const conversationKeys = [
  'id',
  'body',
  'body_text',
  'source',
  'private',
  'incoming',
  'user_id',
  'ticket_id',
  'from_email',
  'cc_emails',
  'to_emails',
  'attachments',
  'created_at',
  'updated_at',
] as const;

/** Rating keys a requester may see: not the agent and group rated, which are the helpdesk's. */
const ratingKeys = [
  'id',
  'survey_id',
  'user_id',
  'ticket_id',
  'feedback',
  'ratings',
  'created_at',
  'updated_at',
] as const;

/*
 * What the routes that serve these kinds answer, for the OpenAPI document: a contact or a ticket less
 * any key a form hides (from an agent's role, or from requesters; lists of tickets leave out the
 * description unless asked for), a conversation or a rating less what requesters never see.
 */
export const shownContactSchema = contactViewSchema.partial().required({ id: true });
export const shownConversationSchema = conversationViewSchema.partial({
  bcc_emails: true,
  notify_emails: true,
});
export const shownTicketSchema = ticketViewSchema
  .partial()
  .required({ id: true })
  .extend({ ...ticketIncludesSchema.shape, conversations: z.array(shownConversationSchema).optional() });
export const shownRatingSchema = ratingViewSchema.partial({ agent_id: true, group_id: true });
type ShownTicket = z.infer<typeof shownTicketSchema>;
type ShownConversation = z.infer<typeof shownConversationSchema>;

const isRequester = (principal: Principal) => principal.contactId !== undefined;

function pick<V extends object, K extends keyof V>(view: V, keys: readonly K[]): Pick<V, K> {
  return Object.fromEntries(keys.filter((key) => key in view).map((key) => [key, view[key]])) as Pick<V, K>;
}

/**
 * How the caller sees tickets. Administrators see every field (no read of the form); other agents lose
 * the custom ticket fields an admin hid from their role; requesters see what the customer settings show.
 */
export async function ticketViewer(
  principal: Principal,
  forms: { form(principal: Principal): Promise<Form> },
): Promise<(record: StoredTicket, attachments?: readonly AttachmentView[]) => ShownTicket> {
  const hideable = (hideableRoles as readonly string[]).includes(principal.role);
  if (!isRequester(principal) && !hideable) return ticketView;
  const form = await forms.form(principal);
  if (!isRequester(principal))
    return (record, attachments = []) => form.redact(ticketView(record, attachments));
  return (record, attachments = []) => form.redact(pick(ticketView(record, attachments), ticketKeys));
}

/** How the caller sees contacts: without the fields `form` hides from them. */
export function contactViewer(
  principal: Principal,
  form: Form,
): (record: StoredContact) => z.infer<typeof shownContactSchema> {
  if (!isRequester(principal)) return (record) => form.redact(contactView(record));
  return (record) => form.redact(pick(contactView(record), contactKeys));
}

/** How the caller sees conversations (a requester is only ever given public ones). */
export function conversationViewer(
  principal: Principal,
): (record: StoredConversation, attachments?: readonly AttachmentView[]) => ShownConversation {
  if (!isRequester(principal)) return conversationView;
  return (record, attachments = []) => pick(conversationView(record, attachments), conversationKeys);
}

/** How the caller sees satisfaction ratings. */
export function ratingViewer(
  principal: Principal,
): (record: StoredRating) => z.infer<typeof shownRatingSchema> {
  if (!isRequester(principal)) return ratingView;
  return (record) => pick(ratingView(record), ratingKeys);
}
