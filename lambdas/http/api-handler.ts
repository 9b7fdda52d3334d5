import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import type { AccountStore, Principal } from '#domain/account';
import type { RateLimiter } from '#domain/rate-limit';
import type { HostingRegionKey } from '#lib/residency/index';
import { type AuthenticatedContext, apiKeyAuth } from './api-key-auth.ts';
import { errorResponder } from './error-responder.ts';
import { rateLimit } from './rate-limit.ts';
import { requestLog } from './request-log.ts';
import { requestMetrics } from './request-metrics.ts';
import type { HttpResponse } from './responses.ts';

export interface ApiDependencies {
  readonly logger: Logger;
  readonly accounts: AccountStore;
  readonly homeRegion: HostingRegionKey;
  /** Per-request metrics (EMF); without them (unit tests) nothing is recorded. */
  readonly metrics?: Metrics;
  /** Per-account request budget; without one (unit tests) nothing is counted. */
  readonly rateLimit?: {
    readonly limiter: RateLimiter;
    readonly perMinute: number;
    readonly now: () => Date;
  };
}

export type ApiHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<HttpResponse>;

/** An API route that needs no caller identity (health). */
export function publicApi(
  deps: Pick<ApiDependencies, 'logger' | 'metrics'>,
  serve: (event: APIGatewayProxyEventV2) => Promise<HttpResponse>,
): ApiHandler {
  const api = middy<APIGatewayProxyEventV2, HttpResponse>()
    .use(injectLambdaContext(deps.logger, { resetKeys: true }))
    .use(requestLog(deps.logger));
  if (deps.metrics) api.use(requestMetrics(deps.metrics));
  return api.use(errorResponder(deps.logger)).handler(serve);
}

/** An API route for an authenticated caller: logging, the error format and API-key auth around `serve`. */
export function authenticatedApi(
  deps: ApiDependencies,
  serve: (event: APIGatewayProxyEventV2, principal: Principal) => Promise<HttpResponse>,
): ApiHandler {
  const api = middy<APIGatewayProxyEventV2, HttpResponse, Error, AuthenticatedContext>()
    .use(injectLambdaContext(deps.logger, { resetKeys: true }))
    .use(requestLog(deps.logger));
  if (deps.metrics) api.use(requestMetrics(deps.metrics));
  api.use(errorResponder(deps.logger)).use(apiKeyAuth(deps.accounts, deps.homeRegion));
  if (deps.rateLimit)
    api.use(rateLimit(deps.rateLimit.limiter, deps.rateLimit.perMinute, deps.rateLimit.now));
  return api.handler(async (event, context) => {
    deps.logger.appendKeys({ accountId: context.principal.accountId });
    return serve(event, context.principal);
  }) as unknown as ApiHandler;
}

/** Builds the real handler on first invocation, so importing a handler module has no side effects. */
export function lazyHandler(build: () => ApiHandler): ApiHandler {
  let built: ApiHandler | undefined;
  return (event, context) => {
    built ??= build();
    return built(event, context);
  };
}
