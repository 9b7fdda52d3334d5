import type { ApiKeyHolder, CredentialHolder } from '#domain/account';
import type { RecordStore } from '#domain/records/record-store';
import { SsoRequiredError } from '#domain/sso/sso-errors';
import type { SsoSettings } from '#domain/sso/sso-settings';
import type { SsoSettingsStore } from '#domain/sso/sso-settings-store';
import { SsoSignIn } from '#domain/sso/sso-sign-in';
import type { TokenVerifier } from '#domain/sso/token-verifier';
import { expiringCache } from './expiring-cache.ts';

/** What single sign-on needs at request time (the runtime of every function with the table has it). */
export interface SsoDependencies {
  readonly settings: SsoSettingsStore;
  readonly verifier: TokenVerifier;
  readonly newId: () => number;
  readonly now: () => Date;
  /**
   * The function may write records (its table access is `readWrite`): only then does a sign-in create
   * an agent (JIT) or apply a role from groups; a read-only function refuses an unknown agent.
   */
  readonly mayWrite: boolean;
  /** Loopback issuers may use http: only where the local platform set SSO_LOCAL_LOOPBACK_ISSUERS (never on AWS). */
  readonly allowLoopbackHttpIssuers: boolean;
}

/**
 * Single sign-on as the API-key middleware uses it: tokens to key holders, and the `sso_required` rule.
 * An account's settings (issuer, clients, `sso_required`, JIT) are trusted for `cacheMs` per container,
 * as agents' profiles are: a change shows in every warm container after at most that long.
 */
export function ssoAuth(sso: SsoDependencies, records: RecordStore, clock: () => number, cacheMs: number) {
  const byAccount = expiringCache<SsoSettings | undefined>(cacheMs, clock);
  const byClient = expiringCache<SsoSettings | undefined>(cacheMs, clock);
  const signIn = new SsoSignIn({
    settings: {
      findByClient: (issuer, clientId) =>
        byClient(`${issuer}\n${clientId}`, () => sso.settings.findByClient(issuer, clientId)),
    },
    verifier: sso.verifier,
    store: records,
    now: sso.now,
    newId: sso.newId,
    mayWrite: sso.mayWrite,
  });
  return {
    /** The account and agent an OpenID Connect token names (401 for any fault; 503 when the issuer is down). */
    holderOf(token: string): Promise<CredentialHolder> {
      return signIn.holderOf(token);
    },
    /** Refuses (403 `sso_required`) an agent's personal key where the account requires SSO; integration keys pass. */
    async checkKey(holder: ApiKeyHolder): Promise<void> {
      if (holder.integration) return;
      const settings = await byAccount(holder.accountId, () => sso.settings.get(holder.accountId));
      if (settings?.ssoRequired) throw new SsoRequiredError();
    },
  };
}
