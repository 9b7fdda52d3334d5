import { randomUUID } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoAccountStore } from '../../lambdas/adapters/dynamo-account-store.ts';
import { generateApiKey, hashApiKey } from '../../lambdas/domain/api-key.ts';
import { basicAuth } from './http-client.ts';

export interface TestAccount {
  readonly id: string;
  readonly key: string;
  readonly agentId: number;
}

/** A fresh US account with one admin agent, straight in the table (as the demo seed does). */
export async function createUsAccount(client: DynamoDBDocumentClient, table: string, agentId: number) {
  const account: TestAccount = { id: randomUUID(), key: generateApiKey('us'), agentId };
  await new DynamoAccountStore(client, table).createAccount(
    {
      id: account.id,
      name: 'Test account',
      homeRegion: 'us',
      products: ['helpdesk'],
      createdAt: new Date().toISOString(),
    },
    hashApiKey(account.key),
    { accountId: account.id, agentId, role: 'admin' },
  );
  return account;
}

/** Calls the API as an account: JSON bodies, or a FormData sent as multipart/form-data. */
export function accountCaller(url: string) {
  return async (account: TestAccount, method: string, path: string, body?: unknown) => {
    const json = body !== undefined && !(body instanceof FormData);
    const response = await fetch(`${url}${path}`, {
      method,
      headers: {
        authorization: basicAuth(account.key),
        ...(json ? { 'content-type': 'application/json' } : {}),
      },
      body: json ? JSON.stringify(body) : (body as FormData | undefined),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
}

/** The records of a type a person's subject index lists (what the privacy workflows will read). */
export async function subjectLinks(
  client: DynamoDBDocumentClient,
  table: string,
  accountId: string,
  subject: string,
): Promise<Array<{ record_type: string; record_id: number }>> {
  const { Items = [] } = await client.send(
    new QueryCommand({
      TableName: table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': `A#${accountId}#SUBJECT#${subject}` },
    }),
  );
  return Items.map((item) => ({ record_type: item.record_type, record_id: item.record_id }));
}
