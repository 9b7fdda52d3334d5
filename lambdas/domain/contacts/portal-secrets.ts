import { randomBytes } from 'node:crypto';
import type { Actor, AuditEntry, RecordRef } from '#domain/records/record';
import type { PortalSecret, PortalSecretStore } from './portal-token.ts';

/**
 * How long a container trusts an account's portal-token secret once read and decrypted. A rotation
 * reaches every warm container within this time: until then a container that has not read the secret
 * since may still accept tokens of the previous generation (docs/portal-tokens.md).
 */
export const portalSecretCacheMs = 5 * 60_000;

/**
 * A token naming a newer generation than the container holds makes it read the secret again, at most
 * this often per account, so forged generations cannot turn every request into a table and KMS read.
 */
export const portalSecretRereadMs = 1_000;

/** What audit entries of the secret name: one per account (the audit log's `record_type` `portal_secret`). */
export const portalSecretRef: RecordRef = { type: 'portal_secret', id: 1 };

/** Where the secrets are kept: the current generation of each account, encrypted, with an audit entry per change. */
export interface PortalSecretVault {
  /** The account's current secret, read consistently; undefined if it has none (or only an unusable one). */
  read(accountId: string): Promise<PortalSecret | undefined>;
  /**
   * Stores `next` in place of `previous` (undefined: the account has none yet) with `audit`, in one
   * write; false, storing nothing, if the stored secret is no longer `previous`.
   */
  replace(
    accountId: string,
    previous: PortalSecret | undefined,
    next: PortalSecret,
    audit: AuditEntry,
  ): Promise<boolean>;
}

interface CachedSecret {
  readonly secret: PortalSecret | undefined;
  readonly readAt: number;
}

/** Entries a container keeps at most; it forgets them all once full (as `expiringCache`). */
const maxCachedAccounts = 1000;

/**
 * Each account's portal-token secret, read through a per-container cache that expires: a random
 * 32-byte value made on first use, replaced by a new generation on rotation.
 */
export class PortalSecrets implements PortalSecretStore {
  private readonly cache = new Map<string, CachedSecret>();

  constructor(
    private readonly vault: PortalSecretVault,
    private readonly clock: () => number,
    private readonly cacheMs = portalSecretCacheMs,
  ) {}

  async signing(accountId: string, actor: Actor): Promise<PortalSecret> {
    // Read afresh: a token signed with a generation rotated out elsewhere would be refused at once.
    const current = await this.reread(accountId);
    if (current) return current;
    return this.replace(accountId, undefined, actor);
  }

  async verifying(accountId: string, generation: number): Promise<PortalSecret | undefined> {
    const cached = this.cache.get(accountId);
    const age = cached ? this.clock() - cached.readAt : Number.POSITIVE_INFINITY;
    const known = cached?.secret?.generation ?? 0;
    const fresh = age < (cached?.secret ? this.cacheMs : portalSecretRereadMs);
    const newerNamed = generation > known && age >= portalSecretRereadMs;
    const secret = fresh && !newerNamed ? cached?.secret : await this.reread(accountId);
    return secret?.generation === generation ? secret : undefined;
  }

  async rotate(accountId: string, actor: Actor): Promise<PortalSecret> {
    return this.replace(accountId, await this.reread(accountId), actor);
  }

  /** Stores a new generation after `previous`; if another writer came first, theirs is the current one. */
  private async replace(
    accountId: string,
    previous: PortalSecret | undefined,
    actor: Actor,
  ): Promise<PortalSecret> {
    const next: PortalSecret = {
      value: randomBytes(32),
      generation: (previous?.generation ?? 0) + 1,
      createdAt: new Date(this.clock()).toISOString(),
    };
    // The audit entry names the field only, never a value.
    const audit: AuditEntry = {
      at: next.createdAt,
      actor,
      operation: previous ? 'update' : 'create',
      record: portalSecretRef,
      changedFields: ['secret'],
    };
    if (await this.vault.replace(accountId, previous, next, audit)) {
      this.remember(accountId, next);
      return next;
    }
    const theirs = await this.reread(accountId);
    if (!theirs) throw new Error('The portal-token secret changed while it was replaced');
    return theirs;
  }

  private async reread(accountId: string): Promise<PortalSecret | undefined> {
    const secret = await this.vault.read(accountId);
    this.remember(accountId, secret);
    return secret;
  }

  private remember(accountId: string, secret: PortalSecret | undefined): void {
    if (this.cache.size >= maxCachedAccounts) this.cache.clear();
    this.cache.set(accountId, { secret, readAt: this.clock() });
  }
}
