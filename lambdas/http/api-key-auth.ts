import type middy from '@middy/core';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import type { AccountStore, Principal } from '#domain/account';
import { apiKeyFromBasicAuth, apiKeyRegion, hashApiKey } from '#domain/api-key';
import { AuthenticationError, WrongRegionError } from '#domain/errors';
import { type HostingRegionKey, hostingRegion } from '#lib/residency/index';

/** How long a container trusts a resolved API key before reading it again. */
export const principalCacheMs = 30_000;

export interface AuthenticatedContext extends Context {
  principal: Principal;
}

/**
 * Resolves the caller from a Freshdesk-style API key (HTTP Basic, `apikey:X`). The account comes from
 * the credentials only. A key of an account homed in another region is refused with 421 before any
 * data is read, so this region never processes another region's account.
 */
export function apiKeyAuth(
  accounts: AccountStore,
  homeRegion: HostingRegionKey,
  clock: () => number = Date.now,
): middy.MiddlewareObj<APIGatewayProxyEventV2, unknown, Error, AuthenticatedContext> {
  // Resolved keys are remembered for a short while per container, saving a read on every request;
  // a revoked key therefore keeps working for at most `principalCacheMs` in a warm container.
  const cache = new Map<string, { principal: Principal; expiresAt: number }>();
  const lookup = async (apiKeyHash: string): Promise<Principal | undefined> => {
    const cached = cache.get(apiKeyHash);
    if (cached && cached.expiresAt > clock()) return cached.principal;
    const principal = await accounts.findPrincipalByApiKeyHash(apiKeyHash);
    if (cache.size >= 1000) cache.clear();
    if (principal) cache.set(apiKeyHash, { principal, expiresAt: clock() + principalCacheMs });
    else cache.delete(apiKeyHash);
    return principal;
  };
  return {
    before: async (request) => {
      const apiKey = apiKeyFromBasicAuth(request.event.headers?.authorization);
      if (!apiKey) throw new AuthenticationError();
      const keyRegion = apiKeyRegion(apiKey);
      if (keyRegion && keyRegion !== homeRegion) {
        throw new WrongRegionError(keyRegion, hostingRegion(keyRegion).name);
      }
      const principal = await lookup(hashApiKey(apiKey));
      if (!principal) throw new AuthenticationError();
      request.context.principal = principal;
    },
  };
}
