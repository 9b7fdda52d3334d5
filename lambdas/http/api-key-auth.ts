import type middy from '@middy/core';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import type { AccountStore, Principal } from '#domain/account';
import { apiKeyFromBasicAuth, apiKeyRegion, hashApiKey } from '#domain/api-key';
import { defaultScopeCacheMs, ticketScopeOf } from '#domain/agents/ticket-scope';
import { bearerToken, readPortalToken } from '#domain/contacts/portal-token';
import type { PortalTokenService } from '#domain/contacts/portal-token-service';
import { AuthenticationError, WrongRegionError } from '#domain/errors';
import type { RecordStore } from '#domain/records/record-store';
import { type HostingRegionKey, hostingRegion } from '#lib/residency/index';
import { expiringCache } from './expiring-cache.ts';
import { requireRequesterRoute, requireRouteForRequesters } from './requester-routes.ts';

/** How long a container trusts a resolved API key before reading it again. */
export const principalCacheMs = 30_000;

export interface AuthenticatedContext extends Context {
  principal: Principal;
}

/** What the caller's access is read from at request time, beyond the API key itself. */
export interface CallerAccess {
  /** Agents' profiles, for their ticket scope; without it (unit tests) every agent is global. */
  readonly records?: RecordStore;
  /** Verifies requesters' portal tokens; without it a Bearer token is refused. */
  readonly portalTokens?: PortalTokenService;
  /** How long a ticket scope or a requester's contact is trusted; a change shows after at most this. */
  readonly scopeCacheMs?: number;
}

/**
 * Resolves the caller: an agent from a Freshdesk-style API key (HTTP Basic, `apikey:X`), or a requester
 * from a portal token (`Authorization: Bearer …`). The account comes from the credentials only. A key
 * or token of an account homed in another region is refused with 421 before any data is read, so this
 * region never processes another region's account.
 */
export function apiKeyAuth(
  accounts: AccountStore,
  homeRegion: HostingRegionKey,
  clock: () => number = Date.now,
  access: CallerAccess = {},
): middy.MiddlewareObj<APIGatewayProxyEventV2, unknown, Error, AuthenticatedContext> {
  // Resolved keys are remembered for a short while per container, saving a read on every request;
  // a revoked key therefore keeps working for at most `principalCacheMs` in a warm container.
  const principals = expiringCache<Principal | undefined>(principalCacheMs, clock);
  const scopeCacheMs = access.scopeCacheMs ?? defaultScopeCacheMs;
  const scopes = expiringCache<Principal['ticketScope']>(scopeCacheMs, clock);
  const liveContacts = expiringCache<boolean>(scopeCacheMs, clock);

  const agentFrom = async (header: string | undefined): Promise<Principal> => {
    const apiKey = apiKeyFromBasicAuth(header);
    if (!apiKey) throw new AuthenticationError();
    const keyRegion = apiKeyRegion(apiKey);
    if (keyRegion && keyRegion !== homeRegion) {
      throw new WrongRegionError(keyRegion, hostingRegion(keyRegion).name);
    }
    const hash = hashApiKey(apiKey);
    const principal = await principals(
      hash,
      () => accounts.findPrincipalByApiKeyHash(hash),
      (found) => found !== undefined,
    );
    if (!principal) throw new AuthenticationError();
    const { records } = access;
    if (!records) return principal;
    const scopeKey = `${principal.accountId}#${principal.agentId}#${principal.role}`;
    const ticketScope = await scopes(scopeKey, () => ticketScopeOf(records, principal));
    return ticketScope ? { ...principal, ticketScope } : principal;
  };

  const requesterFrom = async (token: string, event: APIGatewayProxyEventV2): Promise<Principal> => {
    const claims = readPortalToken(token);
    if (claims && claims.homeRegion !== homeRegion) {
      throw new WrongRegionError(claims.homeRegion, hostingRegion(claims.homeRegion).name);
    }
    // A route no requester may call is refused before any secret is read (403 even for a bad token).
    requireRouteForRequesters(event);
    const tokens = access.portalTokens;
    if (!tokens) throw new AuthenticationError();
    const { accountId, contactId } = await tokens.verify(token);
    const live = await liveContacts(`${accountId}#${contactId}`, () =>
      tokens.isLiveContact(accountId, contactId),
    );
    if (!live) throw new AuthenticationError('The portal token is invalid or has expired.');
    requireRequesterRoute(event, contactId);
    // A requester holds no agent id nor role of their own: `contactId` marks them, and what they may do
    // is the requester routes above and their own tickets (see mayAccessTicket).
    return { accountId, agentId: 0, role: 'agent', contactId };
  };

  return {
    before: async (request) => {
      const header = request.event.headers?.authorization;
      const token = bearerToken(header);
      request.context.principal = token ? await requesterFrom(token, request.event) : await agentFrom(header);
    },
  };
}
