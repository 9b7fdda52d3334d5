import { randomUUID } from 'node:crypto';
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoAccountStore } from '../../lambdas/adapters/dynamo-account-store.ts';
import { generateApiKey, hashApiKey } from '../../lambdas/domain/api-key.ts';
import type { Role } from '../../lambdas/domain/account.ts';
import type { HostingRegionKey } from '../../lib/residency/index.ts';
import { basicAuth } from './http-client.ts';

export interface TestAgent {
  readonly id: number;
  readonly key: string;
}

/** A fresh account of `region` with one API key per agent (the first one owns the account). */
export async function createTestAccount(
  client: DynamoDBDocumentClient,
  table: string,
  region: HostingRegionKey,
  agents: ReadonlyArray<{ id: number; role: Role }>,
): Promise<{ id: string; agents: TestAgent[] }> {
  const accounts = new DynamoAccountStore(client, table);
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
    hashApiKey(owner.key),
    { accountId: id, agentId: owner.id, role: owner.role },
  );
  for (const agent of others) {
    await accounts.addApiKey(hashApiKey(agent.key), { accountId: id, agentId: agent.id, role: agent.role });
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
