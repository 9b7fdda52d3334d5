import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Account, AccountStore, ApiKeyGrant, ApiKeyHolder, NewRecord } from '#domain/account';
import { AgentApiKeys } from './agent-api-keys.ts';
import { accountKey, apiKeyKey } from './keys.ts';
import { RecordIndexItems, transactRecords } from './record-items.ts';

interface AccountItem {
  account_id: string;
  name: string;
  home_region: Account['homeRegion'];
  products: Account['products'];
  created_at: string;
}

/** A key item; keys issued before the agent index also carry a `role`, which is never read. */
interface ApiKeyItem {
  account_id: string;
  agent_id: number;
  rate_limit_per_minute?: number;
  integration?: boolean;
}

export class DynamoAccountStore implements AccountStore {
  private readonly keys: AgentApiKeys;
  private readonly index: RecordIndexItems;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    this.keys = new AgentApiKeys(client, tableName);
    this.index = new RecordIndexItems(tableName);
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
      ...(item.rate_limit_per_minute !== undefined && { rateLimitPerMinute: item.rate_limit_per_minute }),
      ...(item.integration === true && { integration: true }),
    };
  }

  async getAccount(accountId: string): Promise<Account | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: accountKey(accountId) }),
    );
    if (!Item) return undefined;
    const item = Item as AccountItem;
    return {
      id: item.account_id,
      name: item.name,
      homeRegion: item.home_region,
      products: item.products,
      createdAt: item.created_at,
    };
  }

  async createAccount(account: Account, owner: NewRecord, key: ApiKeyGrant): Promise<void> {
    const accountItem: AccountItem = {
      account_id: account.id,
      name: account.name,
      home_region: account.homeRegion,
      products: account.products,
      created_at: account.createdAt,
    };
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
        ...this.index.creation(owner.record, owner.audit),
        ...this.keys.issuance(key, account.createdAt, 'created-alongside'),
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
}
