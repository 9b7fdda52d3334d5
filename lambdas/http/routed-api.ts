import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { Principal } from '#domain/account';
import { NotFoundError } from '#domain/errors';
import { type ApiDependencies, type ApiHandler, authenticatedApi } from './api-handler.ts';
import type { HttpResponse } from './responses.ts';

export type RouteHandler = (event: APIGatewayProxyEventV2, principal: Principal) => Promise<HttpResponse>;

/** One function serving several routes of a bounded context, keyed by API Gateway's `routeKey`. */
export function routedApi(deps: ApiDependencies, routes: Readonly<Record<string, RouteHandler>>): ApiHandler {
  return authenticatedApi(deps, async (event, principal) => {
    const route = routes[event.routeKey];
    if (!route) throw new NotFoundError();
    return route(event, principal);
  });
}
