import type { ApiFunctionAccess } from './function-access.ts';

/**
 * The HTTP API of a hosting region: which function serves which route, and what each function may
 * reach. The API stack creates one Lambda function per entry of `apiFunctions`, with only the
 * permissions and settings its `access` declares, and one API Gateway route per entry of `apiRoutes`;
 * the local runtime routes requests with the same table to the same handler modules.
 */
export interface ApiFunctionSpec {
  /** Handler module, relative to the repository root. */
  readonly entry: string;
  readonly description: string;
  /** The only table, buckets, workflows and key uses the function may reach (see ApiFunctionAccess). */
  readonly access: ApiFunctionAccess;
}

/** Every authenticated function reads and writes records; the few below only read. */
const records = { table: 'readWrite' } as const;

export const apiFunctions = {
  health: { entry: 'lambdas/api/health.ts', description: 'Liveness of the regional API', access: {} },
  openapi: { entry: 'lambdas/api/openapi.ts', description: 'The OpenAPI document', access: {} },
  account: {
    entry: 'lambdas/api/account.ts',
    description: 'The calling account and its helpdesk settings',
    access: { table: 'read' },
  },
  contacts: {
    entry: 'lambdas/api/contacts.ts',
    description: 'Contacts (requesters)',
    // v2 deletions and restores of contacts are erasures; issues portal tokens, serves their profiles.
    access: { ...records, workflows: { start: ['privacyErasure'] }, portalSecrets: true },
  },
  auditLog: {
    entry: 'lambdas/api/audit-log.ts',
    description: 'Audit log of record changes',
    access: { table: 'read' },
  },
  tickets: {
    entry: 'lambdas/api/tickets.ts',
    description: 'Tickets and their conversations',
    // Requesters read and write their own tickets with portal tokens.
    access: { ...records, objects: { attachments: ['read', 'write'] }, portalSecrets: true },
  },
  agents: {
    entry: 'lambdas/api/agents.ts',
    description: 'Agents and their API keys',
    access: records,
  },
  roles: {
    entry: 'lambdas/api/roles.ts',
    description: 'Roles (fixed and custom) and ticket sharing rules',
    access: records,
  },
  companies: { entry: 'lambdas/api/companies.ts', description: 'Companies', access: records },
  groups: { entry: 'lambdas/api/groups.ts', description: 'Groups of agents', access: records },
  calls: {
    entry: 'lambdas/api/calls.ts',
    description: 'Call records and recordings',
    // Downloads from the home bucket; uploads where recordings land first, checked there, and a
    // deleted call's recording still in staging deleted with every version.
    access: {
      ...records,
      objects: { recordings: ['read'], recordingUploads: ['read', 'write', 'deleteVersions'] },
    },
  },
  chats: { entry: 'lambdas/api/chats.ts', description: 'Chat conversations and messages', access: records },
  satisfactionRatings: {
    entry: 'lambdas/api/satisfaction-ratings.ts',
    description: 'Satisfaction ratings',
    // Requesters rate their own tickets with portal tokens.
    access: { ...records, portalSecrets: true },
  },
  timeEntries: {
    entry: 'lambdas/api/time-entries.ts',
    description: 'Time entries on tickets and their timers',
    access: records,
  },
  discussions: {
    entry: 'lambdas/api/discussions.ts',
    description: 'Discussions: forums, topics, comments',
    access: records,
  },
  solutions: {
    entry: 'lambdas/api/solutions.ts',
    description: 'Solutions: the knowledge base',
    access: records,
  },
  fields: {
    entry: 'lambdas/api/fields.ts',
    // The helpdesk's configuration in one function: the API stack's room is routes (docs/deploy.md).
    description: 'Helpdesk configuration: contact, ticket and company fields, products, canned responses',
    access: records,
  },
  integrationLinks: {
    entry: 'lambdas/api/integration-links.ts',
    description: "Apps' links from records to outside records",
    access: records,
  },
  privacyRequests: {
    entry: 'lambdas/api/privacy-requests.ts',
    description: "Data subjects' requests (export, erasure, its preview) and legal holds",
    // Presigns downloads of export bundles; starts exports and erasures (restore, retry).
    access: {
      ...records,
      objects: { exports: ['read'] },
      workflows: { start: ['privacyExport', 'privacyErasure'] },
    },
  },
  migrations: {
    entry: 'lambdas/api/migrations.ts',
    description: 'Migration imports from other helpdesks',
    // Presigns uploads and report downloads, checks uploads arrived; starts runs and reads how they end.
    access: {
      ...records,
      objects: { migrations: ['read', 'write'] },
      workflows: { start: ['migration'], describe: ['migration'] },
    },
  },
  ticketJobs: {
    entry: 'lambdas/api/ticket-jobs.ts',
    description: 'Bulk ticket updates and deletions, and their jobs',
    // Stores a job and starts its execution; the workflow makes the changes (docs/api.md, Jobs).
    access: { ...records, workflows: { start: ['ticketJobs'] } },
  },
  operators: {
    entry: 'lambdas/api/operators.ts',
    description: "Operators: the region's accounts (IAM-authorized)",
    // Creates accounts (profile, first admin, key, directory and audit entries), lists and changes them.
    access: { accountDirectory: true },
  },
  sso: {
    entry: 'lambdas/api/sso.ts',
    description: "The account's single sign-on settings",
    access: records,
  },
  retentionPolicies: {
    entry: 'lambdas/api/retention-policies.ts',
    description: "The account's retention rules and their dry run",
    access: records,
  },
} as const satisfies Record<string, ApiFunctionSpec>;

export type ApiFunctionName = keyof typeof apiFunctions;

/**
 * The functions that issue portal tokens, rotate their secret or serve a route a requester may call
 * with one (`requesterRoutes` in lambdas/http/requester-routes.ts): those that declare `portalSecrets`.
 * Only they read portal-token secrets, so only they may decrypt them with the data key. Every other
 * function refuses a Bearer token by its route before reading any secret.
 */
export const portalTokenFunctions = (Object.keys(apiFunctions) as ApiFunctionName[]).filter(
  (name) => (apiFunctions[name].access as ApiFunctionAccess).portalSecrets,
);

export interface ApiRoute {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  /** API Gateway path syntax, e.g. /api/v2/tickets/{id}. */
  readonly path: string;
  readonly function: ApiFunctionName;
  /**
   * `iam`: API Gateway authorizes the caller by AWS IAM (SigV4) before the function runs, and hands it
   * the caller's IAM identity (the vendor's operators, docs/operators.md). Absent: no gateway
   * authorization; the function authenticates API keys and portal tokens itself.
   */
  readonly authorization?: 'iam';
}

/** `METHOD /path` of a route, as API Gateway's `routeKey` names it. */
type RouteKeyOf<R> = R extends { method: infer M extends string; path: infer P extends string }
  ? `${M} ${P}`
  : never;

const routeTable = [
  { method: 'GET', path: '/api/v2/health', function: 'health' },
  { method: 'GET', path: '/api/v2/openapi.json', function: 'openapi' },
  { method: 'GET', path: '/api/v2/account', function: 'account' },
  { method: 'GET', path: '/api/v2/settings/helpdesk', function: 'account' },
  { method: 'POST', path: '/api/v2/contacts', function: 'contacts' },
  { method: 'GET', path: '/api/v2/contacts', function: 'contacts' },
  { method: 'GET', path: '/api/v2/contacts/autocomplete', function: 'contacts' },
  { method: 'GET', path: '/api/v2/search/contacts', function: 'contacts' },
  { method: 'GET', path: '/api/v2/contacts/{id}', function: 'contacts' },
  { method: 'PUT', path: '/api/v2/contacts/{id}', function: 'contacts' },
  { method: 'DELETE', path: '/api/v2/contacts/{id}', function: 'contacts' },
  { method: 'PUT', path: '/api/v2/contacts/{id}/restore', function: 'contacts' },
  { method: 'DELETE', path: '/api/v2/contacts/{id}/hard_delete', function: 'contacts' },
  { method: 'POST', path: '/api/v2/contacts/merge', function: 'contacts' },
  { method: 'GET', path: '/api/v2/audit_log', function: 'auditLog' },
  { method: 'POST', path: '/api/v2/tickets', function: 'tickets' },
  { method: 'GET', path: '/api/v2/tickets', function: 'tickets' },
  { method: 'GET', path: '/api/v2/search/tickets', function: 'tickets' },
  { method: 'GET', path: '/api/v2/tickets/{id}', function: 'tickets' },
  { method: 'PUT', path: '/api/v2/tickets/{id}', function: 'tickets' },
  { method: 'DELETE', path: '/api/v2/tickets/{id}', function: 'tickets' },
  { method: 'PUT', path: '/api/v2/tickets/{id}/restore', function: 'tickets' },
  { method: 'PUT', path: '/api/v2/tickets/merge', function: 'tickets' },
  { method: 'POST', path: '/api/v2/tickets/{id}/watch', function: 'tickets' },
  { method: 'PUT', path: '/api/v2/tickets/{id}/unwatch', function: 'tickets' },
  { method: 'GET', path: '/api/v2/tickets/{id}/watchers', function: 'tickets' },
  { method: 'POST', path: '/api/v2/tickets/bulk_watch', function: 'tickets' },
  { method: 'PUT', path: '/api/v2/tickets/bulk_unwatch', function: 'tickets' },
  { method: 'POST', path: '/api/v2/tickets/{id}/reply', function: 'tickets' },
  { method: 'POST', path: '/api/v2/tickets/{id}/notes', function: 'tickets' },
  { method: 'GET', path: '/api/v2/tickets/{id}/conversations', function: 'tickets' },
  { method: 'PUT', path: '/api/v2/conversations/{id}', function: 'tickets' },
  { method: 'DELETE', path: '/api/v2/conversations/{id}', function: 'tickets' },
  { method: 'PUT', path: '/api/v2/conversations/{id}/restore', function: 'tickets' },
  { method: 'POST', path: '/api/v2/tickets/{id}/huddle', function: 'tickets' },
  { method: 'GET', path: '/api/v2/tickets/{id}/huddle', function: 'tickets' },
  { method: 'DELETE', path: '/api/v2/huddle_messages/{id}', function: 'tickets' },
  { method: 'PUT', path: '/api/v2/huddle_messages/{id}/restore', function: 'tickets' },
  { method: 'GET', path: '/api/v2/agents/me', function: 'agents' },
  { method: 'GET', path: '/api/v2/agents', function: 'agents' },
  { method: 'GET', path: '/api/v2/agents/{id}', function: 'agents' },
  { method: 'PUT', path: '/api/v2/agents/{id}', function: 'agents' },
  { method: 'DELETE', path: '/api/v2/agents/{id}', function: 'agents' },
  { method: 'GET', path: '/api/v2/roles', function: 'roles' },
  { method: 'GET', path: '/api/v2/roles/{id}', function: 'roles' },
  { method: 'POST', path: '/api/v2/agents', function: 'agents' },
  { method: 'GET', path: '/api/v2/api_keys', function: 'agents' },
  { method: 'POST', path: '/api/v2/api_keys', function: 'agents' },
  { method: 'DELETE', path: '/api/v2/api_keys/{id}', function: 'agents' },
  { method: 'GET', path: '/api/v2/agents/{id}/api_keys', function: 'agents' },
  { method: 'POST', path: '/api/v2/agents/{id}/api_keys', function: 'agents' },
  { method: 'DELETE', path: '/api/v2/agents/{id}/api_keys/{key_id}', function: 'agents' },
  { method: 'POST', path: '/api/v2/companies', function: 'companies' },
  { method: 'GET', path: '/api/v2/companies', function: 'companies' },
  { method: 'GET', path: '/api/v2/companies/autocomplete', function: 'companies' },
  { method: 'GET', path: '/api/v2/search/companies', function: 'companies' },
  { method: 'GET', path: '/api/v2/companies/{id}', function: 'companies' },
  { method: 'PUT', path: '/api/v2/companies/{id}', function: 'companies' },
  { method: 'DELETE', path: '/api/v2/companies/{id}', function: 'companies' },
  { method: 'PUT', path: '/api/v2/companies/{id}/restore', function: 'companies' },
  { method: 'POST', path: '/api/v2/tickets/{id}/satisfaction_ratings', function: 'satisfactionRatings' },
  { method: 'GET', path: '/api/v2/tickets/{id}/satisfaction_ratings', function: 'satisfactionRatings' },
  { method: 'GET', path: '/api/v2/surveys/satisfaction_ratings', function: 'satisfactionRatings' },
  { method: 'POST', path: '/api/v2/canned_response_folders', function: 'fields' },
  { method: 'GET', path: '/api/v2/canned_response_folders', function: 'fields' },
  { method: 'GET', path: '/api/v2/canned_response_folders/{id}', function: 'fields' },
  { method: 'PUT', path: '/api/v2/canned_response_folders/{id}', function: 'fields' },
  { method: 'GET', path: '/api/v2/canned_response_folders/{id}/responses', function: 'fields' },
  { method: 'POST', path: '/api/v2/canned_responses', function: 'fields' },
  { method: 'GET', path: '/api/v2/canned_responses', function: 'fields' },
  { method: 'GET', path: '/api/v2/canned_responses/{id}', function: 'fields' },
  { method: 'PUT', path: '/api/v2/canned_responses/{id}', function: 'fields' },
  { method: 'POST', path: '/api/v2/products', function: 'fields' },
  { method: 'GET', path: '/api/v2/products', function: 'fields' },
  { method: 'GET', path: '/api/v2/products/{id}', function: 'fields' },
  { method: 'PUT', path: '/api/v2/products/{id}', function: 'fields' },
  { method: 'DELETE', path: '/api/v2/products/{id}', function: 'fields' },
  { method: 'PUT', path: '/api/v2/products/{id}/restore', function: 'fields' },
  { method: 'POST', path: '/api/v2/tickets/{id}/time_entries', function: 'timeEntries' },
  { method: 'GET', path: '/api/v2/tickets/{id}/time_entries', function: 'timeEntries' },
  { method: 'GET', path: '/api/v2/time_entries', function: 'timeEntries' },
  { method: 'PUT', path: '/api/v2/time_entries/{id}', function: 'timeEntries' },
  { method: 'PUT', path: '/api/v2/time_entries/{id}/toggle_timer', function: 'timeEntries' },
  { method: 'DELETE', path: '/api/v2/time_entries/{id}', function: 'timeEntries' },
  { method: 'PUT', path: '/api/v2/time_entries/{id}/restore', function: 'timeEntries' },
  { method: 'POST', path: '/api/v2/calls', function: 'calls' },
  { method: 'GET', path: '/api/v2/calls', function: 'calls' },
  { method: 'GET', path: '/api/v2/calls/{id}', function: 'calls' },
  { method: 'DELETE', path: '/api/v2/calls/{id}', function: 'calls' },
  { method: 'PUT', path: '/api/v2/calls/{id}/restore', function: 'calls' },
  { method: 'POST', path: '/api/v2/chats', function: 'chats' },
  { method: 'GET', path: '/api/v2/chats', function: 'chats' },
  { method: 'GET', path: '/api/v2/chats/{id}', function: 'chats' },
  { method: 'DELETE', path: '/api/v2/chats/{id}', function: 'chats' },
  { method: 'PUT', path: '/api/v2/chats/{id}/restore', function: 'chats' },
  { method: 'POST', path: '/api/v2/chats/{id}/messages', function: 'chats' },
  { method: 'GET', path: '/api/v2/chats/{id}/messages', function: 'chats' },
  { method: 'POST', path: '/api/v2/groups', function: 'groups' },
  { method: 'GET', path: '/api/v2/groups', function: 'groups' },
  { method: 'GET', path: '/api/v2/groups/{id}', function: 'groups' },
  { method: 'PUT', path: '/api/v2/groups/{id}', function: 'groups' },
  { method: 'DELETE', path: '/api/v2/groups/{id}', function: 'groups' },
  { method: 'PUT', path: '/api/v2/groups/{id}/restore', function: 'groups' },
  { method: 'POST', path: '/api/v2/discussions/categories', function: 'discussions' },
  { method: 'GET', path: '/api/v2/discussions/categories', function: 'discussions' },
  { method: 'GET', path: '/api/v2/discussions/categories/{id}', function: 'discussions' },
  { method: 'PUT', path: '/api/v2/discussions/categories/{id}', function: 'discussions' },
  { method: 'DELETE', path: '/api/v2/discussions/categories/{id}', function: 'discussions' },
  { method: 'PUT', path: '/api/v2/discussions/categories/{id}/restore', function: 'discussions' },
  { method: 'POST', path: '/api/v2/discussions/categories/{id}/forums', function: 'discussions' },
  { method: 'GET', path: '/api/v2/discussions/categories/{id}/forums', function: 'discussions' },
  { method: 'GET', path: '/api/v2/discussions/forums/{id}', function: 'discussions' },
  { method: 'PUT', path: '/api/v2/discussions/forums/{id}', function: 'discussions' },
  { method: 'DELETE', path: '/api/v2/discussions/forums/{id}', function: 'discussions' },
  { method: 'PUT', path: '/api/v2/discussions/forums/{id}/restore', function: 'discussions' },
  { method: 'POST', path: '/api/v2/discussions/forums/{id}/topics', function: 'discussions' },
  { method: 'GET', path: '/api/v2/discussions/forums/{id}/topics', function: 'discussions' },
  { method: 'GET', path: '/api/v2/discussions/topics/{id}', function: 'discussions' },
  { method: 'PUT', path: '/api/v2/discussions/topics/{id}', function: 'discussions' },
  { method: 'DELETE', path: '/api/v2/discussions/topics/{id}', function: 'discussions' },
  { method: 'PUT', path: '/api/v2/discussions/topics/{id}/restore', function: 'discussions' },
  { method: 'POST', path: '/api/v2/discussions/topics/{id}/comments', function: 'discussions' },
  { method: 'GET', path: '/api/v2/discussions/topics/{id}/comments', function: 'discussions' },
  { method: 'GET', path: '/api/v2/discussions/comments/{id}', function: 'discussions' },
  { method: 'PUT', path: '/api/v2/discussions/comments/{id}', function: 'discussions' },
  { method: 'DELETE', path: '/api/v2/discussions/comments/{id}', function: 'discussions' },
  { method: 'PUT', path: '/api/v2/discussions/comments/{id}/restore', function: 'discussions' },
  { method: 'POST', path: '/api/v2/solutions/categories', function: 'solutions' },
  { method: 'GET', path: '/api/v2/solutions/categories', function: 'solutions' },
  { method: 'GET', path: '/api/v2/solutions/categories/{id}', function: 'solutions' },
  { method: 'PUT', path: '/api/v2/solutions/categories/{id}', function: 'solutions' },
  { method: 'DELETE', path: '/api/v2/solutions/categories/{id}', function: 'solutions' },
  { method: 'PUT', path: '/api/v2/solutions/categories/{id}/restore', function: 'solutions' },
  { method: 'POST', path: '/api/v2/solutions/categories/{id}/folders', function: 'solutions' },
  { method: 'GET', path: '/api/v2/solutions/categories/{id}/folders', function: 'solutions' },
  { method: 'GET', path: '/api/v2/solutions/folders/{id}', function: 'solutions' },
  { method: 'PUT', path: '/api/v2/solutions/folders/{id}', function: 'solutions' },
  { method: 'DELETE', path: '/api/v2/solutions/folders/{id}', function: 'solutions' },
  { method: 'PUT', path: '/api/v2/solutions/folders/{id}/restore', function: 'solutions' },
  { method: 'POST', path: '/api/v2/solutions/folders/{id}/articles', function: 'solutions' },
  { method: 'GET', path: '/api/v2/solutions/folders/{id}/articles', function: 'solutions' },
  { method: 'GET', path: '/api/v2/solutions/articles/{id}', function: 'solutions' },
  { method: 'PUT', path: '/api/v2/solutions/articles/{id}', function: 'solutions' },
  { method: 'DELETE', path: '/api/v2/solutions/articles/{id}', function: 'solutions' },
  { method: 'PUT', path: '/api/v2/solutions/articles/{id}/restore', function: 'solutions' },
  { method: 'POST', path: '/api/v2/solutions/categories/{id}/{language}', function: 'solutions' },
  { method: 'GET', path: '/api/v2/solutions/categories/{id}/{language}', function: 'solutions' },
  { method: 'PUT', path: '/api/v2/solutions/categories/{id}/{language}', function: 'solutions' },
  { method: 'POST', path: '/api/v2/solutions/folders/{id}/{language}', function: 'solutions' },
  { method: 'GET', path: '/api/v2/solutions/folders/{id}/{language}', function: 'solutions' },
  { method: 'PUT', path: '/api/v2/solutions/folders/{id}/{language}', function: 'solutions' },
  { method: 'POST', path: '/api/v2/solutions/articles/{id}/{language}', function: 'solutions' },
  { method: 'GET', path: '/api/v2/solutions/articles/{id}/{language}', function: 'solutions' },
  { method: 'PUT', path: '/api/v2/solutions/articles/{id}/{language}', function: 'solutions' },
  { method: 'GET', path: '/api/v2/search/solutions', function: 'solutions' },
  { method: 'PUT', path: '/api/v2/contacts/{id}/make_agent', function: 'contacts' },
  { method: 'GET', path: '/api/v2/contact_fields', function: 'fields' },
  { method: 'POST', path: '/api/v2/admin/contact_fields', function: 'fields' },
  { method: 'GET', path: '/api/v2/admin/contact_fields', function: 'fields' },
  { method: 'GET', path: '/api/v2/admin/contact_fields/{id}', function: 'fields' },
  { method: 'PUT', path: '/api/v2/admin/contact_fields/{id}', function: 'fields' },
  { method: 'DELETE', path: '/api/v2/admin/contact_fields/{id}', function: 'fields' },
  { method: 'GET', path: '/api/v2/ticket_fields', function: 'fields' },
  { method: 'POST', path: '/api/v2/admin/ticket_fields', function: 'fields' },
  { method: 'GET', path: '/api/v2/admin/ticket_fields', function: 'fields' },
  { method: 'GET', path: '/api/v2/admin/ticket_fields/{id}', function: 'fields' },
  { method: 'PUT', path: '/api/v2/admin/ticket_fields/{id}', function: 'fields' },
  { method: 'DELETE', path: '/api/v2/admin/ticket_fields/{id}', function: 'fields' },
  { method: 'GET', path: '/api/v2/company_fields', function: 'fields' },
  { method: 'POST', path: '/api/v2/admin/company_fields', function: 'fields' },
  { method: 'GET', path: '/api/v2/admin/company_fields', function: 'fields' },
  { method: 'GET', path: '/api/v2/admin/company_fields/{id}', function: 'fields' },
  { method: 'PUT', path: '/api/v2/admin/company_fields/{id}', function: 'fields' },
  { method: 'DELETE', path: '/api/v2/admin/company_fields/{id}', function: 'fields' },
  { method: 'POST', path: '/api/v2/tickets/{id}/attachments', function: 'tickets' },
  { method: 'GET', path: '/api/v2/attachments/{id}', function: 'tickets' },
  { method: 'DELETE', path: '/api/v2/attachments/{id}', function: 'tickets' },
  { method: 'PUT', path: '/api/v2/attachments/{id}/restore', function: 'tickets' },
  { method: 'POST', path: '/api/v2/integration_links', function: 'integrationLinks' },
  { method: 'GET', path: '/api/v2/integration_links', function: 'integrationLinks' },
  { method: 'GET', path: '/api/v2/integration_links/{id}', function: 'integrationLinks' },
  { method: 'PUT', path: '/api/v2/integration_links/{id}', function: 'integrationLinks' },
  { method: 'DELETE', path: '/api/v2/integration_links/{id}', function: 'integrationLinks' },
  { method: 'PUT', path: '/api/v2/integration_links/{id}/restore', function: 'integrationLinks' },
  { method: 'POST', path: '/api/v2/contacts/{id}/portal_token', function: 'contacts' },
  { method: 'POST', path: '/api/v2/admin/portal_token_secret/rotate', function: 'contacts' },
  { method: 'POST', path: '/api/v2/privacy/requests', function: 'privacyRequests' },
  { method: 'GET', path: '/api/v2/privacy/requests', function: 'privacyRequests' },
  { method: 'GET', path: '/api/v2/privacy/requests/{id}', function: 'privacyRequests' },
  { method: 'GET', path: '/api/v2/privacy/requests/{id}/files', function: 'privacyRequests' },
  { method: 'POST', path: '/api/v2/privacy/requests/{id}/verify', function: 'privacyRequests' },
  { method: 'POST', path: '/api/v2/privacy/requests/{id}/reject', function: 'privacyRequests' },
  { method: 'POST', path: '/api/v2/privacy/requests/{id}/restore', function: 'privacyRequests' },
  { method: 'POST', path: '/api/v2/privacy/requests/{id}/retry', function: 'privacyRequests' },
  { method: 'POST', path: '/api/v2/migrations', function: 'migrations' },
  { method: 'GET', path: '/api/v2/migrations', function: 'migrations' },
  { method: 'GET', path: '/api/v2/migrations/{id}', function: 'migrations' },
  { method: 'POST', path: '/api/v2/migrations/{id}/uploads', function: 'migrations' },
  { method: 'POST', path: '/api/v2/migrations/{id}/start', function: 'migrations' },
  { method: 'GET', path: '/api/v2/admin/sso', function: 'sso' },
  { method: 'PUT', path: '/api/v2/admin/sso', function: 'sso' },
  { method: 'DELETE', path: '/api/v2/admin/sso', function: 'sso' },
  // The vendor's operators (AWS IAM, not API keys): not part of the public API nor its OpenAPI document.
  { method: 'POST', path: '/operator/v1/accounts', function: 'operators', authorization: 'iam' },
  { method: 'GET', path: '/operator/v1/accounts', function: 'operators', authorization: 'iam' },
  { method: 'GET', path: '/operator/v1/accounts/{id}', function: 'operators', authorization: 'iam' },
  { method: 'POST', path: '/operator/v1/accounts/{id}/suspend', function: 'operators', authorization: 'iam' },
  {
    method: 'POST',
    path: '/operator/v1/accounts/{id}/reactivate',
    function: 'operators',
    authorization: 'iam',
  },
  { method: 'PUT', path: '/operator/v1/accounts/{id}/products', function: 'operators', authorization: 'iam' },
  { method: 'GET', path: '/operator/v1/audit', function: 'operators', authorization: 'iam' },
  { method: 'POST', path: '/api/v2/roles', function: 'roles' },
  { method: 'PUT', path: '/api/v2/roles/{id}', function: 'roles' },
  { method: 'DELETE', path: '/api/v2/roles/{id}', function: 'roles' },
  { method: 'POST', path: '/api/v2/sharing_rules', function: 'roles' },
  { method: 'GET', path: '/api/v2/sharing_rules', function: 'roles' },
  { method: 'GET', path: '/api/v2/sharing_rules/{id}', function: 'roles' },
  { method: 'PUT', path: '/api/v2/sharing_rules/{id}', function: 'roles' },
  { method: 'DELETE', path: '/api/v2/sharing_rules/{id}', function: 'roles' },
  { method: 'GET', path: '/api/v2/privacy/requests/{id}/preview', function: 'privacyRequests' },
  { method: 'POST', path: '/api/v2/legal_holds', function: 'privacyRequests' },
  { method: 'GET', path: '/api/v2/legal_holds', function: 'privacyRequests' },
  { method: 'GET', path: '/api/v2/legal_holds/{id}', function: 'privacyRequests' },
  { method: 'DELETE', path: '/api/v2/legal_holds/{id}', function: 'privacyRequests' },
  { method: 'POST', path: '/api/v2/retention_policies', function: 'retentionPolicies' },
  { method: 'GET', path: '/api/v2/retention_policies', function: 'retentionPolicies' },
  { method: 'GET', path: '/api/v2/retention_policies/{id}', function: 'retentionPolicies' },
  { method: 'PUT', path: '/api/v2/retention_policies/{id}', function: 'retentionPolicies' },
  { method: 'DELETE', path: '/api/v2/retention_policies/{id}', function: 'retentionPolicies' },
  { method: 'POST', path: '/api/v2/retention_policies/{id}/preview', function: 'retentionPolicies' },
  { method: 'POST', path: '/api/v2/tickets/bulk_update', function: 'ticketJobs' },
  { method: 'POST', path: '/api/v2/tickets/bulk_delete', function: 'ticketJobs' },
  { method: 'GET', path: '/api/v2/jobs/{id}', function: 'ticketJobs' },
] as const satisfies readonly ApiRoute[];

/** Every route of the region's HTTP API. */
export const apiRoutes: readonly ApiRoute[] = routeTable;

/** Every route's key: what `routePermissions` (lambdas/http/route-permissions.ts) must declare. */
export type RouteKey = RouteKeyOf<(typeof routeTable)[number]>;

/** Routes API Gateway authorizes by AWS IAM: the operator interface. */
export const iamRoutes = apiRoutes.filter((route) => route.authorization === 'iam');
