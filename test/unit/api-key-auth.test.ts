import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { AccountStore, Principal } from '../../lambdas/domain/account.ts';
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
  context: {} as never,
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
