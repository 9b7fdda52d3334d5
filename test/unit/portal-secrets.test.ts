import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { AccountStore, Principal } from '../../lambdas/domain/account.ts';
import {
  PortalSecrets,
  type PortalSecretVault,
  portalSecretCacheMs,
  portalSecretRereadMs,
} from '../../lambdas/domain/contacts/portal-secrets.ts';
import type { PortalSecret } from '../../lambdas/domain/contacts/portal-token.ts';
import { PortalTokenService } from '../../lambdas/domain/contacts/portal-token-service.ts';
import { AccessDeniedError, AuthenticationError } from '../../lambdas/domain/errors.ts';
import type { AuditEntry } from '../../lambdas/domain/records/record.ts';
import type { RecordStore } from '../../lambdas/domain/records/record-store.ts';
import { apiKeyAuth } from '../../lambdas/http/api-key-auth.ts';
import { noSso } from './api-doubles.ts';

/**
 * One account's stored secret, shared by the containers of a test; our own domain interface (the
 * DynamoDB and KMS side is tested on the emulators in test/integration/portal-secret.test.ts).
 */
class SharedVault implements PortalSecretVault {
  stored: PortalSecret | undefined;
  reads = 0;
  readonly audits: AuditEntry[] = [];

  async read(): Promise<PortalSecret | undefined> {
    this.reads += 1;
    return this.stored;
  }

  async replace(_: string, previous: PortalSecret | undefined, next: PortalSecret, audit: AuditEntry) {
    if (this.stored?.generation !== previous?.generation) return false;
    this.stored = next;
    this.audits.push(audit);
    return true;
  }
}

const accountId = '0f8fad5b-d9cb-469f-a165-70867728950e';
const admin: Principal = { accountId, agentId: 1, role: 'admin' };
const actor = { type: 'agent', id: '1' } as const;

/** Tokens of one contact, issued and verified by one container with its own clock. */
function container(vault: SharedVault, clock: { now: number }) {
  const secrets = new PortalSecrets(vault, () => clock.now);
  const contacts = { get: async () => ({ fields: {} }) } as unknown as RecordStore;
  const tokens = new PortalTokenService({
    store: contacts,
    secrets,
    homeRegion: 'eea',
    now: () => new Date(clock.now),
  });
  const works = (token: string) =>
    tokens.verify(token).then(
      () => true,
      (error: unknown) => {
        if (error instanceof AuthenticationError) return false;
        throw error;
      },
    );
  return { secrets, tokens, works };
}

describe('portal-token secrets in a container', () => {
  it('are trusted for the cache lifetime, then read again: never without expiry', async () => {
    // Prepare
    const clock = { now: 1_700_000_000_000 };
    const vault = new SharedVault();
    const { tokens, works } = container(vault, clock);
    const { token } = await tokens.issue(admin, 42);
    const readsAfterIssue = vault.reads;

    // Act
    clock.now += 1;
    await works(token);
    clock.now += portalSecretCacheMs - 2;
    await works(token);
    const readsWithin = vault.reads - readsAfterIssue;
    clock.now += 1;
    await works(token);

    // Assess
    expect(readsWithin).toBe(0);
    expect(vault.reads - readsAfterIssue).toBe(1);
  });

  it('refuse tokens of the rotated-out generation at once in the rotating container', async () => {
    // Prepare
    const clock = { now: 1_700_000_000_000 };
    const vault = new SharedVault();
    const { tokens, works } = container(vault, clock);
    const before = await tokens.issue(admin, 42);
    expect(await works(before.token)).toBe(true);

    // Act
    clock.now += 1000;
    const rotated = await tokens.rotateSecret(admin);
    const after = await tokens.issue(admin, 42);

    // Assess
    expect(rotated).toEqual({ rotated_at: new Date(clock.now).toISOString() });
    expect(await works(before.token)).toBe(false);
    expect(await works(after.token)).toBe(true);
  });

  it('refuse old tokens in another warm container within the cache lifetime, at once after a newer token', async () => {
    // Prepare
    const clock = { now: 1_700_000_000_000 };
    const vault = new SharedVault();
    const issuer = container(vault, clock);
    const warm = container(vault, clock);
    const old = await issuer.tokens.issue(admin, 42);
    expect(await warm.works(old.token)).toBe(true);

    // Act
    clock.now += portalSecretRereadMs;
    await issuer.tokens.rotateSecret(admin);
    const stillWithinCache = await warm.works(old.token);
    const fresh = await issuer.tokens.issue(admin, 42);
    const freshWorks = await warm.works(fresh.token);
    const oldAfterFresh = await warm.works(old.token);
    const other = container(vault, clock);
    clock.now += portalSecretCacheMs;
    const oldAfterCache = await other.works(old.token);

    // Assess
    expect(stillWithinCache).toBe(true);
    expect(freshWorks).toBe(true);
    expect(oldAfterFresh).toBe(false);
    expect(oldAfterCache).toBe(false);
  });

  it('read again for a token naming a newer generation at most once a second', async () => {
    // Prepare
    const clock = { now: 1_700_000_000_000 };
    const vault = new SharedVault();
    const { secrets } = container(vault, clock);
    await secrets.signing(accountId, actor);
    clock.now += portalSecretRereadMs;
    const readsBefore = vault.reads;

    // Act
    for (let i = 0; i < 50; i += 1) {
      expect(await secrets.verifying(accountId, 2)).toBeUndefined();
      clock.now += 10;
    }

    // Assess: 500 ms of forged generations
    expect(vault.reads - readsBefore).toBe(1);
  });

  it('are rotated by administrators only, audited with the field name and never a value', async () => {
    // Prepare
    const clock = { now: 1_700_000_000_000 };
    const vault = new SharedVault();
    const { tokens } = container(vault, clock);
    await tokens.issue(admin, 42);

    // Act
    const refused = await tokens
      .rotateSecret({ accountId, agentId: 2, role: 'supervisor' })
      .catch((error: unknown) => error);
    await tokens.rotateSecret(admin);

    // Assess
    expect(refused).toBeInstanceOf(AccessDeniedError);
    expect(vault.audits).toEqual([
      expect.objectContaining({ operation: 'create', record: { type: 'portal_secret', id: 1 } }),
      expect.objectContaining({ operation: 'update', record: { type: 'portal_secret', id: 1 } }),
    ]);
    for (const audit of vault.audits) {
      expect(audit.changedFields).toEqual(['secret']);
      expect(audit.actor).toEqual(actor);
      expect(Object.keys(audit).sort()).toEqual(['actor', 'at', 'changedFields', 'operation', 'record']);
    }
    expect(vault.stored?.generation).toBe(2);
  });
});

describe('a Bearer token on a route no requester may call', () => {
  it('is refused (403) before the token is verified, so only requester functions read secrets', async () => {
    // Prepare
    const verified: string[] = [];
    const portalTokens = {
      verify: async (token: string) => {
        verified.push(token);
        throw new AuthenticationError();
      },
    } as unknown as PortalTokenService;
    const auth = apiKeyAuth({} as AccountStore, 'eea', () => 0, {
      records: {} as RecordStore,
      portalTokens,
      sso: noSso,
    });
    const token = `hdpt.eea.${accountId}.42.2000000000.1.mac`;
    const on = (routeKey: string) => ({
      event: { routeKey, headers: { authorization: `Bearer ${token}` } } as unknown as APIGatewayProxyEventV2,
      context: {},
    });

    // Act
    const agentRoute = await Promise.resolve(auth.before?.(on('GET /api/v2/companies') as never)).catch(
      (error: unknown) => error,
    );
    const requesterRoute = await Promise.resolve(auth.before?.(on('GET /api/v2/tickets') as never)).catch(
      (error: unknown) => error,
    );

    // Assess
    expect(agentRoute).toBeInstanceOf(AccessDeniedError);
    expect(requesterRoute).toBeInstanceOf(AuthenticationError);
    expect(verified).toEqual([token]);
  });
});
