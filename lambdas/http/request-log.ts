import type { Logger } from '@aws-lambda-powertools/logger';
import type middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';

/**
 * One structured line per request for operators: the route template (`GET /api/v2/contacts/{id}`), the
 * status and the duration. Never the path itself, the query string, headers or the body, which can all
 * carry personal data.
 */
export function requestLog(
  logger: Logger,
  now: () => number = Date.now,
): middy.MiddlewareObj<APIGatewayProxyEventV2> {
  // Per request: one process may serve requests concurrently (locally), so no shared start time.
  const startedAt = new WeakMap<middy.Request<APIGatewayProxyEventV2>, number>();
  const log = (request: middy.Request<APIGatewayProxyEventV2>) => {
    const response = request.response as { statusCode?: number } | undefined;
    logger.info('request handled', {
      route: request.event.routeKey,
      status: response?.statusCode ?? 500,
      durationMs: now() - (startedAt.get(request) ?? now()),
    });
  };
  return {
    before: (request) => {
      startedAt.set(request, now());
    },
    after: log,
    onError: log,
  };
}
