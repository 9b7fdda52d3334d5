import type { AuditEntry } from '#domain/records/record';
import type { SsoSettings } from './sso-settings.ts';

/** Where an account's SSO settings live: its home region's table, with one claim per issuer and client id. */
export interface SsoSettingsStore {
  /** The account's settings, or undefined when it has no single sign-on. */
  get(accountId: string): Promise<SsoSettings | undefined>;
  /** The settings of the account that registered this issuer and client id in the region, if any. */
  findByClient(issuer: string, clientId: string): Promise<SsoSettings | undefined>;
  /**
   * Stores the settings and claims each issuer + client id pair for the account, releasing pairs it
   * no longer names, in one transaction with the audit entry. ConflictError (409) when another account
   * of the region holds a pair, or the settings changed meanwhile (`previous` no longer current).
   */
  put(settings: SsoSettings, previous: SsoSettings | undefined, audit: AuditEntry): Promise<void>;
  /** Removes the settings and their claims with the audit entry; false when there were none. */
  remove(previous: SsoSettings, audit: AuditEntry): Promise<void>;
}
