import type middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { RateLimitedError } from '#domain/errors';
import type { RateDecision, RateLimiter } from '#domain/rate-limit';
import type { AuthenticatedContext } from './api-key-auth.ts';
import type { HttpResponse } from './responses.ts';

type Request = middy.Request<APIGatewayProxyEventV2, HttpResponse, Error, AuthenticatedContext>;

/**
 * Spends one request of the caller's per-minute budget; over budget, the answer is 429 with
 * `Retry-After`. A write waits for the count before it runs, so a refused write changes nothing. A read
 * (GET) is counted while it runs, saving a round trip; over budget it is still answered 429.
 * Freshdesk's `X-Ratelimit-Total` / `X-Ratelimit-Remaining` headers tell clients where they stand.
 */
export function rateLimit(
  limiter: RateLimiter,
  defaultLimit: number,
  now: () => Date,
): middy.MiddlewareObj<APIGatewayProxyEventV2, HttpResponse, Error, AuthenticatedContext> {
  // Per request, never per middleware: one process may serve requests concurrently.
  const pending = new WeakMap<Request, { limit: number; decision: Promise<RateDecision> }>();
  const settle = async (request: Request) => {
    const entry = pending.get(request);
    if (!entry) return undefined;
    const decision = await entry.decision;
    if (!decision.allowed) throw new RateLimitedError(decision.resetsInSeconds, entry.limit);
    return { 'x-ratelimit-total': String(entry.limit), 'x-ratelimit-remaining': String(decision.remaining) };
  };
  return {
    before: async (request) => {
      const { principal } = request.context;
      const limit = principal.rateLimitPerMinute ?? defaultLimit;
      const decision = limiter.consume(principal.accountId, limit, now());
      // Settled in `after`; until then a rejection must not count as unhandled.
      decision.catch(() => undefined);
      pending.set(request, { limit, decision });
      if (request.event.requestContext?.http?.method !== 'GET') await settle(request);
    },
    after: async (request) => {
      const headers = await settle(request);
      if (request.response && headers) request.response.headers = { ...request.response.headers, ...headers };
    },
  };
}
