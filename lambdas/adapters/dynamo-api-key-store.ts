import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ApiKeyGrant } from '#domain/account';
import type { ApiKeyInfo, ApiKeyStore } from '#domain/api-keys/api-key-store';
import type { RecordChange } from '#domain/records/record-store';
import { AgentApiKeys } from './agent-api-keys.ts';
import { DynamoRecordStore } from './dynamo-record-store.ts';
import { transactRecords } from './record-items.ts';

/** Agents' API keys in the records table (see AgentApiKeys for the items and their conditions). */
export class DynamoApiKeyStore implements ApiKeyStore {
  private readonly keys: AgentApiKeys;
  private readonly records: DynamoRecordStore;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    tableName: string,
  ) {
    this.keys = new AgentApiKeys(client, tableName);
    this.records = new DynamoRecordStore(client, tableName);
  }

  issue(key: ApiKeyGrant, createdAt: string): Promise<void> {
    return this.keys.issue(key, createdAt);
  }

  keysOf(accountId: string, agentId: number): Promise<ApiKeyInfo[]> {
    return this.keys.keysOf(accountId, agentId);
  }

  revoke(accountId: string, agentId: number, keyId: number): Promise<boolean> {
    return this.keys.revoke(accountId, agentId, keyId);
  }

  async commitRevokingKeys(
    changes: readonly RecordChange[],
    accountId: string,
    agentId: number,
  ): Promise<number> {
    const revocation = await this.keys.revocation(accountId, agentId);
    await transactRecords(
      this.client,
      [...this.records.changeItems(changes), ...revocation.items],
      'The agent, or their API keys, changed meanwhile; read the agent again and retry.',
    );
    return revocation.revoked;
  }
}
