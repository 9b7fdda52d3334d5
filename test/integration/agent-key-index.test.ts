import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { AgentApiKeys } from '../../lambdas/adapters/agent-api-keys.ts';
import { DynamoAccountStore } from '../../lambdas/adapters/dynamo-account-store.ts';
import { transactRecords } from '../../lambdas/adapters/record-items.ts';
import { recordPk } from '../../lambdas/adapters/record-keys.ts';
import {
  TooManyApiKeysError,
  generateApiKey,
  hashApiKey,
  maxApiKeysPerAgent,
} from '../../lambdas/domain/api-key.ts';
import { ConflictError, NotFoundError } from '../../lambdas/domain/errors.ts';
import { createTestAccount, keyCaller, type TestAgent } from './account-fixture.ts';
import { emulatorDocumentClient } from './emulator-clients.ts';
import { erasedAgent } from './test-accounts.ts';

/**
 * API keys indexed by the agent holding them (a key ring in the agent's partition, see
 * docs/access-patterns.md): issued only to a live agent and at most `maxApiKeysPerAgent` each, revoked all together
 * in the transaction that erases the agent, or through the one revocation operation.
 */
const platform = inject('localPlatform');
const region = 'eea' as const;
const { url, table } = platform.regions[region];
const client = emulatorDocumentClient(platform);
const call = keyCaller(url);
afterAll(() => client.destroy());

describe('API keys indexed by their agent', () => {
  const accounts = new DynamoAccountStore(client, table);
  const itemAt = async (key: Record<string, unknown>) =>
    (await client.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }))).Item;
  const keyItem = (key: string) => itemAt({ pk: `APIKEY#${hashApiKey(key)}`, sk: 'APIKEY' });
  const ringOf = (accountId: string, agentId: number) =>
    itemAt({ pk: recordPk(accountId, { type: 'agent', id: agentId }), sk: 'APIKEYS' });
  const secondKey = async (accountId: string, agentId: number) => {
    const key = generateApiKey(region);
    await accounts.addApiKey({ apiKeyHash: hashApiKey(key), accountId, agentId });
    return key;
  };

  it('erasing an agent deletes every key of theirs and their key ring with the profile', async () => {
    // Prepare
    const account = await createTestAccount(client, table, region, [
      { id: 5501, role: 'admin' },
      { id: 5502, role: 'agent' },
    ]);
    const [admin, agent] = account.agents as [TestAgent, TestAgent];
    const another = await secondKey(account.id, agent.id);
    const ringBefore = await ringOf(account.id, agent.id);

    // Act
    const done = await erasedAgent(url, admin.key, agent.id);

    // Assess
    expect(ringBefore?.key_hashes).toEqual(new Set([hashApiKey(agent.key), hashApiKey(another)]));
    expect(done.status).toBe('completed');
    expect(await keyItem(agent.key)).toBeUndefined();
    expect(await keyItem(another)).toBeUndefined();
    expect(await ringOf(account.id, agent.id)).toBeUndefined();
    expect((await call(agent.key, 'GET', '/api/v2/tickets')).status).toBe(401);
    expect((await call(another, 'GET', '/api/v2/tickets')).status).toBe(401);
    expect((await call(admin.key, 'GET', '/api/v2/tickets')).status).toBe(200);
  });

  it('issues a key only to an agent with a live profile, and writes nothing otherwise', async () => {
    const account = await createTestAccount(client, table, region, [{ id: 5601, role: 'admin' }]);
    const key = generateApiKey(region);

    const issued = accounts.addApiKey({ apiKeyHash: hashApiKey(key), accountId: account.id, agentId: 5699 });

    await expect(issued).rejects.toThrow(NotFoundError);
    expect(await keyItem(key)).toBeUndefined();
    expect(await ringOf(account.id, 5699)).toBeUndefined();
  });

  it(`refuses an agent's key beyond ${maxApiKeysPerAgent} (409), writing nothing`, async () => {
    // Prepare: the fixture issued one key; nine more reach the bound.
    const account = await createTestAccount(client, table, region, [{ id: 5701, role: 'admin' }]);
    for (let count = 1; count < maxApiKeysPerAgent; count += 1) await secondKey(account.id, 5701);
    const extra = generateApiKey(region);

    // Act
    const issued = accounts.addApiKey({
      apiKeyHash: hashApiKey(extra),
      accountId: account.id,
      agentId: 5701,
    });

    // Assess
    await expect(issued).rejects.toThrow(TooManyApiKeysError);
    expect(await keyItem(extra)).toBeUndefined();
    expect((await ringOf(account.id, 5701))?.key_hashes.size).toBe(maxApiKeysPerAgent);
  });

  it('revokes every key of an agent in one operation (the seam deleting or suspending an agent calls)', async () => {
    // Prepare: keys never used, so no container remembers them (a used one works up to 30 s more).
    const account = await createTestAccount(client, table, region, [{ id: 5801, role: 'admin' }]);
    const [owner] = account.agents as [TestAgent];
    const another = await secondKey(account.id, owner.id);

    // Act
    const revoked = await accounts.revokeApiKeysOf(account.id, owner.id);
    const again = await accounts.revokeApiKeysOf(account.id, owner.id);

    // Assess
    expect(revoked).toBe(2);
    expect(again).toBe(0);
    expect(await keyItem(owner.key)).toBeUndefined();
    expect(await ringOf(account.id, owner.id)).toBeUndefined();
    expect((await call(owner.key, 'GET', '/api/v2/tickets')).status).toBe(401);
    expect((await call(another, 'GET', '/api/v2/tickets')).status).toBe(401);
    // A new key may be issued afterwards (the agent is still live).
    const fresh = await secondKey(account.id, owner.id);
    expect((await call(fresh, 'GET', '/api/v2/tickets')).status).toBe(200);
  });

  it('cancels a revocation when a key was issued after the ring was read, so no key survives it', async () => {
    // Prepare
    const account = await createTestAccount(client, table, region, [{ id: 5901, role: 'admin' }]);
    const revocation = await new AgentApiKeys(client, table).revocation(account.id, 5901);
    const issuedMeanwhile = await secondKey(account.id, 5901);

    // Act
    const revoked = transactRecords(client, revocation.items, 'changed');

    // Assess
    await expect(revoked).rejects.toThrow(ConflictError);
    expect(await keyItem(issuedMeanwhile)).toBeDefined();
    expect((await ringOf(account.id, 5901))?.key_hashes.size).toBe(2);
  });
});
