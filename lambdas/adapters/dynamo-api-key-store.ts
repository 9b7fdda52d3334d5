import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ApiKeyGrant } from '#domain/account';
import type { ApiKeyInfo, ApiKeyStore } from '#domain/api-keys/api-key-store';
import type { RecordChange } from '#domain/records/record-store';
import type { AuditEntry } from '#domain/records/record';
import { AgentApiKeys } from './agent-api-keys.ts';
import { DynamoRecordStore } from './dynamo-record-store.ts';
import { RecordIndexItems, transactRecords } from './record-items.ts';

/** Agents' API keys in the records table (see AgentApiKeys for the items and their conditions). */
export class DynamoApiKeyStore implements ApiKeyStore {
  private readonly keys: AgentApiKeys;
  private readonly records: DynamoRecordStore;
  private readonly index: RecordIndexItems;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    tableName: string,
  ) {
    this.keys = new AgentApiKeys(client, tableName);
    this.records = new DynamoRecordStore(client, tableName);
    this.index = new RecordIndexItems(tableName);
  }

  issue(key: ApiKeyGrant, createdAt: string, audit: AuditEntry): Promise<void> {
    return this.keys.issue(key, createdAt, [this.auditItem(key.accountId, audit)]);
  }

  keysOf(accountId: string, agentId: number): Promise<ApiKeyInfo[]> {
    return this.keys.keysOf(accountId, agentId);
  }

  revoke(accountId: string, agentId: number, keyId: number, audit: AuditEntry): Promise<boolean> {
    return this.keys.revoke(accountId, agentId, keyId, [this.auditItem(accountId, audit)]);
  }

  /**
   * An audit entry on the agent that changes no version of their profile: keyed by its instant and
   * operation at version 0 (a second key change of the same agent in the same millisecond is a 409).
   */
  private auditItem(accountId: string, audit: AuditEntry) {
    return this.index.putAudit({ accountId, ref: audit.record, version: 0 }, audit);
  }

  async commitRevokingKeys(
    changes: readonly RecordChange[],
    accountId: string,
    agentId: number,
  ): Promise<number> {
    const revocation = await this.keys.revocation(accountId, agentId);
    await transactRecords(
      this.client,
      [...(await this.records.changeItems(changes)), ...revocation.items],
      'The agent, or their API keys, changed meanwhile; read the agent again and retry.',
    );
    return revocation.revoked;
  }
}
