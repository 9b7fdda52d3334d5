import { z } from 'zod';
import { apiRoutes } from '#lib/platform/api-routes';
import { hostingRegions } from '#lib/residency/index';
import { createContactSchema, updateContactSchema } from '#domain/contacts/contact-schema';
import { noteSchema, replySchema, updateConversationSchema } from '#domain/tickets/conversation-service';
import { huddleMessageSchema } from '#domain/tickets/huddle-service';
import { createTicketSchema, updateTicketSchema } from '#domain/tickets/ticket-schema';
import { bulkUnwatchSchema, bulkWatchSchema, watchSchema } from '#domain/tickets/ticket-watchers';
import { createAgentSchema } from '#domain/agents/agent-creation';
import { updateAgentSchema } from '#domain/agents/agent-service';
import { createApiKeySchema } from '#domain/api-keys/api-key-options';
import { createCompanySchema, updateCompanySchema } from '#domain/companies/company-service';
import { agentListQuerySchema } from './agents.ts';
import { companyAutocompleteQuerySchema, companyListQuerySchema } from './companies.ts';
import { groupListQuerySchema } from './groups.ts';
import { callListQuerySchema } from './calls.ts';
import { chatListQuerySchema, chatMessagesQuerySchema } from './chats.ts';
import { chatMessageSchema, createChatSchema } from '#domain/chats/chat-service';
import { createCallSchema } from '#domain/calls/call-service';
import { ratingListQuerySchema, ticketRatingsQuerySchema } from './satisfaction-ratings.ts';
import { createRatingSchema } from '#domain/satisfaction/rating-service';
import { createTimeEntrySchema, updateTimeEntrySchema } from '#domain/time-entries/time-entry-service';
import { ticketTimeEntriesQuerySchema, timeEntryListQuerySchema } from './time-entries.ts';
import { cannedResponseFolderSchema } from '#domain/canned-responses/canned-response-folder-service';
import {
  createCannedResponseSchema,
  updateCannedResponseSchema,
} from '#domain/canned-responses/canned-response-service';
import { cannedResponseListQuerySchema } from './canned-responses.ts';
import { createProductSchema, updateProductSchema } from '#domain/products/product-service';
import { productListQuerySchema } from './products.ts';
import { createGroupSchema, updateGroupSchema } from '#domain/groups/group-service';
import { auditLogQuerySchema } from './audit-log.ts';
import { contactAutocompleteQuerySchema, contactListQuerySchema } from './contacts.ts';
import { conversationPageQuerySchema, ticketListQuerySchema } from './tickets.ts';
import * as discussion from '#domain/discussions/discussion-schemas';
import * as discussionViews from '#domain/discussions/discussion-views';
import * as solution from '#domain/solutions/solution-schemas';
import * as solutionViews from '#domain/solutions/solution-views';
import { discussionListQuerySchema } from './discussions.ts';
import { solutionListQuerySchema } from './solutions.ts';
import { solutionSearchQuerySchema } from '#domain/solutions/solution-search';
import { makeAgentSchema } from '#domain/contacts/contact-conversion';
import {
  createCompanyFieldSchema,
  createContactFieldSchema,
  createTicketFieldSchema,
  updateCompanyFieldSchema,
  updateContactFieldSchema,
  updateTicketFieldSchema,
} from '#domain/fields/field-definition';
import { fieldListQuerySchema } from './fields.ts';
import { presignAttachmentSchema } from '#domain/attachments/attachment-service';
import {
  createIntegrationLinkSchema,
  updateIntegrationLinkSchema,
} from '#domain/integrations/integration-link-service';
import { multipartLimits } from '#http/multipart';
import { requesterRoutes } from '#http/requester-routes';
import { integrationLinkListQuerySchema } from './integration-links.ts';
import {
  createPrivacyRequestSchema,
  rejectPrivacyRequestSchema,
  verifyPrivacyRequestSchema,
} from '#domain/privacy/privacy-request';
import { privacyRequestListQuerySchema, storedFilesQuerySchema } from './privacy-requests.ts';
import { createLegalHoldSchema } from '#domain/holds/legal-hold';
import { legalHoldListQuerySchema } from './legal-hold-routes.ts';
import { createMigrationSchema } from '#domain/migrations/migration';
import { bulkDeleteSchema, bulkUpdateSchema } from '#domain/ticket-jobs/ticket-job';
import { searchQuerySchema } from '#http/search-route';
import { migrationListQuerySchema } from './migrations.ts';
import { ssoSettingsSchema } from '#domain/sso/sso-settings';
import { createCustomRoleSchema, updateCustomRoleSchema } from '#domain/roles/custom-role-service';
import { createSharingRuleSchema, updateSharingRuleSchema } from '#domain/roles/sharing-rule-service';
import { routeRequirement } from '#http/route-permissions';
import { roleListQuerySchema, sharingRuleListQuerySchema } from './roles.ts';
import { createRetentionPolicySchema, updateRetentionPolicySchema } from '#domain/retention/retention-policy';
import { retentionPolicyListQuerySchema } from './retention-policies.ts';
import { ticketMergeSchema } from '#domain/tickets/ticket-merge';
import { contactMergeSchema } from '#domain/contacts/contact-merge-input';

import { healthSchema } from './health.ts';
import { accountViewSchema, helpdeskSettingsViewSchema } from '#domain/account';
import { auditViewSchema } from '#domain/records/audit-view';
import { suggestionViewSchema } from '#domain/records/autocomplete';
import { searchResultsSchema } from '#http/search-route';
import {
  shownContactSchema,
  shownConversationSchema,
  shownRatingSchema,
  shownTicketSchema,
} from '#domain/requesters/requester-views';
import { huddleViewSchema } from '#domain/tickets/huddle-service';
import { agentViewSchema } from '#domain/agents/agent-service';
import { apiKeyViewSchema, issuedApiKeyViewSchema } from '#domain/api-keys/api-key-service';
import { ratingViewSchema } from '#domain/satisfaction/rating-service';
import { timeEntryViewSchema } from '#domain/time-entries/time-entry-service';
import {
  callViewSchema,
  callWithRecordingViewSchema,
  createdCallViewSchema,
} from '#domain/calls/call-service';
import { chatMessageViewSchema, chatViewSchema } from '#domain/chats/chat-service';
import { groupViewSchema } from '#domain/groups/group-service';
import { roleViewSchema } from '#domain/roles/custom-role-service';
import { sharingRuleViewSchema } from '#domain/roles/sharing-rule-service';
import { retentionPolicyViewSchema } from '#domain/retention/retention-policy';
import { retentionPreviewSchema } from '#domain/retention/retention-policy-service';
import { companyViewSchema } from '#domain/companies/company-service';
import { fieldViewSchemas } from '#domain/fields/field-definition';
import {
  attachmentStateViewSchema,
  presignedAttachmentViewSchema,
} from '#domain/attachments/attachment-view';
import { integrationLinkViewSchema } from '#domain/integrations/integration-link-service';
import { portalTokenViewSchema, rotatedSecretViewSchema } from '#domain/contacts/portal-token-service';
import { ssoSettingsViewSchema } from '#domain/sso/sso-settings';
import { shownPrivacyRequestSchema } from '#domain/privacy/privacy-request';
import { storedFileDownloadSchema } from '#domain/privacy/export-downloads';
import { erasurePreviewSchema } from '#domain/privacy/erasure-preview';
import { legalHoldViewSchema } from '#domain/holds/legal-hold';
import { migrationViewSchema } from '#domain/migrations/migration-service';
import { productViewSchema } from '#domain/products/product-service';
import { cannedResponseFolderViewSchema } from '#domain/canned-responses/canned-response-folder-service';
import {
  cannedResponseFolderWithResponsesViewSchema,
  cannedResponseViewSchema,
} from '#domain/canned-responses/canned-response-service';
import { ticketWatchersViewSchema } from '#domain/tickets/ticket-watchers';
import { acceptedTicketJobViewSchema, ticketJobViewSchema } from '#domain/ticket-jobs/ticket-job';
import { mergeInProgressViewSchema } from '#domain/contacts/contact-merge';

/**
 * One operation of the document. An answer with a body needs `response`: the zod schema of the view
 * that builds it (declared next to the view, which returns `z.infer` of it; a list is `z.array` of
 * it), so the document says what clients get and a route without one fails `tsc`. A 204 has no body.
 */
type Operation = {
  readonly summary: string;
  readonly body?: z.ZodType;
  readonly query?: z.ZodObject | z.ZodType;
  readonly auth?: false;
  /** Also takes multipart/form-data: the body's fields as form fields, files in `attachments[]`. */
  readonly multipart?: true;
  /** A second success answer besides `success` (e.g. 202 while the work continues), with its body. */
  readonly alternative?: {
    readonly status: 200 | 201 | 202;
    readonly description: string;
    readonly response: z.ZodType;
  };
} & (
  | { readonly success: 200 | 201 | 202; readonly response: z.ZodType }
  | { readonly success: 204; readonly response?: never }
);

/** This document, as far as its own route promises (the rest is OpenAPI 3.1). */
const openApiDocumentSchema = z.looseObject({
  openapi: z.literal('3.1.0'),
  info: z.looseObject({ title: z.string(), version: z.string() }),
  paths: z.record(z.string(), z.unknown()),
});

/** Every key-authorized route of `apiRoutes`, described; a route missing here fails the OpenAPI test. */
export const operations: Readonly<Record<string, Operation>> = {
  'GET /api/v2/health': {
    summary: 'Liveness of the regional API',
    success: 200,
    response: healthSchema,
    auth: false,
  },
  'GET /api/v2/openapi.json': {
    summary: 'This OpenAPI document',
    success: 200,
    response: openApiDocumentSchema,
    auth: false,
  },
  'GET /api/v2/account': {
    summary: 'The calling account: id, name, home region, products',
    success: 200,
    response: accountViewSchema,
  },
  'GET /api/v2/settings/helpdesk': {
    summary: "The helpdesk's languages: primary_language, supported_languages, portal_languages",
    success: 200,
    response: helpdeskSettingsViewSchema,
  },
  'POST /api/v2/contacts': {
    summary: 'Create a contact',
    body: createContactSchema,
    success: 201,
    response: shownContactSchema,
  },
  'GET /api/v2/contacts': {
    summary: 'List contacts, most recently updated first',
    query: contactListQuerySchema,
    success: 200,
    response: z.array(shownContactSchema),
  },
  'GET /api/v2/contacts/autocomplete': {
    summary:
      'Contacts whose name or e-mail begins with `term` (case-insensitive), `[{id, name}]`, at most 30',
    query: contactAutocompleteQuerySchema,
    success: 200,
    response: z.array(suggestionViewSchema),
  },
  'GET /api/v2/search/contacts': {
    summary: 'Filter search of contacts (docs/search.md): {"results": [...], "total": n}',
    query: searchQuerySchema,
    success: 200,
    response: searchResultsSchema(shownContactSchema),
  },
  'GET /api/v2/contacts/{id}': {
    summary: 'View a contact (ETag)',
    success: 200,
    response: shownContactSchema,
  },
  'PUT /api/v2/contacts/{id}': {
    summary: 'Update a contact (If-Match)',
    body: updateContactSchema,
    success: 200,
    response: shownContactSchema,
  },
  'DELETE /api/v2/contacts/{id}': {
    summary:
      'Soft-erase a contact and everything linked to them into the 60-day trash (admins; a verified erasure request, Location names it)',
    success: 204,
  },
  'DELETE /api/v2/contacts/{id}/hard_delete': {
    summary:
      'Erase a contact for good, with every S3 object version, and purge an earlier soft erasure of them (admins; a verified erasure request)',
    success: 204,
  },
  'POST /api/v2/contacts/merge': {
    summary:
      'Merge contacts into `primary_contact_id`: everything linked to the others (tickets, conversations, calls, chats, ratings, files) moves to it, `contact` chooses the identifying values it keeps, the others are left as ids only (docs/privacy-requests.md)',
    body: contactMergeSchema,
    success: 204,
    alternative: {
      status: 202,
      description:
        'Cut short by its time budget (about 6 s; our addition): what moved stays moved; send the same request again to continue until it answers 204',
      response: mergeInProgressViewSchema,
    },
  },
  'PUT /api/v2/contacts/{id}/restore': {
    summary: "Restore a soft-erased contact from the trash (admins; runs the erasure request's restore)",
    success: 204,
  },
  'GET /api/v2/audit_log': {
    summary: 'Audit entries of a record or a time range, newest first (admins)',
    query: auditLogQuerySchema,
    success: 200,
    response: z.array(auditViewSchema),
  },
  'POST /api/v2/tickets': {
    summary: 'Create a ticket (requester by id or e-mail)',
    body: createTicketSchema,
    success: 201,
    response: shownTicketSchema,
    multipart: true,
  },
  'GET /api/v2/tickets': {
    summary: 'List tickets',
    query: ticketListQuerySchema,
    success: 200,
    response: z.array(shownTicketSchema),
  },
  'GET /api/v2/search/tickets': {
    summary:
      'Filter search of tickets in the caller\'s scope (docs/search.md): {"results": [...], "total": n}',
    query: searchQuerySchema,
    success: 200,
    response: searchResultsSchema(shownTicketSchema),
  },
  'GET /api/v2/tickets/{id}': { summary: 'View a ticket (ETag)', success: 200, response: shownTicketSchema },
  'PUT /api/v2/tickets/{id}': {
    summary: 'Update a ticket (If-Match)',
    body: updateTicketSchema,
    success: 200,
    response: shownTicketSchema,
  },
  'DELETE /api/v2/tickets/{id}': {
    summary:
      'Soft-delete a ticket with its huddle messages and attachments (they answer 404 at once); on a deleted ticket it finishes an interrupted deletion',
    success: 204,
  },
  'PUT /api/v2/tickets/{id}/restore': {
    summary:
      'Restore a soft-deleted ticket with exactly the huddle messages and attachments deleted with it (not those deleted before)',
    success: 204,
  },
  'POST /api/v2/tickets/{id}/watch': {
    summary:
      'Watch a ticket within your scope (or, with `user_id`, make that agent watch it); again: no change',
    body: watchSchema,
    success: 204,
  },
  'PUT /api/v2/tickets/{id}/unwatch': {
    summary: 'Stop watching a ticket within your scope (204 also if you did not watch it)',
    success: 204,
  },
  'GET /api/v2/tickets/{id}/watchers': {
    summary: '`{watcher_ids}`: the agents watching a ticket within your scope, in the order they started',
    success: 200,
    response: ticketWatchersViewSchema,
  },
  'POST /api/v2/tickets/bulk_watch': {
    summary:
      'Watch up to 100 tickets (`ids`, all within your scope, else 404 and none changed); `user_id` as for watch',
    body: bulkWatchSchema,
    success: 204,
  },
  'PUT /api/v2/tickets/bulk_unwatch': {
    summary: 'Stop watching up to 100 tickets (`ids`, all within your scope, else 404 and none changed)',
    body: bulkUnwatchSchema,
    success: 204,
  },
  'POST /api/v2/tickets/{id}/reply': {
    summary: 'Reply to a ticket',
    body: replySchema,
    success: 201,
    response: shownConversationSchema,
    multipart: true,
  },
  'POST /api/v2/tickets/{id}/notes': {
    summary: 'Add a note to a ticket',
    body: noteSchema,
    success: 201,
    response: shownConversationSchema,
    multipart: true,
  },
  'GET /api/v2/tickets/{id}/conversations': {
    summary:
      "A ticket's conversations, oldest first; with a portal token only the public ones (replies, notes with `private: false`), without `bcc_emails` and `notify_emails`",
    query: conversationPageQuerySchema,
    success: 200,
    response: z.array(shownConversationSchema),
  },
  'PUT /api/v2/conversations/{id}': {
    summary: 'Edit a conversation',
    body: updateConversationSchema,
    success: 200,
    response: shownConversationSchema,
  },
  'DELETE /api/v2/conversations/{id}': { summary: 'Delete a conversation', success: 204 },
  ...restoreOperation('/api/v2/conversations', 'conversation', 'its ticket'),
  'POST /api/v2/tickets/{id}/huddle': {
    summary: "Post to the ticket's team huddle (agents' internal discussion)",
    body: huddleMessageSchema,
    success: 201,
    response: huddleViewSchema,
  },
  'GET /api/v2/tickets/{id}/huddle': {
    summary: "The ticket's team huddle, oldest first",
    query: conversationPageQuerySchema,
    success: 200,
    response: z.array(huddleViewSchema),
  },
  'DELETE /api/v2/huddle_messages/{id}': { summary: 'Delete a huddle message', success: 204 },
  ...restoreOperation('/api/v2/huddle_messages', 'huddle message', 'its ticket'),
  'GET /api/v2/agents/me': { summary: 'The calling agent', success: 200, response: agentViewSchema },
  'GET /api/v2/agents': {
    summary: 'List agents',
    query: agentListQuerySchema,
    success: 200,
    response: z.array(agentViewSchema),
  },
  'GET /api/v2/agents/{id}': { summary: 'View an agent (ETag)', success: 200, response: agentViewSchema },
  'POST /api/v2/agents': {
    summary:
      'Create an agent (admins; email and ticket_scope required, role from role_ids or role). 409 when an agent or a contact holds the e-mail (a contact: make_agent). The agent holds no API key yet',
    body: createAgentSchema,
    success: 201,
    response: agentViewSchema,
  },
  'DELETE /api/v2/agents/{id}': {
    summary:
      'Delete an agent as v2 does (admins; not oneself): they become a contact with the same id, their tickets stay, their API keys are revoked; nothing is erased (erasure: POST /api/v2/privacy/requests)',
    success: 204,
  },
  'GET /api/v2/api_keys': {
    summary:
      "The caller's own API keys: id, prefix, created_at, last_used_on, expires_at, read_only, integration; never the secret",
    success: 200,
    response: z.array(apiKeyViewSchema),
  },
  'POST /api/v2/api_keys': {
    summary:
      'Issue an API key to the caller (optional body: expires_at at most 730 days away, read_only; integration: admins only). The secret is in this answer only',
    body: createApiKeySchema,
    success: 201,
    response: issuedApiKeyViewSchema,
  },
  'DELETE /api/v2/api_keys/{id}': { summary: "Revoke one of the caller's own API keys", success: 204 },
  'GET /api/v2/agents/{id}/api_keys': {
    summary: "An agent's API keys (admins; agents: their own), never the secret",
    success: 200,
    response: z.array(apiKeyViewSchema),
  },
  'POST /api/v2/agents/{id}/api_keys': {
    summary:
      "Issue an API key to an agent (admins; agents: themselves), e.g. a new agent's first key; the secret is in this answer only",
    body: createApiKeySchema,
    success: 201,
    response: issuedApiKeyViewSchema,
  },
  'DELETE /api/v2/agents/{id}/api_keys/{key_id}': {
    summary: "Revoke one of an agent's API keys (admins; agents: their own)",
    success: 204,
  },
  'PUT /api/v2/agents/{id}': {
    summary:
      'Update an agent (admins: anyone; agents: own profile, not role or scope); role_ids assigns a fixed or custom role',
    body: updateAgentSchema,
    success: 200,
    response: agentViewSchema,
  },
  'POST /api/v2/tickets/{id}/satisfaction_ratings': {
    summary: "Rate a ticket (the requester's rating)",
    body: createRatingSchema,
    success: 201,
    response: shownRatingSchema,
  },
  'GET /api/v2/tickets/{id}/satisfaction_ratings': {
    summary: "A ticket's ratings",
    query: ticketRatingsQuerySchema,
    success: 200,
    response: z.array(shownRatingSchema),
  },
  'GET /api/v2/surveys/satisfaction_ratings': {
    summary: 'All ratings, newest first; by user_id, created_since',
    query: ratingListQuerySchema,
    success: 200,
    response: z.array(ratingViewSchema),
  },
  'POST /api/v2/tickets/{id}/time_entries': {
    summary:
      'Log time on a ticket; without `time_spent` (hh:mm) the timer starts running (needs write access to the ticket)',
    body: createTimeEntrySchema,
    success: 201,
    response: timeEntryViewSchema,
  },
  'GET /api/v2/tickets/{id}/time_entries': {
    summary: "A live ticket's time entries, oldest first",
    query: ticketTimeEntriesQuerySchema,
    success: 200,
    response: z.array(timeEntryViewSchema),
  },
  'GET /api/v2/time_entries': {
    summary:
      "The account's time entries, most recently changed first; by company_id, agent_id, executed_after, executed_before, billable",
    query: timeEntryListQuerySchema,
    success: 200,
    response: z.array(timeEntryViewSchema),
  },
  'PUT /api/v2/time_entries/{id}': {
    summary:
      'Update a time entry; `timer_running` starts or stops its timer, `time_spent` is set on a stopped timer only',
    body: updateTimeEntrySchema,
    success: 200,
    response: timeEntryViewSchema,
  },
  'PUT /api/v2/time_entries/{id}/toggle_timer': {
    summary: 'Start a stopped timer, or stop a running one (adding the time since it started)',
    success: 200,
    response: timeEntryViewSchema,
  },
  'DELETE /api/v2/time_entries/{id}': { summary: 'Delete a time entry (purged after 60 days)', success: 204 },
  ...restoreOperation('/api/v2/time_entries', 'time entry', 'its ticket'),
  'POST /api/v2/products': {
    summary: 'Create a product (admins; names unique per account)',
    body: createProductSchema,
    success: 201,
    response: productViewSchema,
  },
  'GET /api/v2/products': {
    summary: 'Products, most recently changed first',
    query: productListQuerySchema,
    success: 200,
    response: z.array(productViewSchema),
  },
  'GET /api/v2/products/{id}': { summary: 'One product (ETag)', success: 200, response: productViewSchema },
  'PUT /api/v2/products/{id}': {
    summary: 'Update a product (admins; If-Match)',
    body: updateProductSchema,
    success: 200,
    response: productViewSchema,
  },
  'DELETE /api/v2/products/{id}': {
    summary: 'Delete a product (admins; purged after 60 days; tickets keep their product_id)',
    success: 204,
  },
  ...restoreOperation('/api/v2/products', 'product'),
  'POST /api/v2/canned_response_folders': {
    summary: 'Create a folder of canned responses (admins; names unique per account)',
    body: cannedResponseFolderSchema,
    success: 201,
    response: cannedResponseFolderViewSchema,
  },
  'GET /api/v2/canned_response_folders': {
    summary: 'Folders of canned responses, with `responses_count`',
    query: cannedResponseListQuerySchema,
    success: 200,
    response: z.array(cannedResponseFolderViewSchema),
  },
  'GET /api/v2/canned_response_folders/{id}': {
    summary: 'One folder, with the first 100 of its responses the caller sees as `canned_responses` (ETag)',
    success: 200,
    response: cannedResponseFolderWithResponsesViewSchema,
  },
  'PUT /api/v2/canned_response_folders/{id}': {
    summary: 'Rename a folder (admins; If-Match)',
    body: cannedResponseFolderSchema,
    success: 200,
    response: cannedResponseFolderViewSchema,
  },
  'GET /api/v2/canned_response_folders/{id}/responses': {
    summary: "A folder's responses the caller sees, newest first",
    query: cannedResponseListQuerySchema,
    success: 200,
    response: z.array(cannedResponseViewSchema),
  },
  'POST /api/v2/canned_responses': {
    summary:
      'Create a canned response (admins): `visibility` 0 all agents (default), 1 personal (its author), 2 the agents of `group_ids`',
    body: createCannedResponseSchema,
    success: 201,
    response: cannedResponseViewSchema,
  },
  'GET /api/v2/canned_responses': {
    summary: 'Every canned response the caller sees, most recently changed first (our addition to v2)',
    query: cannedResponseListQuerySchema,
    success: 200,
    response: z.array(cannedResponseViewSchema),
  },
  'GET /api/v2/canned_responses/{id}': {
    summary: 'One canned response the caller sees (ETag); `content` is its HTML as text',
    success: 200,
    response: cannedResponseViewSchema,
  },
  'PUT /api/v2/canned_responses/{id}': {
    summary: 'Update a canned response (admins; If-Match); a new `folder_id` moves it',
    body: updateCannedResponseSchema,
    success: 200,
    response: cannedResponseViewSchema,
  },
  'PUT /api/v2/tickets/merge': {
    summary:
      "Merge tickets into `primary_id`: the others' conversations move to it, each is closed with a note naming it, it gets a note (every ticket within the caller's scope, to change)",
    body: ticketMergeSchema,
    success: 204,
  },
  'POST /api/v2/calls': {
    summary:
      'Record a call; answers a presigned upload URL for its recording (`recording.upload_url`): a PUT that must carry `recording.upload_headers` (the `recording_content_type`, and the Content-Length of `recording_size` when announced; S3 refuses another type or size), until `recording.upload_expires_at`. US and EEA accounts only; EEA recordings upload into the US staging bucket and move to the EEA after a 10-minute hold',
    body: createCallSchema,
    success: 201,
    response: createdCallViewSchema,
  },
  'GET /api/v2/calls': {
    summary: 'List calls; filter contact_id',
    query: callListQuerySchema,
    success: 200,
    response: z.array(callViewSchema),
  },
  'GET /api/v2/calls/{id}': {
    summary:
      'A call and where its recording is (recording.location: staging_us, eea, us or null), with a download URL once it is final at home (an attachment of its type, fresh per read, until download_expires_at)',
    success: 200,
    response: callWithRecordingViewSchema,
  },
  'DELETE /api/v2/calls/{id}': {
    summary:
      'Soft-delete a call; a recording still in its US hold is deleted with every version (gone, not restorable); on a deleted call it finishes an interrupted deletion',
    success: 204,
  },
  ...restoreOperation('/api/v2/calls', 'call (with its recording kept at home)'),
  'POST /api/v2/chats': {
    summary: 'Start a chat conversation (US and EEA accounts only)',
    body: createChatSchema,
    success: 201,
    response: chatViewSchema,
  },
  'GET /api/v2/chats': {
    summary: 'List chats; filter contact_id',
    query: chatListQuerySchema,
    success: 200,
    response: z.array(chatViewSchema),
  },
  'GET /api/v2/chats/{id}': { summary: 'One chat', success: 200, response: chatViewSchema },
  'DELETE /api/v2/chats/{id}': {
    summary:
      'Soft-delete a chat with its messages (they answer 404 with it); on a deleted chat it finishes an interrupted deletion',
    success: 204,
  },
  ...restoreOperation('/api/v2/chats', 'chat with exactly the messages deleted with it'),
  'POST /api/v2/chats/{id}/messages': {
    summary: 'Add a message from the contact or an agent',
    body: chatMessageSchema,
    success: 201,
    response: chatMessageViewSchema,
  },
  'GET /api/v2/chats/{id}/messages': {
    summary: "A chat's messages, oldest first",
    query: chatMessagesQuerySchema,
    success: 200,
    response: z.array(chatMessageViewSchema),
  },
  'POST /api/v2/groups': {
    summary: 'Create a group (admins; names unique per account)',
    body: createGroupSchema,
    success: 201,
    response: groupViewSchema,
  },
  'GET /api/v2/groups': {
    summary: 'List groups',
    query: groupListQuerySchema,
    success: 200,
    response: z.array(groupViewSchema),
  },
  'GET /api/v2/groups/{id}': { summary: 'View a group (ETag)', success: 200, response: groupViewSchema },
  'PUT /api/v2/groups/{id}': {
    summary: 'Update a group (admins; If-Match)',
    body: updateGroupSchema,
    success: 200,
    response: groupViewSchema,
  },
  'DELETE /api/v2/groups/{id}': { summary: 'Delete a group (admins)', success: 204 },
  ...restoreOperation('/api/v2/groups', 'group (admins)'),
  'GET /api/v2/roles': {
    summary: 'The fixed roles (ids 1 to 4, read-only, on the first page) and custom roles, with permissions',
    query: roleListQuerySchema,
    success: 200,
    response: z.array(roleViewSchema),
  },
  'GET /api/v2/roles/{id}': {
    summary: 'One role, fixed or custom, with its permissions',
    success: 200,
    response: roleViewSchema,
  },
  'POST /api/v2/roles': {
    summary: 'Create a custom role: a named permission set (docs/roles-and-sharing.md)',
    body: createCustomRoleSchema,
    success: 201,
    response: roleViewSchema,
  },
  'PUT /api/v2/roles/{id}': {
    summary: 'Update a custom role (If-Match); the fixed roles are read-only (403)',
    body: updateCustomRoleSchema,
    success: 200,
    response: roleViewSchema,
  },
  'DELETE /api/v2/roles/{id}': {
    summary: 'Delete a custom role; 409 while agents hold it (the message says how many)',
    success: 204,
  },
  ...crudOperations({
    path: '/api/v2/sharing_rules',
    noun: 'sharing rule',
    who: 'admin area roles',
    create: createSharingRuleSchema,
    update: updateSharingRuleSchema,
    query: sharingRuleListQuerySchema,
    view: sharingRuleViewSchema,
  }),
  ...crudOperations({
    path: '/api/v2/retention_policies',
    noun: 'retention policy',
    who: 'admin area retention',
    create: createRetentionPolicySchema,
    update: updateRetentionPolicySchema,
    query: retentionPolicyListQuerySchema,
    view: retentionPolicyViewSchema,
  }),
  'POST /api/v2/retention_policies/{id}/preview': {
    summary: 'Dry run of a retention policy: what it would send to the trash now, counted (nothing changes)',
    success: 200,
    response: retentionPreviewSchema,
  },
  'POST /api/v2/companies': {
    summary: 'Create a company (names unique per account)',
    body: createCompanySchema,
    success: 201,
    response: companyViewSchema,
  },
  'GET /api/v2/companies': {
    summary: 'List companies',
    query: companyListQuerySchema,
    success: 200,
    response: z.array(companyViewSchema),
  },
  'GET /api/v2/companies/autocomplete': {
    summary:
      'Companies whose name begins with `name` (case-insensitive), `{"companies": [{id, name}]}`, at most 30',
    query: companyAutocompleteQuerySchema,
    success: 200,
    response: z.strictObject({ companies: z.array(suggestionViewSchema) }),
  },
  'GET /api/v2/search/companies': {
    summary: 'Filter search of companies (docs/search.md): {"results": [...], "total": n}',
    query: searchQuerySchema,
    success: 200,
    response: searchResultsSchema(companyViewSchema),
  },
  'GET /api/v2/companies/{id}': {
    summary: 'View a company (ETag)',
    success: 200,
    response: companyViewSchema,
  },
  'PUT /api/v2/companies/{id}': {
    summary: 'Update a company (If-Match)',
    body: updateCompanySchema,
    success: 200,
    response: companyViewSchema,
  },
  'DELETE /api/v2/companies/{id}': { summary: 'Delete a company (its contacts stay)', success: 204 },
  ...restoreOperation('/api/v2/companies', 'company'),
  ...restoreOperation('/api/v2/discussions/categories', 'forum category'),
  ...crudOperations({
    path: '/api/v2/discussions/categories',
    noun: 'forum category',
    who: 'admins',
    create: discussion.createForumCategorySchema,
    update: discussion.updateForumCategorySchema,
    query: discussionListQuerySchema,
    view: discussionViews.forumCategoryViewSchema,
  }),
  ...restoreOperation('/api/v2/discussions/forums', 'forum', 'its forum category'),
  ...crudOperations({
    path: '/api/v2/discussions/forums',
    under: { path: '/api/v2/discussions/categories', collection: 'forums', noun: 'forum category' },
    noun: 'forum',
    who: 'admins',
    create: discussion.createForumSchema,
    update: discussion.updateForumSchema,
    query: discussionListQuerySchema,
    view: discussionViews.forumViewSchema,
  }),
  ...restoreOperation('/api/v2/discussions/topics', 'topic', 'its forum'),
  ...crudOperations({
    path: '/api/v2/discussions/topics',
    under: { path: '/api/v2/discussions/forums', collection: 'topics', noun: 'forum' },
    noun: 'topic',
    who: 'its author or admins',
    create: discussion.createTopicSchema,
    update: discussion.updateTopicSchema,
    query: discussionListQuerySchema,
    view: discussionViews.topicViewSchema,
  }),
  ...restoreOperation('/api/v2/discussions/comments', 'comment', 'its topic'),
  ...crudOperations({
    path: '/api/v2/discussions/comments',
    under: { path: '/api/v2/discussions/topics', collection: 'comments', noun: 'topic' },
    noun: 'comment',
    who: 'its author or admins',
    create: discussion.createCommentSchema,
    update: discussion.updateCommentSchema,
    query: discussionListQuerySchema,
    view: discussionViews.commentViewSchema,
  }),
  ...restoreOperation('/api/v2/solutions/categories', 'solution category'),
  ...crudOperations({
    path: '/api/v2/solutions/categories',
    noun: 'solution category',
    who: 'admins',
    create: solution.createSolutionCategorySchema,
    update: solution.updateSolutionCategorySchema,
    query: solutionListQuerySchema,
    view: solutionViews.solutionCategoryViewSchema,
  }),
  ...restoreOperation('/api/v2/solutions/folders', 'solution folder', 'its solution category'),
  ...crudOperations({
    path: '/api/v2/solutions/folders',
    under: { path: '/api/v2/solutions/categories', collection: 'folders', noun: 'solution category' },
    noun: 'solution folder',
    who: 'admins',
    create: solution.createSolutionFolderSchema,
    update: solution.updateSolutionFolderSchema,
    query: solutionListQuerySchema,
    view: solutionViews.solutionFolderViewSchema,
  }),
  ...restoreOperation('/api/v2/solutions/articles', 'solution article', 'its solution folder'),
  ...crudOperations({
    path: '/api/v2/solutions/articles',
    under: { path: '/api/v2/solutions/folders', collection: 'articles', noun: 'solution folder' },
    noun: 'solution article',
    who: 'any agent',
    create: solution.createSolutionArticleSchema,
    update: solution.updateSolutionArticleSchema,
    query: solutionListQuerySchema,
    view: solutionViews.solutionArticleViewSchema,
  }),
  ...translationOperations({
    path: '/api/v2/solutions/categories',
    noun: 'solution category',
    who: 'admins',
    create: solution.createSolutionTranslationSchema,
    update: solution.updateSolutionTranslationSchema,
    view: solutionViews.solutionCategoryTranslationViewSchema,
  }),
  ...translationOperations({
    path: '/api/v2/solutions/folders',
    noun: 'solution folder',
    who: 'admins',
    create: solution.createSolutionTranslationSchema,
    update: solution.updateSolutionTranslationSchema,
    view: solutionViews.solutionFolderTranslationViewSchema,
  }),
  ...translationOperations({
    path: '/api/v2/solutions/articles',
    noun: 'solution article',
    who: 'any agent',
    create: solution.createSolutionArticleTranslationSchema,
    update: solution.updateSolutionArticleTranslationSchema,
    view: solutionViews.solutionArticleTranslationViewSchema,
  }),
  'GET /api/v2/search/solutions': {
    summary:
      'Published solution articles, in every language, whose title or description holds every word of `term` (whole words, accents folded; 30 per page)',
    query: solutionSearchQuerySchema,
    success: 200,
    response: z.array(solutionViews.solutionArticleTranslationViewSchema),
  },
  'PUT /api/v2/contacts/{id}/make_agent': {
    summary:
      'Make a contact an agent (admins; optional body). The agent keeps the id; the contact is no longer listed or shown, its tickets stay',
    body: makeAgentSchema,
    success: 200,
    response: agentViewSchema,
  },
  'GET /api/v2/contact_fields': {
    summary: 'All contact fields, built-in (`default: true`) and custom, in display order',
    success: 200,
    response: z.array(fieldViewSchemas.contact),
  },
  'POST /api/v2/admin/contact_fields': {
    summary:
      'Create a custom contact field (admins); its name comes from the label. `hidden_from_roles` (our addition) hides it from agents or supervisors; `encrypted` (our addition) makes it unsearchable (docs/encryption.md)',
    body: createContactFieldSchema,
    success: 201,
    response: fieldViewSchemas.contact,
  },
  'GET /api/v2/admin/contact_fields': {
    summary: 'Contact fields, for admins',
    query: fieldListQuerySchema,
    success: 200,
    response: z.array(fieldViewSchemas.contact),
  },
  'GET /api/v2/admin/contact_fields/{id}': {
    summary: 'One contact field (admins; ETag)',
    success: 200,
    response: fieldViewSchemas.contact,
  },
  'PUT /api/v2/admin/contact_fields/{id}': {
    summary:
      'Update a contact field (admins; If-Match). Any field but name and email can be hidden from roles with `hidden_from_roles`; custom fields can be marked `encrypted`',
    body: updateContactFieldSchema,
    success: 200,
    response: fieldViewSchemas.contact,
  },
  'DELETE /api/v2/admin/contact_fields/{id}': {
    summary: 'Delete a custom contact field (admins; built-in fields stay)',
    success: 204,
  },
  'GET /api/v2/ticket_fields': {
    summary: 'All ticket fields, built-in (`default: true`) and custom, in display order',
    success: 200,
    response: z.array(fieldViewSchemas.ticket),
  },
  'POST /api/v2/admin/ticket_fields': {
    summary:
      'Create a custom ticket field (admins); its name is `cf_` and the label. `hidden_from_roles` and `encrypted` as contact fields (our additions)',
    body: createTicketFieldSchema,
    success: 201,
    response: fieldViewSchemas.ticket,
  },
  'GET /api/v2/admin/ticket_fields': {
    summary: 'Ticket fields, for admins',
    query: fieldListQuerySchema,
    success: 200,
    response: z.array(fieldViewSchemas.ticket),
  },
  'GET /api/v2/admin/ticket_fields/{id}': {
    summary: 'One ticket field (admins; ETag)',
    success: 200,
    response: fieldViewSchemas.ticket,
  },
  'PUT /api/v2/admin/ticket_fields/{id}': {
    summary:
      'Update a ticket field (admins; If-Match); only custom fields take `hidden_from_roles` and `encrypted`',
    body: updateTicketFieldSchema,
    success: 200,
    response: fieldViewSchemas.ticket,
  },
  'DELETE /api/v2/admin/ticket_fields/{id}': {
    summary: 'Delete a custom ticket field (admins; built-in fields stay)',
    success: 204,
  },
  'GET /api/v2/company_fields': {
    summary: 'All company fields, built-in (`default: true`) and custom, in display order',
    success: 200,
    response: z.array(fieldViewSchemas.company),
  },
  'POST /api/v2/admin/company_fields': {
    summary:
      "Create a custom company field (admins): `label`, `type`, `position`, `required_for_agents`, a dropdown's `choices`",
    body: createCompanyFieldSchema,
    success: 201,
    response: fieldViewSchemas.company,
  },
  'GET /api/v2/admin/company_fields': {
    summary: 'Company fields, for admins',
    query: fieldListQuerySchema,
    success: 200,
    response: z.array(fieldViewSchemas.company),
  },
  'GET /api/v2/admin/company_fields/{id}': {
    summary: 'One company field (admins; ETag)',
    success: 200,
    response: fieldViewSchemas.company,
  },
  'PUT /api/v2/admin/company_fields/{id}': {
    summary: 'Update a company field (admins; If-Match)',
    body: updateCompanyFieldSchema,
    success: 200,
    response: fieldViewSchemas.company,
  },
  'DELETE /api/v2/admin/company_fields/{id}': {
    summary: 'Delete a custom company field (admins; built-in fields stay)',
    success: 204,
  },
  'POST /api/v2/tickets/{id}/attachments': {
    summary:
      'Announce a large file (our addition): answers `upload_url`, a presigned PUT bound to the announced type and size: send it with `upload_headers` (Content-Type, Content-Length) before `upload_expires_at`; S3 refuses another type or size. The attachment shows on the ticket once the upload is there',
    body: presignAttachmentSchema,
    success: 201,
    response: presignedAttachmentViewSchema,
  },
  'GET /api/v2/attachments/{id}': {
    summary: 'One attachment (our addition): `state` stored or awaiting_upload, attachment_url once stored',
    success: 200,
    response: attachmentStateViewSchema,
  },
  'DELETE /api/v2/attachments/{id}': { summary: 'Delete an attachment', success: 204 },
  ...restoreOperation('/api/v2/attachments', 'attachment (its file stayed)', 'its ticket'),
  'POST /api/v2/integration_links': {
    summary: "Link a ticket, contact, company, call or chat to an app's outside record (our addition)",
    body: createIntegrationLinkSchema,
    success: 201,
    response: integrationLinkViewSchema,
  },
  'GET /api/v2/integration_links': {
    summary: 'List integration links; by record (record_type and record_id) or by app',
    query: integrationLinkListQuerySchema,
    success: 200,
    response: z.array(integrationLinkViewSchema),
  },
  'GET /api/v2/integration_links/{id}': {
    summary: 'View an integration link (ETag)',
    success: 200,
    response: integrationLinkViewSchema,
  },
  'PUT /api/v2/integration_links/{id}': {
    summary: 'Change the outside end of a link (If-Match)',
    body: updateIntegrationLinkSchema,
    success: 200,
    response: integrationLinkViewSchema,
  },
  'DELETE /api/v2/integration_links/{id}': { summary: 'Delete an integration link', success: 204 },
  ...restoreOperation('/api/v2/integration_links', 'integration link'),
  'POST /api/v2/contacts/{id}/portal_token': {
    summary:
      'Issue a portal token for a contact (admins; our addition; no body): `token`, `contact_id`, `expires_at` (1 hour). With `Authorization: Bearer <token>` the contact reads and rectifies their own profile (not `email`: 400 `email_not_editable`) and lists, reads, creates, replies to and rates their own tickets, seeing public conversations only, no helpdesk-internal fields, and custom fields as their `displayed_for_customers` / `customers_can_edit` settings say (a refused write: 403 naming the field); other routes answer 403',
    success: 201,
    response: portalTokenViewSchema,
  },
  'POST /api/v2/admin/portal_token_secret/rotate': {
    summary:
      "Rotate the account's portal-token secret (admins; our addition; no body): answers `rotated_at`. Every portal token issued before stops working: at once where the new secret is known, in every warm container within 5 minutes (docs/portal-tokens.md). Audited without values",
    success: 200,
    response: rotatedSecretViewSchema,
  },
  'GET /api/v2/admin/sso': {
    summary:
      "The account's single sign-on settings (admins; our addition): issuer, client_ids, email_claim, groups_claim, group_roles, sso_required, jit, jit_role. 404 when none (docs/sso.md)",
    success: 200,
    response: ssoSettingsViewSchema,
  },
  'PUT /api/v2/admin/sso': {
    summary:
      "Set the account's OpenID Connect single sign-on (admins; our addition): the issuer (https) and 1..10 client ids accepted in `aud` (or an access token's `client_id`); the claim naming the agent's e-mail (default `email`); optionally a groups claim and a map group → role; `sso_required` (agents' personal API keys answer 403 `sso_required`, integration keys keep working) and `jit` (unknown agents created on first sign-in with `jit_role`). An issuer + client id pair registered by another account of the region answers 409. Audited (field names only); settings reach every warm container within 5 s",
    body: ssoSettingsSchema,
    success: 200,
    response: ssoSettingsViewSchema,
  },
  'DELETE /api/v2/admin/sso': {
    summary:
      "Remove the account's single sign-on (admins; our addition): its tokens stop working, personal keys work again",
    success: 204,
  },
  'POST /api/v2/privacy/requests': {
    summary:
      "Record a data subject's request (our addition): export or erasure of a contact or agent, named by id or a contact's e-mail (resolved to the id, never stored); due one calendar month after receipt",
    body: createPrivacyRequestSchema,
    success: 201,
    response: shownPrivacyRequestSchema,
  },
  'GET /api/v2/privacy/requests': {
    summary:
      "List data subjects' requests, most recently changed first (filters: status, type, overdue). Admins see each request whole; other agents see its id, type, status and dates only",
    query: privacyRequestListQuerySchema,
    success: 200,
    response: z.array(shownPrivacyRequestSchema),
  },
  'GET /api/v2/privacy/requests/{id}': {
    summary:
      "View a data subject's request: status, progress, and a completed export's counts, checksum and download URLs (admins; other agents see its id, type, status and dates only). URLs are presigned afresh on every read (also in the list), each valid for an hour at most (download_expires_at) and never past the bundle's available_until (7 days after completion): read the request again for fresh ones. They answer as downloads (Content-Disposition: attachment) of each file's type. After available_until: no URLs and a notice",
    success: 200,
    response: shownPrivacyRequestSchema,
  },
  'GET /api/v2/privacy/requests/{id}/files': {
    summary:
      "A completed export's attachment and recording files (admins; 403 for other agents; byte-identical copies in the bundle): name, record, content_type, bytes, sha256 and a URL presigned for this read (an hour at most: expires_at); paged. 409 before completion and after available_until",
    query: storedFilesQuerySchema,
    success: 200,
    response: z.array(storedFileDownloadSchema),
  },
  'POST /api/v2/privacy/requests/{id}/verify': {
    summary:
      'Verify a request (admins): an export starts its workflow (execution privacy-<account>-<id>, started once however often verified); an erasure is recorded as verified (erasure workflows are not available yet)',
    body: verifyPrivacyRequestSchema,
    success: 200,
    response: shownPrivacyRequestSchema,
  },
  'POST /api/v2/privacy/requests/{id}/reject': {
    summary: 'Reject an unverified request with the reason (admins)',
    body: rejectPrivacyRequestSchema,
    success: 200,
    response: shownPrivacyRequestSchema,
  },
  'POST /api/v2/privacy/requests/{id}/retry': {
    summary:
      "Run a failed request again (admins): it is 'verified' again and a new execution privacy-<account>-<id>-retry-<n> repeats every step (each idempotent); 409 unless failed (a retry already under way is answered as it is)",
    success: 202,
    response: shownPrivacyRequestSchema,
  },
  'POST /api/v2/privacy/requests/{id}/restore': {
    summary:
      "Restore a completed soft erasure while its trash is held (admins); the request becomes 'restored'",
    success: 202,
    response: shownPrivacyRequestSchema,
  },
  'GET /api/v2/privacy/requests/{id}/preview': {
    summary:
      "What an erasure request would do if it ran now (admins; nothing changes): records per type it would remove (delete, or move to the trash when soft) or anonymise (an agent's contributions), the stored files the removed records reference, and the records legal holds keep (per type, per hold). Any status; 409 for an export. Reads the subject's links by Query: cost follows the subject",
    success: 200,
    response: erasurePreviewSchema,
  },
  'POST /api/v2/legal_holds': {
    summary:
      'Place a legal hold (admins, privacy_requests.manage; our addition) on a contact, a ticket or the whole account, with a reason (free text, never logged nor audited) and an optional future `ends_at`. While it holds, erasures (and the purge and retention rules) leave what it covers in place. One hold per target: 409 while another holds it. Audited (field names only)',
    body: createLegalHoldSchema,
    success: 201,
    response: legalHoldViewSchema,
  },
  'GET /api/v2/legal_holds': {
    summary:
      "List the account's legal holds, newest first, with their status: active, ended (past ends_at) or released",
    query: legalHoldListQuerySchema,
    success: 200,
    response: z.array(legalHoldViewSchema),
  },
  'GET /api/v2/legal_holds/{id}': {
    summary: 'View a legal hold (admins)',
    success: 200,
    response: legalHoldViewSchema,
  },
  'DELETE /api/v2/legal_holds/{id}': {
    summary:
      'Release a legal hold (admins): it stops holding at once and is kept, released, for the record; releasing it again changes nothing. Audited',
    success: 200,
    response: legalHoldViewSchema,
  },
  'POST /api/v2/tickets/bulk_update': {
    summary:
      'Update up to 100 tickets (`bulk_action.ids`) with the same `bulk_action.properties` (the fields of PUT /api/v2/tickets/{id}, checked before the job starts): 202 with `job_id`; each ticket is changed as the calling agent would change it alone (their scope, audited as theirs); `reply` is not supported',
    body: bulkUpdateSchema,
    success: 202,
    response: acceptedTicketJobViewSchema,
  },
  'POST /api/v2/tickets/bulk_delete': {
    summary:
      'Delete up to 100 tickets (`bulk_action.ids`), as DELETE /api/v2/tickets/{id} does each: 202 with `job_id`',
    body: bulkDeleteSchema,
    success: 202,
    response: acceptedTicketJobViewSchema,
  },
  'GET /api/v2/jobs/{id}': {
    summary:
      "A bulk job (the agent who asked, and admins): `status` (in_progress, completed, failed), `progress` (percent of tickets done) and `data`, one entry per ticket done: `{ id, success }`, with v2's `errors` when refused (a ticket outside the caller's scope is not found, as a missing one)",
    success: 200,
    response: ticketJobViewSchema,
  },
  'POST /api/v2/migrations': {
    summary:
      "Create a migration (admins; our addition): `source` (zendesk, native) and `files` (`entity`, `format` ndjson or csv, optional `size` in bytes); answers each file with a presigned `upload_url` into the region's migrations bucket: a PUT that must carry `upload_headers` (its Content-Type, and the Content-Length of `size` when announced; S3 refuses another type or size), until `upload_expires_at` (1 hour)",
    body: createMigrationSchema,
    success: 201,
    response: migrationViewSchema,
  },
  'GET /api/v2/migrations': {
    summary: 'List migrations, most recently changed first (admins)',
    query: migrationListQuerySchema,
    success: 200,
    response: z.array(migrationViewSchema),
  },
  'GET /api/v2/migrations/{id}': {
    summary:
      'View a migration (admins): status, `counts` (total, imported, skipped, failed; live while it runs), `failure`, and once completed `error_report_url` (NDJSON: line, source_id, field, reason; 1 hour); a run whose execution ended without saying so (stopped, timed out) shows `failed`',
    success: 200,
    response: migrationViewSchema,
  },
  'POST /api/v2/migrations/{id}/uploads': {
    summary:
      'New upload URLs (admins): answers the migration with a fresh presigned `upload_url` and its `upload_headers` (1 hour) for each file not uploaded yet; 409 once it was started',
    success: 200,
    response: migrationViewSchema,
  },
  'POST /api/v2/migrations/{id}/start': {
    summary:
      'Start a migration once its files are uploaded (admins; 409 otherwise): a Step Functions execution migration-<account>-<id>-<run>; a running one is answered as it is; a failed one, or one whose execution ended (stopped, timed out), runs again, skipping what it imported; a completed one is final (409: its files are deleted)',
    success: 200,
    response: migrationViewSchema,
  },
};

/** The five operations of a resource built with crudRoutes (lambdas/http/crud-routes.ts). */
function crudOperations(resource: {
  readonly path: string;
  readonly under?: { readonly path: string; readonly collection: string; readonly noun: string };
  readonly noun: string;
  /** Who may change or delete a record. */
  readonly who: string;
  readonly create: z.ZodType;
  readonly update: z.ZodType;
  readonly query: z.ZodType;
  /** The schema of the resource's view. */
  readonly view: z.ZodType;
}): Record<string, Operation> {
  const { path, under, noun, who, view } = resource;
  const collection = under ? `${under.path}/{id}/${under.collection}` : path;
  const where = under ? ` of a ${under.noun}` : '';
  const plural = noun.endsWith('y') ? `${noun.slice(0, -1)}ies` : `${noun}s`;
  return {
    [`POST ${collection}`]: {
      summary: `Create a ${noun}${under ? ` in a ${under.noun}` : ''}`,
      body: resource.create,
      success: 201,
      response: view,
    },
    [`GET ${collection}`]: {
      summary: `List the ${plural}${where}`,
      query: resource.query,
      success: 200,
      response: z.array(view),
    },
    [`GET ${path}/{id}`]: { summary: `View a ${noun} (ETag)`, success: 200, response: view },
    [`PUT ${path}/{id}`]: {
      summary: `Update a ${noun} (${who}; If-Match)`,
      body: resource.update,
      success: 200,
      response: view,
    },
    [`DELETE ${path}/{id}`]: {
      summary: `Delete a ${noun} (${who}); what it holds answers 404 from then on`,
      success: 204,
    },
  };
}

/**
 * `PUT <path>/{id}/restore` of a soft-deletable kind (lambdas/domain/purge/record-trash.ts), with the
 * permission of its DELETE; `parent`: the record that hides it while deleted.
 */
function restoreOperation(path: string, noun: string, parent?: string): Record<string, Operation> {
  const conflict = parent ? `; 409 while ${parent} is deleted (restore that first)` : '';
  return {
    [`PUT ${path}/{id}/restore`]: {
      summary: `Restore a deleted ${noun} from the trash, within 60 days of its deletion, exactly as it was (a live one: 204, unchanged; purged: 404)${conflict}`,
      success: 204,
    },
  };
}

/** v2's `/{language}` variants of a solution record: its translation into one of the account's languages. */
function translationOperations(resource: {
  readonly path: string;
  readonly noun: string;
  readonly who: string;
  readonly create: z.ZodType;
  readonly update: z.ZodType;
  /** The schema of a translation's view. */
  readonly view: z.ZodType;
}): Record<string, Operation> {
  const { path, noun, who, view } = resource;
  const at = `${path}/{id}/{language}`;
  return {
    [`POST ${at}`]: {
      summary: `Translate a ${noun} into one of the account's supported languages (${who}; 409 if it exists)`,
      body: resource.create,
      success: 201,
      response: view,
    },
    [`GET ${at}`]: {
      summary: `View a ${noun} in one language (ETag of the translation)`,
      success: 200,
      response: view,
    },
    [`PUT ${at}`]: {
      summary: `Update the translation of a ${noun} (${who}; If-Match)`,
      body: resource.update,
      success: 200,
      response: view,
    },
  };
}

/** The multipart/form-data form of a body: its fields, plus files in `attachments[]` (Freshdesk v2). */
function multipartSchema(body: z.ZodType) {
  const json = z.toJSONSchema(body, { io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, unknown>;
  };
  return {
    type: 'object',
    properties: {
      ...json.properties,
      'attachments[]': {
        type: 'array',
        maxItems: multipartLimits.maxFiles,
        items: { type: 'string', contentMediaType: 'application/octet-stream' },
      },
    },
    description: `Arrays as repeated name[] fields, objects as name[key] fields; at most ${multipartLimits.maxBodyBytes} bytes in all (larger: 413; use the presigned upload).`,
  };
}

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

function queryParameters(schema: z.ZodType | undefined) {
  if (!schema) return [];
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, object>;
  };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: 'query',
    required: false,
    schema: property,
  }));
}

/** The OpenAPI 3.1 document of a region's API, generated from the route table and the zod schemas. */
export function buildOpenApiDocument() {
  const paths: Record<string, Record<string, unknown>> = {};
  // The operator routes (IAM-authorized, the vendor's) are not part of the public API: docs/operators.md.
  for (const route of apiRoutes.filter((candidate) => candidate.authorization !== 'iam')) {
    const key = `${route.method} ${route.path}`;
    const operation = operations[key];
    if (!operation) throw new Error(`Route ${key} is not described in the OpenAPI operations`);
    const pathParameters = [...route.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
      name,
      in: 'path',
      required: true,
      schema: { type: 'integer', minimum: 1 },
    }));
    paths[route.path] ??= {};
    paths[route.path]![route.method.toLowerCase()] = {
      summary: operation.summary,
      operationId: key.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_|_$/g, ''),
      ...(operation.auth === false ? { security: [] } : {}),
      ...(requesterRoutes.has(key)
        ? { security: [{ apiKey: [] }, { ssoToken: [] }, { portalToken: [] }] }
        : {}),
      // The permission an agent's role needs for the route (lambdas/http/route-permissions.ts).
      'x-permission': routeRequirement(key),
      parameters: [...pathParameters, ...queryParameters(operation.query)],
      ...(operation.body
        ? {
            requestBody: {
              required: true,
              content: {
                'application/json': {
                  schema: z.toJSONSchema(operation.body, { io: 'input', unrepresentable: 'any' }),
                },
                ...(operation.multipart
                  ? { 'multipart/form-data': { schema: multipartSchema(operation.body) } }
                  : {}),
              },
            },
          }
        : {}),
      responses: {
        [operation.success]: operation.response
          ? {
              description: 'Success',
              content: {
                'application/json': {
                  schema: z.toJSONSchema(operation.response, { io: 'output', unrepresentable: 'any' }),
                },
              },
            }
          : { description: 'No content' },
        ...(operation.alternative
          ? {
              [operation.alternative.status]: {
                description: operation.alternative.description,
                content: {
                  'application/json': {
                    schema: z.toJSONSchema(operation.alternative.response, {
                      io: 'output',
                      unrepresentable: 'any',
                    }),
                  },
                },
              },
            }
          : {}),
        ...(operation.body || operation.query
          ? { 400: errorResponse('Validation failed; `errors[]` names each field') }
          : {}),
        ...(operation.auth === false
          ? {}
          : {
              401: errorResponse('Missing or unknown API key'),
              403: errorResponse('The role may not do this'),
              404: errorResponse('No such record in the calling account'),
              409: errorResponse('Changed since read (If-Match), or a unique value is taken'),
              421: errorResponse('The account is hosted in another region; `home_region` names it'),
            }),
        ...(operation.multipart ? { 413: errorResponse('The multipart body is larger than the limit') } : {}),
        503: errorResponse('Throttled; retry after `Retry-After` seconds'),
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Helpdesk data platform API',
      version: '2',
      description:
        'Freshdesk API v2 wire format, one API per hosting region. Authenticate with an API key over HTTP Basic auth (key as user name, any password).',
    },
    servers: Object.values(hostingRegions).map((region) => ({
      url: `https://{api-id}.execute-api.${region.awsRegion}.amazonaws.com`,
      description: region.name,
      variables: { 'api-id': { default: 'api-id' } },
    })),
    security: [{ apiKey: [] }, { ssoToken: [] }],
    components: {
      securitySchemes: {
        apiKey: {
          type: 'http',
          scheme: 'basic',
          description: 'API key as user name; the password is ignored',
        },
        ssoToken: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            "An OpenID Connect ID token (or an access token naming the client in `aud` or `client_id`) from the account's identity provider (PUT /api/v2/admin/sso; docs/sso.md), as the agent with the token's e-mail. Signature (asymmetric algorithms only), iss, aud, exp and nbf are checked (30 s clock tolerance); any fault answers 401, an identity provider that cannot be reached 503",
        },
        portalToken: {
          type: 'http',
          scheme: 'bearer',
          description:
            'A requester (contact) portal token from POST /api/v2/contacts/{id}/portal_token; only on the routes that list it (any other route answers 403). Expired, forged or rotated-out tokens answer 401',
        },
      },
      schemas: {
        Error: {
          type: 'object',
          required: ['description', 'errors'],
          properties: {
            description: { type: 'string' },
            errors: {
              type: 'array',
              items: {
                type: 'object',
                required: ['message', 'code'],
                properties: {
                  field: { type: 'string' },
                  message: { type: 'string' },
                  code: { type: 'string' },
                },
              },
            },
            code: { type: 'string' },
            message: { type: 'string' },
            home_region: { type: 'string' },
            request_id: { type: 'string' },
          },
        },
      },
    },
    paths,
  };
}
