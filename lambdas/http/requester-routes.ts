import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { AccessDeniedError, NotFoundError } from '#domain/errors';
import { pathId } from './request.ts';

/** The routes a requester (contact) may call with a portal token; every other route answers 403. */
export const requesterRoutes: ReadonlySet<string> = new Set([
  'GET /api/v2/contacts/{id}',
  'PUT /api/v2/contacts/{id}',
  'GET /api/v2/tickets',
  'POST /api/v2/tickets',
  'GET /api/v2/tickets/{id}',
  'GET /api/v2/tickets/{id}/conversations',
  'POST /api/v2/tickets/{id}/reply',
  'POST /api/v2/tickets/{id}/satisfaction_ratings',
]);

/**
 * Refuses a route outside `requesterRoutes` (403) to a portal token, before the token is verified:
 * only the functions serving requester routes read portal-token secrets.
 */
export function requireRouteForRequesters(event: APIGatewayProxyEventV2): void {
  if (!requesterRoutes.has(event.routeKey)) {
    throw new AccessDeniedError('A portal token may only be used on your own profile and tickets.');
  }
}

/**
 * Refuses what a requester may not do: a route outside `requesterRoutes` (403), another contact's
 * profile (404, as for ids of another account). Tickets are checked by the ticket services.
 */
export function requireRequesterRoute(event: APIGatewayProxyEventV2, contactId: number): void {
  requireRouteForRequesters(event);
  if (
    event.routeKey.startsWith('GET /api/v2/contacts/') ||
    event.routeKey.startsWith('PUT /api/v2/contacts/')
  ) {
    if (pathId(event) !== contactId) throw new NotFoundError();
  }
}
