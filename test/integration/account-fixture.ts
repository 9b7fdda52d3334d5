import { randomUUID } from 'node:crypto';
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoAccountStore } from '../../lambdas/adapters/dynamo-account-store.ts';
import { DynamoRecordStore } from '../../lambdas/adapters/dynamo-record-store.ts';
import { type AgentFields, newAgent } from '../../lambdas/domain/agents/agent-service.ts';
import { generateApiKey, hashApiKey } from '../../lambdas/domain/api-key.ts';
import type { NewRecord, Role } from '../../lambdas/domain/account.ts';
import type { AuditEntry } from '../../lambdas/domain/records/record.ts';
import type { HostingRegionKey } from '../../lib/residency/index.ts';
import { basicAuth } from './http-client.ts';

export interface TestAgent {
  readonly id: number;
  readonly key: string;
}

/** An agent of a test account: id and role, and any profile fields the test needs. */
export interface TestAgentSpec {
  readonly id: number;
  readonly role: Role;
  readonly fields?: Partial<AgentFields>;
}

/** The profile of a test agent with its audit entry: name and e-mail from its id unless `fields` say. */
export function testAgentProfile(accountId: string, agent: TestAgentSpec): NewRecord {
  const at = new Date().toISOString();
  const record = newAgent(accountId, agent.id, at, {
    name: `Agent ${agent.id}`,
    email: `a${agent.id}@example.test`,
    role: agent.role,
    ...agent.fields,
  });
  const audit: AuditEntry = {
    at,
    actor: { type: 'system', id: 'test' },
    operation: 'create',
    record: record.ref,
    changedFields: [],
  };
  return { record, audit };
}

/**
 * A fresh account of `region` with a profile and one API key per agent (the first one owns the
 * account), written as the platform writes them: a key is issued only to a live agent profile.
 */
export async function createTestAccount(
  client: DynamoDBDocumentClient,
  table: string,
  region: HostingRegionKey,
  agents: ReadonlyArray<TestAgentSpec>,
): Promise<{ id: string; agents: TestAgent[] }> {
  const accounts = new DynamoAccountStore(client, table);
  const records = new DynamoRecordStore(client, table);
  const id = randomUUID();
  const made = agents.map((agent) => ({ ...agent, key: generateApiKey(region) }));
  const [owner, ...others] = made;
  if (!owner) throw new Error('An account needs an owner');
  await accounts.createAccount(
    {
      id,
      name: 'Test account',
      homeRegion: region,
      products: ['helpdesk'],
      createdAt: new Date().toISOString(),
    },
    testAgentProfile(id, owner),
    { apiKeyHash: hashApiKey(owner.key), accountId: id, agentId: owner.id },
  );
  for (const agent of others) {
    const profile = testAgentProfile(id, agent);
    await records.create(profile.record, profile.audit);
    await accounts.addApiKey({ apiKeyHash: hashApiKey(agent.key), accountId: id, agentId: agent.id });
  }
  return { id, agents: made.map(({ id: agentId, key }) => ({ id: agentId, key })) };
}

/** Calls the API at `url` with an API key; answers status, parsed JSON body and headers. */
export function keyCaller(url: string) {
  return async (key: string, method: string, path: string, body?: unknown) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: basicAuth(key), ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
  };
}

/** Creates tickets as the agent holding `key` (requester by e-mail); answers each new ticket's id. */
export function ticketCreator(call: ReturnType<typeof keyCaller>, key: () => string, email: string) {
  return async (fields: Record<string, unknown>): Promise<number> => {
    const created = await call(key(), 'POST', '/api/v2/tickets', {
      subject: 'Test ticket',
      description: 'Test ticket',
      email,
      ...fields,
    });
    if (created.status !== 201) throw new Error(`ticket not created: ${created.status}`);
    return created.body.id as number;
  };
}

/** The records a person's subject links point at (what erasure and export find), as `type#id`. */
export async function linkedRecords(
  client: DynamoDBDocumentClient,
  table: string,
  accountId: string,
  subject: { kind: 'contact' | 'agent'; id: number },
): Promise<string[]> {
  const { Items = [] } = await client.send(
    new QueryCommand({
      TableName: table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': `A#${accountId}#SUBJECT#${subject.kind}#${subject.id}` },
    }),
  );
  return Items.map((item) => `${item.record_type}#${item.record_id}`);
}
