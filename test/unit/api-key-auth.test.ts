import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { AccountStore, ApiKeyHolder, Principal } from '../../lambdas/domain/account.ts';
import type { AgentFields } from '../../lambdas/domain/agents/agent-service.ts';
import type { RecordStore } from '../../lambdas/domain/records/record-store.ts';
import { apiKeyAuth, principalCacheMs } from '../../lambdas/http/api-key-auth.ts';
import { MissingDependencyError } from '../../lambdas/http/missing-dependency.ts';

/** Counts how often the key is looked up; the store is our own domain interface, not an AWS service. */
function keyStore(holder: ApiKeyHolder | undefined) {
  const store = {
    lookups: 0,
    holder,
    async findApiKeyHolder() {
      store.lookups += 1;
      return store.holder;
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

const request = () => ({
  event: {
    headers: { authorization: `Basic ${Buffer.from('eea_cache-test-key:X').toString('base64')}` },
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
  });
}

const authenticate = async (auth: ReturnType<typeof apiKeyAuth>) => {
  const req = request();
  await auth.before?.(req as never);
  return (req.context as unknown as { principal: Principal }).principal;
};

describe('API-key authentication cache', () => {
  it('reads a key once per container for a while, then again', async () => {
    // Prepare
    let now = 1_000_000;
    const keys = keyStore({ accountId: 'a', agentId: 1 });
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
      const auth = authWith(keyStore({ accountId: 'a', agentId: 7 }), profileStore(profile));

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
    const auth = authWith(keyStore({ accountId: 'a', agentId: 7 }), profiles, () => now, 5_000);

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
    const keys = keyStore({ accountId: 'a', agentId: 7 });
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
      keyStore({ accountId: 'a', agentId: 7, rateLimitPerMinute: 20 }),
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
    const auth = authWith(keyStore({ accountId: 'a', agentId: 7 }), profiles, () => 0, 0);

    await authenticate(auth);
    await authenticate(auth);

    expect(profiles.reads).toBe(2);
  });

  it('never narrows administrators, whatever their profile scope', async () => {
    const auth = authWith(
      keyStore({ accountId: 'a', agentId: 1 }),
      profileStore({ role: 'admin', ticket_scope: 3, group_ids: [] }),
    );

    expect((await authenticate(auth)).ticketScope).toBeUndefined();
  });

  it('treats a global-scope agent as unscoped', async () => {
    const auth = authWith(
      keyStore({ accountId: 'a', agentId: 7 }),
      profileStore({ role: 'supervisor', ticket_scope: 1, group_ids: [5] }),
    );

    expect((await authenticate(auth)).ticketScope).toBeUndefined();
  });

  it('refuses a profile that names no role the platform knows', async () => {
    const auth = authWith(keyStore({ accountId: 'a', agentId: 7 }), profileStore({ role: 'owner' as never }));

    await expect(authenticate(auth)).rejects.toMatchObject({ name: 'AuthenticationError' });
  });
});
