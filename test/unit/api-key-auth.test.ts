import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { AccountStatus, AccountStore, ApiKeyHolder, Principal } from '../../lambdas/domain/account.ts';
import type { AgentFields } from '../../lambdas/domain/agents/agent-service.ts';
import type { RecordStore } from '../../lambdas/domain/records/record-store.ts';
import { apiKeyAuth, principalCacheMs } from '../../lambdas/http/api-key-auth.ts';
import { MissingDependencyError } from '../../lambdas/http/missing-dependency.ts';
import { noSso } from './api-doubles.ts';

/**
 * Counts how often the key and the account are looked up and the key's use noted (with the days noted);
 * the store is our own domain interface, not an AWS service. The account is active unless a test
 * suspends it.
 */
function keyStore(holder: ApiKeyHolder | undefined) {
  const store = {
    lookups: 0,
    notedDays: [] as string[],
    accountReads: 0,
    holder,
    status: 'active' as AccountStatus,
    async findApiKeyHolder() {
      store.lookups += 1;
      return store.holder;
    },
    async noteApiKeyUsed(_hash: string, day: string) {
      store.notedDays.push(day);
    },
    async getAccount(accountId: string) {
      store.accountReads += 1;
      return { id: accountId, status: store.status };
    },
  };
  return store;
}

type Profile = Partial<AgentFields> & { deleted?: boolean; superseded?: boolean };

/**
 * An agent profile store (our RecordStore interface) answering the profile it is told, and the sharing
 * rules it is told; counts profile reads.
 */
function profileStore(profile: Profile | undefined, sharingRules: readonly object[] = []) {
  const store = {
    reads: 0,
    profile,
    async list() {
      return { records: sharingRules.map((fields) => ({ fields })), hasMore: false };
    },
    async get() {
      store.reads += 1;
      const current = store.profile;
      if (!current) return undefined;
      const { deleted, superseded, ...fields } = current;
      return {
        fields,
        deletedAt: deleted ? '2026-01-02T00:00:00Z' : undefined,
        supersededBy: superseded ? { type: 'contact', id: 1 } : undefined,
      };
    },
  };
  return store;
}

const request = (method = 'GET') => ({
  event: {
    headers: { authorization: `Basic ${Buffer.from('eea_cache-test-key:X').toString('base64')}` },
    requestContext: { http: { method } },
  } as unknown as APIGatewayProxyEventV2,
  context: {} as Record<string, unknown>,
});

function authWith(
  keys: ReturnType<typeof keyStore>,
  profiles: ReturnType<typeof profileStore>,
  clock: () => number = () => 0,
  scopeCacheMs = 5_000,
) {
  return apiKeyAuth(keys as unknown as AccountStore, 'eea', clock, {
    records: profiles as unknown as RecordStore,
    scopeCacheMs,
    sso: noSso,
  });
}

const authenticate = async (auth: ReturnType<typeof apiKeyAuth>, method = 'GET') => {
  const req = request(method);
  await auth.before?.(req as never);
  return (req.context as unknown as { principal: Principal }).principal;
};

describe('API-key authentication cache', () => {
  it('reads a key once per container for a while, then again', async () => {
    // Prepare
    let now = 1_000_000;
    const keys = keyStore({ accountId: 'a', keyId: 1, agentId: 1 });
    const auth = authWith(keys, profileStore({ role: 'admin' }), () => now);

    // Act
    await authenticate(auth);
    now += principalCacheMs - 1;
    await authenticate(auth);
    now += 2;
    await authenticate(auth);

    // Assess
    expect(keys.lookups).toBe(2);
  });

  it('never remembers an unknown key', async () => {
    const keys = keyStore(undefined);
    const auth = authWith(keys, profileStore({ role: 'admin' }));

    await expect(authenticate(auth)).rejects.toThrow('logged in');
    await expect(authenticate(auth)).rejects.toThrow('logged in');

    expect(keys.lookups).toBe(2);
  });

  it('cannot be built without the agent profiles (fails closed, not open)', () => {
    expect(() =>
      apiKeyAuth(keyStore(undefined) as unknown as AccountStore, 'eea', () => 0, {
        records: undefined as unknown as RecordStore,
        sso: noSso,
      }),
    ).toThrow(MissingDependencyError);
  });
});

describe('the agent behind a key', () => {
  it.each<[string, Profile | undefined]>([
    ['has no profile', undefined],
    ['is soft-deleted', { role: 'agent', deleted: true }],
    ['was superseded', { role: 'agent', superseded: true }],
  ])(
    'refuses a key whose agent %s with AuthenticationError (401), never a global scope',
    async (_case, profile) => {
      // Prepare
      const auth = authWith(keyStore({ accountId: 'a', keyId: 1, agentId: 7 }), profileStore(profile));

      // Act
      const refused = authenticate(auth);

      // Assess
      await expect(refused).rejects.toMatchObject({
        name: 'AuthenticationError',
        code: 'invalid_credentials',
      });
    },
  );

  it('takes the role from the profile, not from the key: a demotion shows after the profile cache time', async () => {
    // Prepare
    let now = 1_000_000;
    const profiles = profileStore({ role: 'admin', ticket_scope: 3, group_ids: [] });
    const auth = authWith(keyStore({ accountId: 'a', keyId: 1, agentId: 7 }), profiles, () => now, 5_000);

    // Act
    const before = await authenticate(auth);
    profiles.profile = { role: 'agent', ticket_scope: 3, group_ids: [] };
    now += 4_999;
    const cached = await authenticate(auth);
    now += 2;
    const after = await authenticate(auth);

    // Assess
    expect(before.role).toBe('admin');
    expect(before.ticketScope).toBeUndefined();
    expect(cached.role).toBe('admin');
    expect(after).toMatchObject({ role: 'agent', ticketScope: { scope: 3, groupIds: [] } });
  });

  it("refuses an erased agent's key once the profile cache time passed, though the key is still cached", async () => {
    // Prepare
    let now = 1_000_000;
    const keys = keyStore({ accountId: 'a', keyId: 1, agentId: 7 });
    const profiles = profileStore({ role: 'agent' });
    const auth = authWith(keys, profiles, () => now, 5_000);
    await authenticate(auth);

    // Act
    profiles.profile = undefined;
    now += 5_001;
    const refused = authenticate(auth);

    // Assess
    await expect(refused).rejects.toMatchObject({ name: 'AuthenticationError' });
    expect(keys.lookups).toBe(1);
  });

  it("reads the profile once per cache time for role, scope and groups together, and keeps the key's budget", async () => {
    // Prepare
    let now = 1_000_000;
    const profiles = profileStore({ role: 'agent', ticket_scope: 2, group_ids: [5] });
    const auth = authWith(
      keyStore({ accountId: 'a', keyId: 1, agentId: 7, rateLimitPerMinute: 20 }),
      profiles,
      () => now,
      5_000,
    );

    // Act
    const first = await authenticate(auth);
    profiles.profile = { role: 'agent', ticket_scope: 3, group_ids: [] };
    now += 4_999;
    const cached = await authenticate(auth);
    now += 2;
    const fresh = await authenticate(auth);

    // Assess
    expect(first).toEqual({
      accountId: 'a',
      agentId: 7,
      role: 'agent',
      rateLimitPerMinute: 20,
      ticketScope: { scope: 2, groupIds: [5] },
    });
    expect(cached.ticketScope).toEqual({ scope: 2, groupIds: [5] });
    expect(fresh.ticketScope).toEqual({ scope: 3, groupIds: [] });
    expect(profiles.reads).toBe(2);
  });

  it('reads the profile on every request when the profile cache time is 0 (the integration platform)', async () => {
    const profiles = profileStore({ role: 'agent' });
    const auth = authWith(keyStore({ accountId: 'a', keyId: 1, agentId: 7 }), profiles, () => 0, 0);

    await authenticate(auth);
    await authenticate(auth);

    expect(profiles.reads).toBe(2);
  });

  it('never narrows administrators, whatever their profile scope', async () => {
    const auth = authWith(
      keyStore({ accountId: 'a', keyId: 1, agentId: 1 }),
      profileStore({ role: 'admin', ticket_scope: 3, group_ids: [] }),
    );

    expect((await authenticate(auth)).ticketScope).toBeUndefined();
  });

  it('treats a global-scope agent as unscoped', async () => {
    const auth = authWith(
      keyStore({ accountId: 'a', keyId: 1, agentId: 7 }),
      profileStore({ role: 'supervisor', ticket_scope: 1, group_ids: [5] }),
    );

    expect((await authenticate(auth)).ticketScope).toBeUndefined();
  });

  it('refuses a profile that names no role the platform knows', async () => {
    const auth = authWith(
      keyStore({ accountId: 'a', keyId: 1, agentId: 7 }),
      profileStore({ role: 'owner' as never }),
    );

    await expect(authenticate(auth)).rejects.toMatchObject({ name: 'AuthenticationError' });
  });
});

describe('what a key allows, checked on every request', () => {
  const day = 24 * 60 * 60 * 1000;
  const start = Date.parse('2026-12-07T10:00:00Z');

  it('refuses an expired key with 401, also while the container remembers the key', async () => {
    // Prepare
    let now = start;
    const expiresAt = new Date(start + 1_000).toISOString();
    const keys = keyStore({ accountId: 'a', keyId: 1, agentId: 7, expiresAt });
    const auth = authWith(keys, profileStore({ role: 'agent' }), () => now);
    await authenticate(auth);

    // Act
    now += 1_000;
    const refused = authenticate(auth);

    // Assess
    await expect(refused).rejects.toMatchObject({ name: 'ExpiredApiKeyError', code: 'invalid_credentials' });
    expect(keys.lookups).toBe(1);
  });

  it.each(['POST', 'PUT', 'DELETE', 'PATCH'])(
    'refuses %s with a read-only key (403, naming why)',
    async (method) => {
      // Prepare
      const keys = keyStore({ accountId: 'a', keyId: 1, agentId: 7, readOnly: true });
      const auth = authWith(keys, profileStore({ role: 'admin' }), () => start);

      // Act
      const read = await authenticate(auth, 'GET');
      const write = authenticate(auth, method);

      // Assess
      expect(read.agentId).toBe(7);
      await expect(write).rejects.toMatchObject({ name: 'ReadOnlyApiKeyError', code: 'access_denied' });
      await expect(write).rejects.toThrow('read-only');
    },
  );

  it("notes a key's use once per day and container: repeated requests cost no extra read or write", async () => {
    // Prepare
    let now = start;
    const keys = keyStore({ accountId: 'a', keyId: 1, agentId: 7 });
    const profiles = profileStore({ role: 'agent' });
    const auth = authWith(keys, profiles, () => now);

    // Act
    for (let i = 0; i < 5; i++) await authenticate(auth);
    const sameDay = { lookups: keys.lookups, notes: keys.notedDays.length, reads: profiles.reads };
    now += day;
    await authenticate(auth);

    // Assess
    expect(sameDay).toEqual({ lookups: 1, notes: 1, reads: 1 });
    expect(keys.notedDays).toEqual(['2026-12-07', '2026-12-08']);
  });

  it('never refuses a request because its use could not be noted, and notes it again later', async () => {
    // Prepare
    const keys = keyStore({ accountId: 'a', keyId: 1, agentId: 7 });
    let failures = 1;
    const note = keys.noteApiKeyUsed;
    keys.noteApiKeyUsed = async (hash, day) => {
      if (failures-- > 0) throw new Error('throttled');
      return note(hash, day);
    };
    const auth = authWith(keys, profileStore({ role: 'agent' }), () => start);

    // Act
    const first = await authenticate(auth);
    await authenticate(auth);
    await authenticate(auth);

    // Assess
    expect(first.agentId).toBe(7);
    expect(keys.notedDays).toEqual(['2026-12-07']);
  });
});

describe('a suspended account', () => {
  it('refuses its keys with 403 account_suspended, and lets them in again after the cache time once reactivated', async () => {
    // Prepare
    let now = 1_000_000;
    const keys = keyStore({ accountId: 'a', keyId: 1, agentId: 1 });
    keys.status = 'suspended';
    const auth = authWith(keys, profileStore({ role: 'account_admin' }), () => now, 5_000);

    // Act
    const refused = authenticate(auth);
    await expect(refused).rejects.toMatchObject({ name: 'AccountSuspendedError', code: 'account_suspended' });
    keys.status = 'active';
    now += 1_000;
    const stillRefused = authenticate(auth);
    await expect(stillRefused).rejects.toMatchObject({ code: 'account_suspended' });
    now += 5_000;
    const principal = await authenticate(auth);

    // Assess: one account read per cache time
    expect(principal.accountId).toBe('a');
    expect(keys.accountReads).toBe(2);
  });

  it('refuses a key whose account is gone with 401', async () => {
    // Prepare
    const keys = keyStore({ accountId: 'a', keyId: 1, agentId: 1 });
    keys.getAccount = async () => undefined as never;
    const auth = authWith(keys, profileStore({ role: 'admin' }));

    // Act
    const refused = authenticate(auth);

    // Assess
    await expect(refused).rejects.toMatchObject({ name: 'AuthenticationError' });
  });
});
