import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DynamoAccountStore } from '../../lambdas/adapters/dynamo-account-store.ts';
import { DynamoRecordStore } from '../../lambdas/adapters/dynamo-record-store.ts';
import { generateApiKey, hashApiKey } from '../../lambdas/domain/api-key.ts';
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
    hashApiKey(key),
    { accountId, agentId: 9, role: 'admin', rateLimitPerMinute: 3 },
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
