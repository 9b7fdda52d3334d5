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
import { MissingDependencyError } from './missing-dependency.ts';
import { rateLimit } from './rate-limit.ts';
import { requestLog } from './request-log.ts';
import { requestMetrics } from './request-metrics.ts';
import type { SsoDependencies } from './sso-auth.ts';
import { routePermission } from './route-permissions.ts';
import type { HttpResponse } from './responses.ts';

export interface ApiDependencies {
  readonly logger: Logger;
  readonly accounts: AccountStore;
  readonly homeRegion: HostingRegionKey;
  /** Per-request metrics (EMF); without them (unit tests) nothing is recorded. */
  readonly metrics?: Metrics;
  /** Agents' profiles (role, ticket scope, that the agent exists) and contacts (portal tokens). */
  readonly records: RecordStore;
  /** Portal-token secrets; without them a requester's Bearer token is refused. */
  readonly portalSecrets?: PortalSecretStore;
  /** Single sign-on settings and the token verifier (required: checked when the handler is built). */
  readonly sso: SsoDependencies;
  /** How long a container trusts an agent profile read (default `defaultScopeCacheMs`). */
  readonly scopeCacheMs?: number;
  /** How long a container trusts a resolved API key (default `principalCacheMs`). */
  readonly keyCacheMs?: number;
  readonly now?: () => Date;
  /** Per-account request budget (tests that need none compose their own handler from the middlewares). */
  readonly rateLimit: {
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

/**
 * An API route for an authenticated caller: logging, the error format, API-key auth (agents checked
 * against their current profile), the route's permission (`routePermissions`) and the account's rate
 * limit around `serve`. Every check is always
 * there: a dependency missing at run time (e.g. undefined from a runtime) is a MissingDependencyError
 * when the handler is built, never a skipped check.
 */
export function authenticatedApi(
  deps: ApiDependencies,
  serve: (event: APIGatewayProxyEventV2, principal: Principal) => Promise<HttpResponse>,
): ApiHandler {
  // The record store is checked where it is used, by apiKeyAuth, when it is composed below.
  if (!deps.accounts) throw new MissingDependencyError('account store');
  if (!deps.rateLimit?.limiter) throw new MissingDependencyError('rate limiter');
  const now = deps.now ?? (() => new Date());
  const api = middy<APIGatewayProxyEventV2, HttpResponse, Error, AuthenticatedContext>()
    .use(injectLambdaContext(deps.logger, { resetKeys: true }))
    .use(requestLog(deps.logger));
  if (deps.metrics) api.use(requestMetrics(deps.metrics));
  api
    .use(errorResponder(deps.logger))
    .use(apiKeyAuth(deps.accounts, deps.homeRegion, () => now().getTime(), callerAccess(deps, now)))
    .use(rateLimit(deps.rateLimit.limiter, deps.rateLimit.perMinute, deps.rateLimit.now))
    // After the rate limit, so refused calls count against the budget too.
    .use(routePermission());
  return api.handler(async (event, context) => {
    deps.logger.appendKeys({ accountId: context.principal.accountId });
    return serve(event, context.principal);
  }) as unknown as ApiHandler;
}

/** Where the caller's agent profile and portal tokens are checked. */
function callerAccess(deps: ApiDependencies, now: () => Date): CallerAccess {
  const { records, portalSecrets } = deps;
  return {
    records,
    sso: deps.sso,
    scopeCacheMs: deps.scopeCacheMs,
    keyCacheMs: deps.keyCacheMs,
    portalTokens: portalSecrets
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
