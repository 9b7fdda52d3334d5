import type middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { RateLimitedError } from '#domain/errors';
import type { RateLimiter } from '#domain/rate-limit';
import type { AuthenticatedContext } from './api-key-auth.ts';
import type { HttpResponse } from './responses.ts';

type Request = middy.Request<APIGatewayProxyEventV2, HttpResponse, Error, AuthenticatedContext>;

/**
 * Spends one request of the caller's per-minute budget before the route runs; over budget, the answer
 * is 429 with `Retry-After` and the route never runs, read or write: a refused write changes nothing and
 * a refused read reads nothing. With the leased limiter most decisions are local (no round trip), so
 * waiting for them costs reads nothing. Freshdesk's `X-Ratelimit-Total` / `X-Ratelimit-Remaining`
 * headers tell clients where they stand.
 */
export function rateLimit(
  limiter: RateLimiter,
  defaultLimit: number,
  now: () => Date,
): middy.MiddlewareObj<APIGatewayProxyEventV2, HttpResponse, Error, AuthenticatedContext> {
  // Per request, never per middleware: one process may serve requests concurrently.
  const budgets = new WeakMap<Request, Record<string, string>>();
  return {
    before: async (request) => {
      const { principal } = request.context;
      const limit = principal.rateLimitPerMinute ?? defaultLimit;
      const decision = await limiter.consume(principal.accountId, limit, now());
      if (!decision.allowed) throw new RateLimitedError(decision.resetsInSeconds, limit);
      budgets.set(request, {
        'x-ratelimit-total': String(limit),
        'x-ratelimit-remaining': String(decision.remaining),
      });
    },
    after: (request) => {
      const headers = budgets.get(request);
      if (request.response && headers) request.response.headers = { ...request.response.headers, ...headers };
    },
  };
}
