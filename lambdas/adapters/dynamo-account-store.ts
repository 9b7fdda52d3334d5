import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Account, AccountStore, ApiKeyGrant, ApiKeyHolder, NewRecord } from '#domain/account';
import { apiKeyIdOf } from '#domain/api-key';
import type { AuditEntry } from '#domain/records/record';
import { AccountCompanionItems, type AccountItem, accountFromItem, accountToItem } from './account-items.ts';
import { type LookupKeys, lookupHasherFor } from '#domain/encryption/lookup-hasher';
import { AgentApiKeys } from './agent-api-keys.ts';
import { lookupKeysOf } from './kms-lookup-keys.ts';
import type { RecordSealer } from '#domain/encryption/record-sealer';
import { sealerBeside } from './record-sealing.ts';
import { accountKey, apiKeyKey } from './keys.ts';
import { RecordIndexItems, transactRecords } from './record-items.ts';

/** A key item; keys issued before the agent index also carry a `role`, which is never read. */
interface ApiKeyItem {
  account_id: string;
  agent_id: number;
  rate_limit_per_minute?: number;
  expires_at?: string;
  read_only?: boolean;
  integration?: boolean;
}

export class DynamoAccountStore implements AccountStore {
  private readonly keys: AgentApiKeys;
  private readonly index: RecordIndexItems;
  private readonly companions: AccountCompanionItems;
  private readonly lookupKeys: LookupKeys;

  private readonly sealer: RecordSealer;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    options: { readonly lookupKeys?: LookupKeys; readonly sealer?: RecordSealer } = {},
  ) {
    this.lookupKeys = options.lookupKeys ?? lookupKeysOf(client, tableName);
    this.sealer = options.sealer ?? sealerBeside(client, tableName);
    this.keys = new AgentApiKeys(client, tableName);
    this.index = new RecordIndexItems(tableName);
    this.companions = new AccountCompanionItems(tableName, this.index);
  }

  async findApiKeyHolder(apiKeyHash: string): Promise<ApiKeyHolder | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: apiKeyKey(apiKeyHash), ConsistentRead: true }),
    );
    if (!Item) return undefined;
    const item = Item as ApiKeyItem;
    return {
      accountId: item.account_id,
      agentId: item.agent_id,
      keyId: apiKeyIdOf(apiKeyHash),
      ...(item.rate_limit_per_minute !== undefined && { rateLimitPerMinute: item.rate_limit_per_minute }),
      ...(item.expires_at !== undefined && { expiresAt: item.expires_at }),
      ...(item.read_only && { readOnly: true }),
      ...(item.integration && { integration: true }),
    };
  }

  async getAccount(accountId: string): Promise<Account | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: accountKey(accountId), ConsistentRead: true }),
    );
    return Item ? accountFromItem(Item as AccountItem) : undefined;
  }

  async createAccount(
    account: Account,
    owner: NewRecord,
    key: ApiKeyGrant,
    audit?: AuditEntry,
  ): Promise<void> {
    const accountItem = accountToItem(account);
    // The owner's e-mail claim is keyed: the account's lookup key is made here, on its first use.
    const hasher = await lookupHasherFor(this.lookupKeys, account.id);
    const { fields } = await this.sealer.seal(owner.record);
    await transactRecords(
      this.client,
      [
        {
          Put: {
            TableName: this.tableName,
            Item: { ...accountKey(account.id), type: 'account', ...accountItem },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        ...this.index.creation(owner.record, owner.audit, hasher, { fields }),
        ...this.keys.issuance(key, account.createdAt, 'created-alongside'),
        this.companions.directoryEntry(account),
        ...(audit ? this.companions.audit(account, audit) : []),
      ],
      'The account, its owner or the API key exists already.',
    );
  }

  addApiKey(key: ApiKeyGrant): Promise<void> {
    return this.keys.issue(key, new Date().toISOString());
  }

  revokeApiKeysOf(accountId: string, agentId: number): Promise<number> {
    return this.keys.revokeAll(accountId, agentId);
  }

  noteApiKeyUsed(apiKeyHash: string, day: string): Promise<void> {
    return this.keys.noteUsed(apiKeyHash, day);
  }
}
