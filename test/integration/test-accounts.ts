import { randomUUID } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoAccountStore } from '../../lambdas/adapters/dynamo-account-store.ts';
import type { Role } from '../../lambdas/domain/account.ts';
import { generateApiKey, hashApiKey } from '../../lambdas/domain/api-key.ts';
import type { HostingRegionKey } from '../../lib/residency/index.ts';
import { basicAuth } from './http-client.ts';

export interface TestAccount {
  readonly id: string;
  /** One API key per role asked for, each held by its own agent id. */
  readonly keys: Readonly<Record<Role, string>>;
}

/** A fresh account of `region` with an API key for each role, so a test sees only its own data. */
export async function createTestAccount(
  client: DynamoDBDocumentClient,
  table: string,
  region: HostingRegionKey,
  roles: readonly Role[] = ['admin', 'supervisor', 'agent'],
): Promise<TestAccount> {
  const accounts = new DynamoAccountStore(client, table);
  const id = randomUUID();
  const keys: Partial<Record<Role, string>> = {};
  for (const [index, role] of roles.entries()) {
    const key = generateApiKey(region);
    const principal = { accountId: id, agentId: 900 + index, role };
    if (index === 0) {
      const at = new Date().toISOString();
      await accounts.createAccount(
        { id, name: 'Test account', homeRegion: region, products: ['helpdesk'], createdAt: at },
        hashApiKey(key),
        principal,
      );
    } else {
      await accounts.addApiKey(hashApiKey(key), principal);
    }
    keys[role] = key;
  }
  return { id, keys: keys as Record<Role, string> };
}

/** Calls the API at `url` with an API key; answers status, headers and parsed JSON body. */
export function apiCaller(url: string) {
  return async (method: string, path: string, key: string, body?: unknown) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: {
        authorization: basicAuth(key),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
  };
}
