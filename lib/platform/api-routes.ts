/**
 * The HTTP API of a hosting region: which function serves which route. The API stack creates one
 * Lambda function per entry of `apiFunctions` and one API Gateway route per entry of `apiRoutes`; the
 * local runtime routes requests with the same table to the same handler modules.
 */
export const apiFunctions = {
  health: { entry: 'lambdas/api/health.ts', description: 'Liveness of the regional API' },
  openapi: { entry: 'lambdas/api/openapi.ts', description: 'The OpenAPI document' },
  account: { entry: 'lambdas/api/account.ts', description: 'The calling account' },
  contacts: { entry: 'lambdas/api/contacts.ts', description: 'Contacts (requesters)' },
  auditLog: { entry: 'lambdas/api/audit-log.ts', description: 'Audit log of record changes' },
  tickets: { entry: 'lambdas/api/tickets.ts', description: 'Tickets and their conversations' },
  agents: { entry: 'lambdas/api/agents.ts', description: 'Agents' },
  companies: { entry: 'lambdas/api/companies.ts', description: 'Companies' },
  groups: { entry: 'lambdas/api/groups.ts', description: 'Groups of agents' },
  calls: { entry: 'lambdas/api/calls.ts', description: 'Call records and recordings' },
  chats: { entry: 'lambdas/api/chats.ts', description: 'Chat conversations and messages' },
  satisfactionRatings: { entry: 'lambdas/api/satisfaction-ratings.ts', description: 'Satisfaction ratings' },
  integrationLinks: {
    entry: 'lambdas/api/integration-links.ts',
    description: "Apps' links from records to outside records",
  },
} as const;

export type ApiFunctionName = keyof typeof apiFunctions;

export interface ApiRoute {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  /** API Gateway path syntax, e.g. /api/v2/tickets/{id}. */
  readonly path: string;
  readonly function: ApiFunctionName;
}

export const apiRoutes: readonly ApiRoute[] = [
  { method: 'GET', path: '/api/v2/health', function: 'health' },
  { method: 'GET', path: '/api/v2/openapi.json', function: 'openapi' },
  { method: 'GET', path: '/api/v2/account', function: 'account' },
  { method: 'POST', path: '/api/v2/contacts', function: 'contacts' },
  { method: 'GET', path: '/api/v2/contacts', function: 'contacts' },
  { method: 'GET', path: '/api/v2/contacts/{id}', function: 'contacts' },
  { method: 'PUT', path: '/api/v2/contacts/{id}', function: 'contacts' },
  { method: 'DELETE', path: '/api/v2/contacts/{id}', function: 'contacts' },
  { method: 'PUT', path: '/api/v2/contacts/{id}/restore', function: 'contacts' },
  { method: 'GET', path: '/api/v2/audit_log', function: 'auditLog' },
  { method: 'POST', path: '/api/v2/tickets', function: 'tickets' },
  { method: 'GET', path: '/api/v2/tickets', function: 'tickets' },
  { method: 'GET', path: '/api/v2/tickets/{id}', function: 'tickets' },
  { method: 'PUT', path: '/api/v2/tickets/{id}', function: 'tickets' },
  { method: 'DELETE', path: '/api/v2/tickets/{id}', function: 'tickets' },
  { method: 'PUT', path: '/api/v2/tickets/{id}/restore', function: 'tickets' },
  { method: 'POST', path: '/api/v2/tickets/{id}/reply', function: 'tickets' },
  { method: 'POST', path: '/api/v2/tickets/{id}/notes', function: 'tickets' },
  { method: 'GET', path: '/api/v2/tickets/{id}/conversations', function: 'tickets' },
  { method: 'PUT', path: '/api/v2/conversations/{id}', function: 'tickets' },
  { method: 'DELETE', path: '/api/v2/conversations/{id}', function: 'tickets' },
  { method: 'POST', path: '/api/v2/tickets/{id}/huddle', function: 'tickets' },
  { method: 'GET', path: '/api/v2/tickets/{id}/huddle', function: 'tickets' },
  { method: 'DELETE', path: '/api/v2/huddle_messages/{id}', function: 'tickets' },
  { method: 'GET', path: '/api/v2/agents/me', function: 'agents' },
  { method: 'GET', path: '/api/v2/agents', function: 'agents' },
  { method: 'GET', path: '/api/v2/agents/{id}', function: 'agents' },
  { method: 'PUT', path: '/api/v2/agents/{id}', function: 'agents' },
  { method: 'GET', path: '/api/v2/roles', function: 'agents' },
  { method: 'GET', path: '/api/v2/roles/{id}', function: 'agents' },
  { method: 'POST', path: '/api/v2/companies', function: 'companies' },
  { method: 'GET', path: '/api/v2/companies', function: 'companies' },
  { method: 'GET', path: '/api/v2/companies/{id}', function: 'companies' },
  { method: 'PUT', path: '/api/v2/companies/{id}', function: 'companies' },
  { method: 'DELETE', path: '/api/v2/companies/{id}', function: 'companies' },
  { method: 'POST', path: '/api/v2/tickets/{id}/satisfaction_ratings', function: 'satisfactionRatings' },
  { method: 'GET', path: '/api/v2/tickets/{id}/satisfaction_ratings', function: 'satisfactionRatings' },
  { method: 'GET', path: '/api/v2/surveys/satisfaction_ratings', function: 'satisfactionRatings' },
  { method: 'POST', path: '/api/v2/calls', function: 'calls' },
  { method: 'GET', path: '/api/v2/calls', function: 'calls' },
  { method: 'GET', path: '/api/v2/calls/{id}', function: 'calls' },
  { method: 'POST', path: '/api/v2/chats', function: 'chats' },
  { method: 'GET', path: '/api/v2/chats', function: 'chats' },
  { method: 'GET', path: '/api/v2/chats/{id}', function: 'chats' },
  { method: 'POST', path: '/api/v2/chats/{id}/messages', function: 'chats' },
  { method: 'GET', path: '/api/v2/chats/{id}/messages', function: 'chats' },
  { method: 'POST', path: '/api/v2/groups', function: 'groups' },
  { method: 'GET', path: '/api/v2/groups', function: 'groups' },
  { method: 'GET', path: '/api/v2/groups/{id}', function: 'groups' },
  { method: 'PUT', path: '/api/v2/groups/{id}', function: 'groups' },
  { method: 'DELETE', path: '/api/v2/groups/{id}', function: 'groups' },
  { method: 'POST', path: '/api/v2/tickets/{id}/attachments', function: 'tickets' },
  { method: 'GET', path: '/api/v2/attachments/{id}', function: 'tickets' },
  { method: 'DELETE', path: '/api/v2/attachments/{id}', function: 'tickets' },
  { method: 'POST', path: '/api/v2/integration_links', function: 'integrationLinks' },
  { method: 'GET', path: '/api/v2/integration_links', function: 'integrationLinks' },
  { method: 'GET', path: '/api/v2/integration_links/{id}', function: 'integrationLinks' },
  { method: 'PUT', path: '/api/v2/integration_links/{id}', function: 'integrationLinks' },
  { method: 'DELETE', path: '/api/v2/integration_links/{id}', function: 'integrationLinks' },
];
