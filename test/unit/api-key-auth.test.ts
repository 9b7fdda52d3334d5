import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { AccountStore, Principal } from '../../lambdas/domain/account.ts';
import type { RecordStore } from '../../lambdas/domain/records/record-store.ts';
import { apiKeyAuth, principalCacheMs } from '../../lambdas/http/api-key-auth.ts';

/** Counts how often the store is asked; the store is our own domain interface, not an AWS service. */
function countingStore(principal: Principal | undefined) {
  const store = {
    lookups: 0,
    async findPrincipalByApiKeyHash() {
      store.lookups += 1;
      return principal;
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

describe('API-key authentication cache', () => {
  it('reads a key once per container for a while, then again', async () => {
    // Prepare
    let now = 1_000_000;
    const store = countingStore({ accountId: 'a', agentId: 1, role: 'admin' });
    const auth = apiKeyAuth(store as unknown as AccountStore, 'eea', () => now);

    // Act
    await auth.before?.(request() as never);
    now += principalCacheMs - 1;
    await auth.before?.(request() as never);
    now += 2;
    await auth.before?.(request() as never);

    // Assess
    expect(store.lookups).toBe(2);
  });

  it('never remembers an unknown key', async () => {
    const store = countingStore(undefined);
    const auth = apiKeyAuth(store as unknown as AccountStore, 'eea', () => 0);

    await expect(auth.before?.(request() as never)).rejects.toThrow('logged in');
    await expect(auth.before?.(request() as never)).rejects.toThrow('logged in');

    expect(store.lookups).toBe(2);
  });
});

/** An agent profile store answering the scope it is told; counts its reads. */
function profileStore(profile: { ticket_scope: number; group_ids: number[] }) {
  const store = {
    reads: 0,
    profile,
    async get() {
      store.reads += 1;
      return { fields: store.profile };
    },
  };
  return store;
}

describe('ticket scope at request time', () => {
  const authenticate = async (auth: ReturnType<typeof apiKeyAuth>) => {
    const req = request();
    await auth.before?.(req as never);
    return (req.context as unknown as { principal: Principal }).principal;
  };

  it('reads the agent scope once per scope cache time, so a change shows within it', async () => {
    // Prepare
    let now = 1_000_000;
    const agent = countingStore({ accountId: 'a', agentId: 7, role: 'agent' });
    const profiles = profileStore({ ticket_scope: 2, group_ids: [5] });
    const auth = apiKeyAuth(agent as unknown as AccountStore, 'eea', () => now, {
      records: profiles as unknown as RecordStore,
      scopeCacheMs: 5_000,
    });

    // Act
    const first = await authenticate(auth);
    profiles.profile = { ticket_scope: 3, group_ids: [] };
    now += 4_999;
    const cached = await authenticate(auth);
    now += 2;
    const fresh = await authenticate(auth);

    // Assess
    expect(first.ticketScope).toEqual({ scope: 2, groupIds: [5] });
    expect(cached.ticketScope).toEqual({ scope: 2, groupIds: [5] });
    expect(fresh.ticketScope).toEqual({ scope: 3, groupIds: [] });
    expect(profiles.reads).toBe(2);
  });

  it('never narrows administrators and reads no profile for them', async () => {
    const admin = countingStore({ accountId: 'a', agentId: 1, role: 'admin' });
    const profiles = profileStore({ ticket_scope: 3, group_ids: [] });
    const auth = apiKeyAuth(admin as unknown as AccountStore, 'eea', () => 0, {
      records: profiles as unknown as RecordStore,
    });

    const principal = await authenticate(auth);

    expect(principal.ticketScope).toBeUndefined();
    expect(profiles.reads).toBe(0);
  });

  it('treats a global-scope agent as unscoped', async () => {
    const agent = countingStore({ accountId: 'a', agentId: 7, role: 'supervisor' });
    const profiles = profileStore({ ticket_scope: 1, group_ids: [5] });
    const auth = apiKeyAuth(agent as unknown as AccountStore, 'eea', () => 0, {
      records: profiles as unknown as RecordStore,
    });

    expect((await authenticate(auth)).ticketScope).toBeUndefined();
  });
});
