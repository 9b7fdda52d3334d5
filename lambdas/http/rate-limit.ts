import type middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { RateLimitedError } from '#domain/errors';
import type { RateLimiter } from '#domain/rate-limit';
import type { AuthenticatedContext } from './api-key-auth.ts';
import type { HttpResponse } from './responses.ts';

/**
 * Spends one request of the caller's per-minute budget before the route runs; over budget, the
 * request is refused with 429 and `Retry-After`, and nothing else happens. Freshdesk's
 * `X-Ratelimit-Total` / `X-Ratelimit-Remaining` headers tell clients where they stand.
 */
export function rateLimit(
  limiter: RateLimiter,
  defaultLimit: number,
  now: () => Date,
): middy.MiddlewareObj<APIGatewayProxyEventV2, HttpResponse, Error, AuthenticatedContext> {
  let headers: Record<string, string> = {};
  return {
    before: async (request) => {
      const { principal } = request.context;
      const limit = principal.rateLimitPerMinute ?? defaultLimit;
      const decision = await limiter.consume(principal.accountId, limit, now());
      headers = { 'x-ratelimit-total': String(limit), 'x-ratelimit-remaining': String(decision.remaining) };
      if (!decision.allowed) throw new RateLimitedError(decision.resetsInSeconds, limit);
    },
    after: (request) => {
      if (request.response) request.response.headers = { ...request.response.headers, ...headers };
    },
  };
}
