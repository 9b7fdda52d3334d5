import type middy from '@middy/core';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import type { AccountStore, Principal } from '#domain/account';
import { apiKeyFromBasicAuth, apiKeyRegion, hashApiKey } from '#domain/api-key';
import { AuthenticationError, WrongRegionError } from '#domain/errors';
import { type HostingRegionKey, hostingRegion } from '#lib/residency/index';

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
): middy.MiddlewareObj<APIGatewayProxyEventV2, unknown, Error, AuthenticatedContext> {
  return {
    before: async (request) => {
      const apiKey = apiKeyFromBasicAuth(request.event.headers?.authorization);
      if (!apiKey) throw new AuthenticationError();
      const keyRegion = apiKeyRegion(apiKey);
      if (keyRegion && keyRegion !== homeRegion) {
        throw new WrongRegionError(keyRegion, hostingRegion(keyRegion).name);
      }
      const principal = await accounts.findPrincipalByApiKeyHash(hashApiKey(apiKey));
      if (!principal) throw new AuthenticationError();
      request.context.principal = principal;
    },
  };
}
