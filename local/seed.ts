import { randomUUID } from 'node:crypto';
import { DynamoAccountStore } from '#adapters/dynamo-account-store';
import { newAgent } from '#domain/agents/agent-service';
import { newRecordId } from '#adapters/record-ids';
import { generateApiKey, hashApiKey } from '#domain/api-key';
import { type HostingRegionKey, hostingRegions, productsAvailableIn } from '#lib/residency/index';
import { localDocumentClient } from './local-document-client.ts';
import { type EmulatorEndpoints, localResourceNames } from './local-environment.ts';

export interface SeededAccount {
  readonly accountId: string;
  readonly apiKey: string;
  readonly agentId: number;
}

/** Seeds one demo account homed in `region`, with an account-admin API key, through the real store. */
export async function seedDemoAccount(
  region: HostingRegionKey,
  endpoints: EmulatorEndpoints,
): Promise<SeededAccount> {
  const client = localDocumentClient(endpoints);
  try {
    const accountId = randomUUID();
    const agentId = newRecordId();
    const apiKey = generateApiKey(region);
    const createdAt = new Date().toISOString();
    // The owner is an agent of the account (so /agents/me and the audit trail name a real agent), and
    // their key answers to that profile: account, profile and key are written in one transaction.
    const owner = newAgent(accountId, agentId, createdAt, {
      name: 'Demo Admin',
      email: `admin@${region}.demo.invalid`,
      role: 'account_admin',
    });
    await new DynamoAccountStore(client, localResourceNames(region).table).createAccount(
      {
        id: accountId,
        name: `Demo ${hostingRegions[region].name}`,
        homeRegion: region,
        products: productsAvailableIn(region),
        createdAt,
      },
      {
        record: owner,
        audit: {
          at: createdAt,
          actor: { type: 'system', id: 'seed' },
          operation: 'create',
          record: owner.ref,
          changedFields: ['email', 'name', 'role'],
        },
      },
      { apiKeyHash: hashApiKey(apiKey), accountId, agentId },
    );
    return { accountId, apiKey, agentId };
  } finally {
    client.destroy();
  }
}
