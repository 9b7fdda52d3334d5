import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import type { AccountStore, Principal } from '#domain/account';
import type { RateLimiter } from '#domain/rate-limit';
import type { HostingRegionKey } from '#lib/residency/index';
import type { PortalSecretStore } from '#domain/contacts/portal-token';
import { PortalTokenService } from '#domain/contacts/portal-token-service';
import type { RecordStore } from '#domain/records/record-store';
import { type AuthenticatedContext, apiKeyAuth, type CallerAccess } from './api-key-auth.ts';
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
  /** Agents' profiles (ticket scope) and contacts (portal tokens); without it (unit tests) all are global. */
  readonly records?: RecordStore;
  /** Portal-token secrets; without them a requester's Bearer token is refused. */
  readonly portalSecrets?: PortalSecretStore;
  /** How long a container trusts a ticket scope read (default `defaultScopeCacheMs`). */
  readonly scopeCacheMs?: number;
  readonly now?: () => Date;
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
  const now = deps.now ?? (() => new Date());
  const api = middy<APIGatewayProxyEventV2, HttpResponse, Error, AuthenticatedContext>()
    .use(injectLambdaContext(deps.logger, { resetKeys: true }))
    .use(requestLog(deps.logger));
  if (deps.metrics) api.use(requestMetrics(deps.metrics));
  api
    .use(errorResponder(deps.logger))
    .use(apiKeyAuth(deps.accounts, deps.homeRegion, () => now().getTime(), callerAccess(deps, now)));
  if (deps.rateLimit)
    api.use(rateLimit(deps.rateLimit.limiter, deps.rateLimit.perMinute, deps.rateLimit.now));
  return api.handler(async (event, context) => {
    deps.logger.appendKeys({ accountId: context.principal.accountId });
    return serve(event, context.principal);
  }) as unknown as ApiHandler;
}

/** Where the caller's ticket scope and portal tokens are checked, when the handler has a record store. */
function callerAccess(deps: ApiDependencies, now: () => Date): CallerAccess {
  const { records, portalSecrets } = deps;
  return {
    records,
    scopeCacheMs: deps.scopeCacheMs,
    portalTokens:
      records && portalSecrets
        ? new PortalTokenService({ store: records, secrets: portalSecrets, homeRegion: deps.homeRegion, now })
        : undefined,
  };
}

/** Builds the real handler on first invocation, so importing a handler module has no side effects. */
export function lazyHandler(build: () => ApiHandler): ApiHandler {
  let built: ApiHandler | undefined;
  return (event, context) => {
    built ??= build();
    return built(event, context);
  };
}
