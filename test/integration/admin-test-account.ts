import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createTestAccount, linkedRecords } from './account-fixture.ts';
import { basicAuth } from './http-client.ts';

export interface TestAccount {
  readonly id: string;
  readonly key: string;
  readonly agentId: number;
}

/** A fresh US account with one admin agent, straight in the table (as the demo seed does). */
export async function createUsAccount(client: DynamoDBDocumentClient, table: string, agentId: number) {
  const made = await createTestAccount(client, table, 'us', [{ id: agentId, role: 'admin' }]);
  const account: TestAccount = { id: made.id, key: made.agents[0]?.key ?? '', agentId };
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
  const [kind, id] = subject.split('#');
  const linked = await linkedRecords(client, table, accountId, {
    kind: kind as 'contact' | 'agent',
    id: Number(id),
  });
  return linked.map((ref) => {
    const [type = '', recordId] = ref.split('#');
    return { record_type: type, record_id: Number(recordId) };
  });
}
