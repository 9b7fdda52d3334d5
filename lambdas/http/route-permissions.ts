import type middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { AccessDeniedError } from '#domain/errors';
import type { Permission } from '#domain/roles/permission-catalogue';
import { requirePermission } from '#domain/roles/permission-check';
import type { RouteKey } from '#lib/platform/api-routes';
import type { AuthenticatedContext } from './api-key-auth.ts';

/**
 * What a route needs: a permission, `signed_in` (any agent, whatever their role: their own profile,
 * the account), `public` (no credentials at all), or `iam` (the vendor's operators, authorized by AWS
 * IAM at API Gateway: no agent ever reaches them).
 */
export type RouteRequirement = Permission | 'signed_in' | 'public' | 'iam';

/**
 * The permission every route of `apiRoutes` needs, checked once for every agent after authentication
 * and before the handler (`routePermission`). Typed by the route table: a route added without a
 * declaration does not compile. Services keep their finer checks (e.g. an agent edits only their own
 * profile, an author only their own post).
 */
export const routePermissions: Readonly<Record<RouteKey, RouteRequirement>> = {
  'GET /api/v2/health': 'public',
  'GET /api/v2/openapi.json': 'public',
  'GET /api/v2/account': 'signed_in',
  'POST /api/v2/contacts': 'contacts.create',
  'GET /api/v2/contacts': 'contacts.view',
  'GET /api/v2/search/contacts': 'contacts.view',
  'GET /api/v2/contacts/{id}': 'contacts.view',
  'PUT /api/v2/contacts/{id}': 'contacts.edit',
  'DELETE /api/v2/contacts/{id}': 'contacts.delete',
  'PUT /api/v2/contacts/{id}/restore': 'contacts.delete',
  'DELETE /api/v2/contacts/{id}/hard_delete': 'contacts.delete',
  'PUT /api/v2/contacts/{id}/make_agent': 'admin.agents',
  'POST /api/v2/contacts/{id}/portal_token': 'admin.portal',
  'POST /api/v2/admin/portal_token_secret/rotate': 'admin.portal',
  'GET /api/v2/audit_log': 'admin.audit_log',
  'POST /api/v2/tickets': 'tickets.create',
  'GET /api/v2/tickets': 'tickets.view',
  'GET /api/v2/search/tickets': 'tickets.view',
  'GET /api/v2/tickets/{id}': 'tickets.view',
  'PUT /api/v2/tickets/{id}': 'tickets.edit',
  'DELETE /api/v2/tickets/{id}': 'tickets.delete',
  'PUT /api/v2/tickets/{id}/restore': 'tickets.delete',
  'POST /api/v2/tickets/{id}/reply': 'conversations.create',
  'POST /api/v2/tickets/{id}/notes': 'conversations.create',
  'GET /api/v2/tickets/{id}/conversations': 'conversations.view',
  'PUT /api/v2/conversations/{id}': 'conversations.edit',
  'DELETE /api/v2/conversations/{id}': 'conversations.delete',
  'POST /api/v2/tickets/{id}/huddle': 'conversations.create',
  'GET /api/v2/tickets/{id}/huddle': 'conversations.view',
  'DELETE /api/v2/huddle_messages/{id}': 'conversations.delete',
  'POST /api/v2/tickets/{id}/attachments': 'tickets.edit',
  'GET /api/v2/attachments/{id}': 'tickets.view',
  'DELETE /api/v2/attachments/{id}': 'tickets.edit',
  'GET /api/v2/agents/me': 'signed_in',
  'GET /api/v2/agents': 'agents.view',
  'GET /api/v2/agents/{id}': 'agents.view',
  'PUT /api/v2/agents/{id}': 'agents.edit',
  'DELETE /api/v2/agents/{id}': 'admin.agents',
  'GET /api/v2/roles': 'agents.view',
  'GET /api/v2/roles/{id}': 'agents.view',
  'POST /api/v2/roles': 'admin.roles',
  'PUT /api/v2/roles/{id}': 'admin.roles',
  'DELETE /api/v2/roles/{id}': 'admin.roles',
  'POST /api/v2/sharing_rules': 'admin.roles',
  'GET /api/v2/sharing_rules': 'admin.roles',
  'GET /api/v2/sharing_rules/{id}': 'admin.roles',
  'PUT /api/v2/sharing_rules/{id}': 'admin.roles',
  'DELETE /api/v2/sharing_rules/{id}': 'admin.roles',
  'POST /api/v2/retention_policies': 'admin.retention',
  'GET /api/v2/retention_policies': 'admin.retention',
  'GET /api/v2/retention_policies/{id}': 'admin.retention',
  'PUT /api/v2/retention_policies/{id}': 'admin.retention',
  'DELETE /api/v2/retention_policies/{id}': 'admin.retention',
  'POST /api/v2/retention_policies/{id}/preview': 'admin.retention',
  'POST /api/v2/companies': 'companies.create',
  'GET /api/v2/companies': 'companies.view',
  'GET /api/v2/search/companies': 'companies.view',
  'GET /api/v2/companies/{id}': 'companies.view',
  'PUT /api/v2/companies/{id}': 'companies.edit',
  'DELETE /api/v2/companies/{id}': 'companies.delete',
  'POST /api/v2/tickets/{id}/satisfaction_ratings': 'satisfaction_ratings.create',
  'GET /api/v2/tickets/{id}/satisfaction_ratings': 'satisfaction_ratings.view',
  'GET /api/v2/surveys/satisfaction_ratings': 'satisfaction_ratings.view',
  'POST /api/v2/calls': 'calls.create',
  'GET /api/v2/calls': 'calls.view',
  'GET /api/v2/calls/{id}': 'calls.view',
  'DELETE /api/v2/calls/{id}': 'calls.delete',
  'POST /api/v2/chats': 'chats.create',
  'GET /api/v2/chats': 'chats.view',
  'GET /api/v2/chats/{id}': 'chats.view',
  'POST /api/v2/chats/{id}/messages': 'chats.create',
  'GET /api/v2/chats/{id}/messages': 'chats.view',
  'POST /api/v2/groups': 'admin.groups',
  'GET /api/v2/groups': 'groups.view',
  'GET /api/v2/groups/{id}': 'groups.view',
  'PUT /api/v2/groups/{id}': 'admin.groups',
  'DELETE /api/v2/groups/{id}': 'admin.groups',
  'POST /api/v2/discussions/categories': 'admin.forums',
  'GET /api/v2/discussions/categories': 'discussions.view',
  'GET /api/v2/discussions/categories/{id}': 'discussions.view',
  'PUT /api/v2/discussions/categories/{id}': 'admin.forums',
  'DELETE /api/v2/discussions/categories/{id}': 'admin.forums',
  'POST /api/v2/discussions/categories/{id}/forums': 'admin.forums',
  'GET /api/v2/discussions/categories/{id}/forums': 'discussions.view',
  'GET /api/v2/discussions/forums/{id}': 'discussions.view',
  'PUT /api/v2/discussions/forums/{id}': 'admin.forums',
  'DELETE /api/v2/discussions/forums/{id}': 'admin.forums',
  'POST /api/v2/discussions/forums/{id}/topics': 'discussions.create',
  'GET /api/v2/discussions/forums/{id}/topics': 'discussions.view',
  'GET /api/v2/discussions/topics/{id}': 'discussions.view',
  'PUT /api/v2/discussions/topics/{id}': 'discussions.edit',
  'DELETE /api/v2/discussions/topics/{id}': 'discussions.delete',
  'POST /api/v2/discussions/topics/{id}/comments': 'discussions.create',
  'GET /api/v2/discussions/topics/{id}/comments': 'discussions.view',
  'GET /api/v2/discussions/comments/{id}': 'discussions.view',
  'PUT /api/v2/discussions/comments/{id}': 'discussions.edit',
  'DELETE /api/v2/discussions/comments/{id}': 'discussions.delete',
  'POST /api/v2/solutions/categories': 'admin.solutions',
  'GET /api/v2/solutions/categories': 'solutions.view',
  'GET /api/v2/solutions/categories/{id}': 'solutions.view',
  'PUT /api/v2/solutions/categories/{id}': 'admin.solutions',
  'DELETE /api/v2/solutions/categories/{id}': 'admin.solutions',
  'POST /api/v2/solutions/categories/{id}/folders': 'admin.solutions',
  'GET /api/v2/solutions/categories/{id}/folders': 'solutions.view',
  'GET /api/v2/solutions/folders/{id}': 'solutions.view',
  'PUT /api/v2/solutions/folders/{id}': 'admin.solutions',
  'DELETE /api/v2/solutions/folders/{id}': 'admin.solutions',
  'POST /api/v2/solutions/folders/{id}/articles': 'solutions.create',
  'GET /api/v2/solutions/folders/{id}/articles': 'solutions.view',
  'GET /api/v2/solutions/articles/{id}': 'solutions.view',
  'PUT /api/v2/solutions/articles/{id}': 'solutions.edit',
  'DELETE /api/v2/solutions/articles/{id}': 'solutions.delete',
  'GET /api/v2/contact_fields': 'fields.view',
  'POST /api/v2/admin/contact_fields': 'admin.fields',
  'GET /api/v2/admin/contact_fields': 'admin.fields',
  'GET /api/v2/admin/contact_fields/{id}': 'admin.fields',
  'PUT /api/v2/admin/contact_fields/{id}': 'admin.fields',
  'DELETE /api/v2/admin/contact_fields/{id}': 'admin.fields',
  'GET /api/v2/ticket_fields': 'fields.view',
  'POST /api/v2/admin/ticket_fields': 'admin.fields',
  'GET /api/v2/admin/ticket_fields': 'admin.fields',
  'GET /api/v2/admin/ticket_fields/{id}': 'admin.fields',
  'PUT /api/v2/admin/ticket_fields/{id}': 'admin.fields',
  'DELETE /api/v2/admin/ticket_fields/{id}': 'admin.fields',
  'POST /api/v2/integration_links': 'integration_links.create',
  'GET /api/v2/integration_links': 'integration_links.view',
  'GET /api/v2/integration_links/{id}': 'integration_links.view',
  'PUT /api/v2/integration_links/{id}': 'integration_links.edit',
  'DELETE /api/v2/integration_links/{id}': 'integration_links.delete',
  'POST /api/v2/privacy/requests': 'privacy_requests.create',
  'GET /api/v2/privacy/requests': 'privacy_requests.view',
  'GET /api/v2/privacy/requests/{id}': 'privacy_requests.view',
  'GET /api/v2/privacy/requests/{id}/files': 'exports.download',
  'POST /api/v2/privacy/requests/{id}/verify': 'privacy_requests.manage',
  'POST /api/v2/privacy/requests/{id}/reject': 'privacy_requests.manage',
  'POST /api/v2/privacy/requests/{id}/restore': 'privacy_requests.manage',
  'POST /api/v2/privacy/requests/{id}/retry': 'privacy_requests.manage',
  'GET /api/v2/privacy/requests/{id}/preview': 'privacy_requests.manage',
  'POST /api/v2/legal_holds': 'privacy_requests.manage',
  'GET /api/v2/legal_holds': 'privacy_requests.manage',
  'GET /api/v2/legal_holds/{id}': 'privacy_requests.manage',
  'DELETE /api/v2/legal_holds/{id}': 'privacy_requests.manage',
  'POST /api/v2/migrations': 'admin.migrations',
  'GET /api/v2/migrations': 'admin.migrations',
  'GET /api/v2/migrations/{id}': 'admin.migrations',
  'POST /api/v2/migrations/{id}/uploads': 'admin.migrations',
  'POST /api/v2/migrations/{id}/start': 'admin.migrations',
  'POST /api/v2/agents': 'admin.agents',
  // Own keys: any agent; another agent's keys: the key service also requires an administrator.
  'GET /api/v2/api_keys': 'signed_in',
  'POST /api/v2/api_keys': 'signed_in',
  'DELETE /api/v2/api_keys/{id}': 'signed_in',
  'GET /api/v2/agents/{id}/api_keys': 'signed_in',
  'POST /api/v2/agents/{id}/api_keys': 'signed_in',
  'DELETE /api/v2/agents/{id}/api_keys/{key_id}': 'signed_in',
  'GET /api/v2/admin/sso': 'admin.sso',
  'PUT /api/v2/admin/sso': 'admin.sso',
  'DELETE /api/v2/admin/sso': 'admin.sso',
  'POST /operator/v1/accounts': 'iam',
  'GET /operator/v1/accounts': 'iam',
  'GET /operator/v1/accounts/{id}': 'iam',
  'POST /operator/v1/accounts/{id}/suspend': 'iam',
  'POST /operator/v1/accounts/{id}/reactivate': 'iam',
  'PUT /operator/v1/accounts/{id}/products': 'iam',
  'GET /operator/v1/audit': 'iam',
};

/** What `routeKey` needs; a route not in the table (none should be) is refused: fail closed. */
export function routeRequirement(routeKey: string): RouteRequirement | undefined {
  return Object.hasOwn(routePermissions, routeKey) ? routePermissions[routeKey as RouteKey] : undefined;
}

/**
 * Checks the route's permission for the authenticated caller, before the handler. Requesters (portal
 * tokens) were checked against their own allow-list when authenticated and hold no permission here.
 */
export function routePermission(): middy.MiddlewareObj<
  APIGatewayProxyEventV2,
  unknown,
  Error,
  AuthenticatedContext
> {
  return {
    before: (request) => {
      const { principal } = request.context;
      if (principal.contactId !== undefined) return;
      const requirement = routeRequirement(request.event.routeKey);
      if (requirement === undefined || requirement === 'public' || requirement === 'iam') {
        // An authenticated handler on a route declared public, operators' or not at all is a wiring mistake.
        throw new AccessDeniedError('This route declares no permission.');
      }
      if (requirement === 'signed_in') return;
      requirePermission(principal, requirement, `call ${request.event.routeKey}`);
    },
  };
}
