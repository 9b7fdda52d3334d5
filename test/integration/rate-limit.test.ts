import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoAccountStore } from '../../lambdas/adapters/dynamo-account-store.ts';
import { testAgentProfile } from './account-fixture.ts';
import { DynamoRateBudget } from '../../lambdas/adapters/dynamo-rate-budget.ts';
import { DynamoRecordStore } from '../../lambdas/adapters/dynamo-record-store.ts';
import { generateApiKey, hashApiKey } from '../../lambdas/domain/api-key.ts';
import { LeasedRateLimiter } from '../../lambdas/domain/rate-lease.ts';
import { emulatorDocumentClient } from './emulator-clients.ts';
import { basicAuth } from './http-client.ts';

const platform = inject('localPlatform');
const { url, table } = platform.regions.us;
const client = emulatorDocumentClient(platform);
const key = generateApiKey('us');
const accountId = randomUUID();

beforeAll(async () => {
  await new DynamoAccountStore(client, table).createAccount(
    {
      id: accountId,
      name: 'Small plan',
      homeRegion: 'us',
      products: ['helpdesk'],
      createdAt: new Date().toISOString(),
    },
    testAgentProfile(accountId, { id: 9, role: 'admin' }),
    { apiKeyHash: hashApiKey(key), accountId, agentId: 9, rateLimitPerMinute: 3 },
  );
});
afterAll(() => client.destroy());

describe('rate limit on the local platform', () => {
  it('refuses requests over the account budget with 429 and Retry-After, and writes nothing', async () => {
    // Act: more requests than the budget of 3 per minute (a minute boundary in between only resets it).
    const attempts: { email: string; status: number; headers: Headers }[] = [];
    while (attempts.length < 8 && !attempts.some((attempt) => attempt.status === 429)) {
      const email = `b-${randomUUID()}@example.test`;
      const response = await fetch(`${url}/api/v2/contacts`, {
        method: 'POST',
        headers: { authorization: basicAuth(key), 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Budget', email }),
      });
      await response.text();
      attempts.push({ email, status: response.status, headers: response.headers });
    }

    // Assess
    const refused = attempts.find((attempt) => attempt.status === 429);
    expect(attempts.filter((attempt) => attempt.status === 201).length).toBeGreaterThanOrEqual(3);
    expect(refused?.headers.get('retry-after')).toMatch(/^[1-9][0-9]?$/);
    expect(refused?.headers.get('x-ratelimit-remaining')).toBe('0');
    const store = new DynamoRecordStore(client, table);
    expect(
      await store.findByUniqueValue(accountId, 'contact', 'email', refused?.email ?? ''),
    ).toBeUndefined();
  });
});

describe('leased rate limit on DynamoDB Local, several containers sharing one account budget', () => {
  const now = new Date('2026-11-23T10:00:30Z');
  const containers = () =>
    Array.from({ length: 3 }, () => new LeasedRateLimiter(new DynamoRateBudget(client, table)));
  const counted = async (account: string) =>
    (
      await client.send(
        new GetCommand({ TableName: table, Key: { pk: `A#${account}#RATE#2026-11-23T10:00`, sk: 'RATE' } }),
      )
    ).Item?.used;

  it('grants exactly the budget when containers take turns, then refuses everywhere', async () => {
    // Prepare: a budget that is not a multiple of the lease size, so the last blocks are partial.
    const account = randomUUID();
    const limit = 247;
    const limiters = containers();

    // Act: round-robin until every container has been refused.
    let allowed = 0;
    const refused = new Set<number>();
    while (refused.size < limiters.length) {
      for (const [index, limiter] of limiters.entries()) {
        const decision = await limiter.consume(account, limit, now);
        if (decision.allowed) allowed += 1;
        else refused.add(index);
      }
    }

    // Assess
    expect(allowed).toBe(limit);
    expect(await counted(account)).toBe(limit);
  });

  it('never grants more than the budget to containers racing for it', async () => {
    const account = randomUUID();
    const limit = 120;

    const perContainer = await Promise.all(
      containers().map(async (limiter) => {
        let allowed = 0;
        while ((await limiter.consume(account, limit, now)).allowed) allowed += 1;
        return allowed;
      }),
    );

    // Every reserved request was spent, and the shared count holds them all.
    const allowed = perContainer.reduce((sum, count) => sum + count, 0);
    expect(allowed).toBeLessThanOrEqual(limit);
    expect(await counted(account)).toBe(allowed);
  });
});
