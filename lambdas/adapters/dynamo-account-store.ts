import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Account, AccountStore, Principal } from '#domain/account';
import { accountKey, apiKeyKey } from './keys.ts';

interface AccountItem {
  account_id: string;
  name: string;
  home_region: Account['homeRegion'];
  products: Account['products'];
  created_at: string;
}

interface ApiKeyItem {
  account_id: string;
  agent_id: number;
  role: Principal['role'];
  rate_limit_per_minute?: number;
}

export class DynamoAccountStore implements AccountStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async findPrincipalByApiKeyHash(apiKeyHash: string): Promise<Principal | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: apiKeyKey(apiKeyHash), ConsistentRead: true }),
    );
    if (!Item) return undefined;
    const item = Item as ApiKeyItem;
    return {
      accountId: item.account_id,
      agentId: item.agent_id,
      role: item.role,
      rateLimitPerMinute: item.rate_limit_per_minute,
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

  async createAccount(account: Account, apiKeyHash: string, owner: Principal): Promise<void> {
    const accountItem: AccountItem = {
      account_id: account.id,
      name: account.name,
      home_region: account.homeRegion,
      products: account.products,
      created_at: account.createdAt,
    };
    await this.client.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: this.tableName,
              Item: { ...accountKey(account.id), type: 'account', ...accountItem },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Put: {
              TableName: this.tableName,
              Item: apiKeyItem(apiKeyHash, owner, account.createdAt),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        ],
      }),
    );
  }

  async addApiKey(apiKeyHash: string, holder: Principal): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: apiKeyItem(apiKeyHash, holder, new Date().toISOString()),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }
}

/** The stored form of an API key: its hash as the key, the holder's ids and role, never the secret. */
function apiKeyItem(apiKeyHash: string, holder: Principal, createdAt: string) {
  const item: ApiKeyItem = {
    account_id: holder.accountId,
    agent_id: holder.agentId,
    role: holder.role,
    rate_limit_per_minute: holder.rateLimitPerMinute,
  };
  return { ...apiKeyKey(apiKeyHash), type: 'api_key', ...item, created_at: createdAt };
}
