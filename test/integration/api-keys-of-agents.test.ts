import { randomUUID } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { DynamoRecordStore } from '../../lambdas/adapters/dynamo-record-store.ts';
import type { Role } from '../../lambdas/domain/account.ts';
import { generateApiKey, hashApiKey } from '../../lambdas/domain/api-key.ts';
import { keyCaller, testAgentProfile } from './account-fixture.ts';
import { emulatorDocumentClient } from './emulator-clients.ts';
import { erasedAgent } from './test-accounts.ts';

/**
 * API keys and the agents holding them, over HTTP: the role and scope of a request are the agent's
 * current profile's, and a key whose agent is gone is no credential. The local API reads the agent
 * profile on every request (TICKET_SCOPE_CACHE_SECONDS is 0 in tests; 5 s deployed).
 *
 * The keys here are written as every key was before keys were indexed by their agent (a key item
 * naming account, agent and role, nothing else), as keys of existing accounts still are: they must
 * fail closed too.
 */
const platform = inject('localPlatform');
const region = 'eea' as const;
const { url, table } = platform.regions[region];
const client = emulatorDocumentClient(platform);
const records = new DynamoRecordStore(client, table);
const call = keyCaller(url);
afterAll(() => client.destroy());

/** A key item as written before keys had an agent index: the role snapshot it carries is not trusted. */
async function keyOfEarlierFormat(accountId: string, agentId: number, role: Role): Promise<string> {
  const key = generateApiKey(region);
  await client.send(
    new PutCommand({
      TableName: table,
      Item: {
        pk: `APIKEY#${hashApiKey(key)}`,
        sk: 'APIKEY',
        type: 'api_key',
        account_id: accountId,
        agent_id: agentId,
        role,
        created_at: new Date().toISOString(),
      },
    }),
  );
  return key;
}

async function profileOf(accountId: string, id: number, role: Role): Promise<void> {
  const profile = testAgentProfile(accountId, { id, role });
  await records.create(profile.record, profile.audit);
  await accountOfEarlierFormat(accountId);
}

/** The account item as written before operators (no status, no version: an active account). */
async function accountOfEarlierFormat(accountId: string): Promise<void> {
  await client.send(
    new PutCommand({
      TableName: table,
      Item: {
        pk: `ACCOUNT#${accountId}`,
        sk: 'PROFILE',
        type: 'account',
        account_id: accountId,
        name: 'Earlier account',
        home_region: region,
        products: ['helpdesk'],
        created_at: '2026-01-01T00:00:00.000Z',
      },
    }),
  );
}

const auditLogSince = `/api/v2/audit_log?since=${encodeURIComponent('2020-01-01T00:00:00Z')}`;

describe('API keys of agents (keys written before the agent index)', () => {
  it('refuses with 401 a key whose agent has no profile, rather than granting global scope', async () => {
    // Prepare
    const accountId = randomUUID();
    const key = await keyOfEarlierFormat(accountId, 5101, 'agent');

    // Act
    const answer = await call(key, 'GET', '/api/v2/tickets');

    // Assess
    expect(answer.status).toBe(401);
    expect(answer.body).toMatchObject({ code: 'invalid_credentials' });
  });

  it("refuses an erased agent's key with 401 once the erasure completed", async () => {
    // Prepare
    const accountId = randomUUID();
    const admin = await keyOfEarlierFormat(accountId, 5201, 'admin');
    const agent = await keyOfEarlierFormat(accountId, 5202, 'agent');
    await profileOf(accountId, 5201, 'admin');
    await profileOf(accountId, 5202, 'agent');
    const before = await call(agent, 'GET', '/api/v2/tickets');

    // Act
    const done = await erasedAgent(url, admin, 5202);
    const after = await call(agent, 'GET', '/api/v2/tickets');

    // Assess
    expect(before.status).toBe(200);
    expect(done.status).toBe('completed');
    expect(after.status).toBe(401);
    expect(after.body).toMatchObject({ code: 'invalid_credentials' });
  });

  it("takes the role from the agent's current profile: a demoted admin is an agent at once", async () => {
    // Prepare
    const accountId = randomUUID();
    const owner = await keyOfEarlierFormat(accountId, 5301, 'admin');
    const demoted = await keyOfEarlierFormat(accountId, 5302, 'admin');
    await profileOf(accountId, 5301, 'admin');
    await profileOf(accountId, 5302, 'admin');
    const asAdmin = await call(demoted, 'GET', auditLogSince);

    // Act
    const demotion = await call(owner, 'PUT', '/api/v2/agents/5302', { role: 'agent' });
    const asAgent = await call(demoted, 'GET', auditLogSince);

    // Assess
    expect(asAdmin.status).toBe(200);
    expect(demotion.status).toBe(200);
    expect(asAgent.status).toBe(403);
  });

  it('grants a promoted agent the new role, whatever the key item says', async () => {
    // Prepare
    const accountId = randomUUID();
    const owner = await keyOfEarlierFormat(accountId, 5401, 'admin');
    const promoted = await keyOfEarlierFormat(accountId, 5402, 'agent');
    await profileOf(accountId, 5401, 'admin');
    await profileOf(accountId, 5402, 'agent');
    const asAgent = await call(promoted, 'GET', auditLogSince);

    // Act
    await call(owner, 'PUT', '/api/v2/agents/5402', { role: 'admin' });
    const asAdmin = await call(promoted, 'GET', auditLogSince);

    // Assess
    expect(asAgent.status).toBe(403);
    expect(asAdmin.status).toBe(200);
  });
});
