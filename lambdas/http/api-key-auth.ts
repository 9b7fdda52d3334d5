import type middy from '@middy/core';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import type { AccountStore, ApiKeyHolder, CredentialHolder, Principal } from '#domain/account';
import { apiKeyFromBasicAuth, apiKeyRegion, defaultKeyCacheMs, hashApiKey } from '#domain/api-key';
import { type AgentAccess, currentAgentAccess, principalOf } from '#domain/agents/agent-principal';
import { defaultScopeCacheMs } from '#domain/agents/ticket-scope';
import { bearerToken, readPortalToken } from '#domain/contacts/portal-token';
import type { PortalTokenService } from '#domain/contacts/portal-token-service';
import { AuthenticationError, WrongRegionError } from '#domain/errors';
import type { RecordStore } from '#domain/records/record-store';
import { type HostingRegionKey, hostingRegion } from '#lib/residency/index';
import { checkKeyAllows } from '#domain/api-keys/key-restrictions';
import { activeAccountCheck } from './active-account.ts';
import { expiringCache } from './expiring-cache.ts';
import { keyUseNotes } from './key-use-notes.ts';
import { MissingDependencyError } from './missing-dependency.ts';
import { requireRequesterRoute, requireRouteForRequesters } from './requester-routes.ts';
import { bearerJwt } from '#domain/sso/sso-bearer';
import { type SsoDependencies, ssoAuth } from './sso-auth.ts';

/**
 * How long a container trusts a resolved API key (which account and agent it names) before reading it
 * again: a key revoked while its agent's profile stays live keeps working for at most this long
 * (docs/api-keys.md). Expiry and read-only are checked on every request, also for a remembered key.
 */
export const principalCacheMs = defaultKeyCacheMs;

export interface AuthenticatedContext extends Context {
  principal: Principal;
}

/** What the caller's access is read from at request time, beyond the API key itself. */
export interface CallerAccess {
  /** Agents' current profiles: their role, ticket scope and groups, and that they still exist. */
  readonly records: RecordStore;
  /** Verifies requesters' portal tokens; without it a Bearer token is refused. */
  readonly portalTokens?: PortalTokenService;
  /**
   * How long an agent's profile (role, scope, groups, existence) or a requester's contact is trusted;
   * a change shows after at most this (default `defaultScopeCacheMs`).
   */
  readonly scopeCacheMs?: number;
  /** How long a resolved API key is trusted (default `principalCacheMs`); 0 on the integration platform. */
  readonly keyCacheMs?: number;
  /** Single sign-on: agents' OpenID Connect tokens, and accounts that refuse agents' personal keys. */
  readonly sso: SsoDependencies;
}

/**
 * Resolves the caller: an agent from a Freshdesk-style API key (HTTP Basic, `apikey:X`) or from an
 * OpenID Connect token of the account's identity provider (`Authorization: Bearer <JWT>`, see
 * docs/sso.md), or a requester from a portal token (`Authorization: Bearer hdpt.…`). The account comes from the credentials only. A key
 * or token of an account homed in another region is refused with 421 before any data is read, so this
 * region never processes another region's account.
 */
export function apiKeyAuth(
  accounts: AccountStore,
  homeRegion: HostingRegionKey,
  clock: () => number,
  access: CallerAccess,
): middy.MiddlewareObj<APIGatewayProxyEventV2, unknown, Error, AuthenticatedContext> {
  const { records } = access;
  // Fail closed: without agents' profiles no key could be checked against its agent.
  if (!records) throw new MissingDependencyError('record store');
  // Fail closed: without SSO settings no key could be shown not to be refused by `sso_required`.
  if (!access.sso) throw new MissingDependencyError('SSO settings');
  // Resolved keys are remembered for a short while per container, saving a read on every request;
  // a revoked key therefore keeps working for at most `principalCacheMs` in a warm container.
  const holders = expiringCache<ApiKeyHolder | undefined>(access.keyCacheMs ?? principalCacheMs, clock);
  const scopeCacheMs = access.scopeCacheMs ?? defaultScopeCacheMs;
  const sso = ssoAuth(access.sso, records, clock, scopeCacheMs);
  // The agent as their profile says: one read per agent and scope cache time yields role, scope and
  // groups, so a role or scope change, or the agent's erasure, shows after at most `scopeCacheMs`.
  const agents = expiringCache<AgentAccess | undefined>(scopeCacheMs, clock);
  const liveContacts = expiringCache<boolean>(scopeCacheMs, clock);
  // Every principal's account must be active: a suspended account's keys and tokens get 403.
  const requireActiveAccount = activeAccountCheck(accounts, scopeCacheMs, clock);

  // A key's last-used day is written at most once a day per key and container (docs/api-keys.md).
  const keyUse = keyUseNotes(accounts, clock);

  const agentFrom = async (header: string | undefined, method: string): Promise<Principal> => {
    const apiKey = apiKeyFromBasicAuth(header);
    if (!apiKey) throw new AuthenticationError();
    const keyRegion = apiKeyRegion(apiKey);
    if (keyRegion && keyRegion !== homeRegion) {
      throw new WrongRegionError(keyRegion, hostingRegion(keyRegion).name);
    }
    const hash = hashApiKey(apiKey);
    const holder = await holders(
      hash,
      () => accounts.findApiKeyHolder(hash),
      (found) => found !== undefined,
    );
    if (!holder) throw new AuthenticationError();
    await sso.checkKey(holder);
    const agent = await agentAccessOf(holder);
    checkKeyAllows(holder, clock(), method);
    await keyUse.note(hash);
    return principalOf(holder, agent);
  };

  const agentFromSso = async (jwt: string): Promise<Principal> => {
    const holder = await sso.holderOf(jwt);
    return principalOf(holder, await agentAccessOf(holder));
  };

  // Every credential, also a key issued before keys were indexed by agent, answers to its agent's
  // profile: an agent who is gone (erased, deleted, superseded) holds no credential.
  const agentAccessOf = async (holder: CredentialHolder): Promise<AgentAccess> => {
    const agent = await agents(
      `${holder.accountId}#${holder.agentId}`,
      () => currentAgentAccess(records, holder.accountId, holder.agentId),
      (found) => found !== undefined,
    );
    if (!agent) throw new AuthenticationError();
    return agent;
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
      const jwt = bearerJwt(header);
      const token = jwt ? undefined : bearerToken(header);
      const principal = jwt
        ? await agentFromSso(jwt)
        : token
          ? await requesterFrom(token, request.event)
          : await agentFrom(header, request.event.requestContext?.http?.method ?? 'GET');
      // Whatever the credential, its account must be active.
      await requireActiveAccount(principal.accountId);
      request.context.principal = principal;
    },
  };
}
