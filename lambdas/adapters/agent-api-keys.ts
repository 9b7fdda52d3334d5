import { randomUUID } from 'node:crypto';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { ApiKeyGrant } from '#domain/account';
import { TooManyApiKeysError, maxApiKeysPerAgent } from '#domain/api-key';
import { ConflictError, NotFoundError } from '#domain/errors';
import { apiKeyKey, apiKeyRingKey } from './keys.ts';
import { RECORD_SK, recordPk } from './record-keys.ts';
import { type TransactItem, transactRecords } from './record-items.ts';

/** An agent's key ring as stored: the hashes of the keys they hold, and a revision that changes on each issue. */
interface ApiKeyRingItem {
  key_hashes?: Set<string>;
  revision: string;
}

/** What revoking an agent's keys writes, and how many keys it revokes. */
export interface ApiKeyRevocation {
  readonly items: TransactItem[];
  readonly revoked: number;
}

/**
 * API keys indexed by the agent who holds them (docs/access-patterns.md). Beside each key item
 * (`APIKEY#<hash>`, found by the secret's hash) the agent's own partition holds one key ring
 * (`A#<account>#agent#<id>`, `APIKEYS`): the hashes of every key the agent holds and a random revision.
 *
 * Issuing a key writes the key item and adds its hash to the ring in one transaction, only while the
 * agent's profile is live and the ring holds fewer than `maxApiKeysPerAgent` hashes. Revoking reads the
 * ring and, in the transaction it is given to (e.g. the one deleting the profile), deletes the ring and
 * every key item it names on condition that the revision is still the one read: a key issued in
 * between changes the revision and cancels the transaction instead of surviving it.
 */
export class AgentApiKeys {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * The items issuing `key`: the key item (its hash must be new), the hash added to the agent's ring,
   * and a check that the agent's profile is live, unless the same transaction writes the profile.
   */
  issuance(key: ApiKeyGrant, createdAt: string, profile: 'check' | 'created-alongside'): TransactItem[] {
    const { accountId, agentId } = key;
    const check: TransactItem = {
      ConditionCheck: {
        TableName: this.tableName,
        Key: { pk: recordPk(accountId, { type: 'agent', id: agentId }), sk: RECORD_SK },
        ConditionExpression:
          'attribute_exists(pk) AND attribute_not_exists(deleted_at) AND attribute_not_exists(superseded_by)',
      },
    };
    return [
      ...(profile === 'check' ? [check] : []),
      {
        Update: {
          TableName: this.tableName,
          Key: apiKeyRingKey(accountId, agentId),
          UpdateExpression:
            'ADD key_hashes :hash SET revision = :revision, item_type = :type, account_id = :account, agent_id = :agent',
          ConditionExpression: 'attribute_not_exists(key_hashes) OR size(key_hashes) < :max',
          ExpressionAttributeValues: {
            ':hash': new Set([key.apiKeyHash]),
            ':revision': randomUUID(),
            ':type': 'api_key_ring',
            ':account': accountId,
            ':agent': agentId,
            ':max': maxApiKeysPerAgent,
          },
        },
      },
      {
        Put: {
          TableName: this.tableName,
          Item: {
            ...apiKeyKey(key.apiKeyHash),
            type: 'api_key',
            account_id: accountId,
            agent_id: agentId,
            ...(key.rateLimitPerMinute !== undefined && { rate_limit_per_minute: key.rateLimitPerMinute }),
            ...(key.integration && { integration: true }),
            created_at: createdAt,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    ];
  }

  /** Issues `key` to a live agent on its own; the refusals are named after the item that refused it. */
  async issue(key: ApiKeyGrant, createdAt: string): Promise<void> {
    try {
      const items = this.issuance(key, createdAt, 'check');
      await this.client.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      // In the order `issuance` writes them: profile check, ring, key item.
      const [profile, ring, item] = (error.CancellationReasons ?? []).map(
        (reason) => reason.Code === 'ConditionalCheckFailed',
      );
      if (profile)
        throw new NotFoundError('The agent does not exist or is deleted; only a live agent holds keys.');
      if (ring) throw new TooManyApiKeysError();
      if (item) throw new ConflictError('This API key exists already.');
      throw error;
    }
  }

  /** Revokes every key the agent holds in one transaction of its own; answers how many. */
  async revokeAll(accountId: string, agentId: number): Promise<number> {
    const revocation = await this.revocation(accountId, agentId);
    if (revocation.revoked === 0) return 0;
    await transactRecords(
      this.client,
      revocation.items,
      'A key was issued to the agent while their keys were being revoked; revoke again.',
    );
    return revocation.revoked;
  }

  /**
   * The items revoking every key the agent holds, read now (strongly consistent): the ring deleted on
   * condition of its revision, and each key item it names. For an agent holding no key, a check that
   * the ring is still absent. At most `maxApiKeysPerAgent` + 1 items.
   */
  async revocation(accountId: string, agentId: number): Promise<ApiKeyRevocation> {
    const Key = apiKeyRingKey(accountId, agentId);
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key, ConsistentRead: true }),
    );
    if (!Item) {
      return {
        items: [
          {
            ConditionCheck: {
              TableName: this.tableName,
              Key,
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        ],
        revoked: 0,
      };
    }
    const ring = Item as ApiKeyRingItem;
    const hashes = [...(ring.key_hashes ?? [])];
    return {
      items: [
        {
          Delete: {
            TableName: this.tableName,
            Key,
            ConditionExpression: 'revision = :revision',
            ExpressionAttributeValues: { ':revision': ring.revision },
          },
        },
        ...hashes.map((hash) => ({ Delete: { TableName: this.tableName, Key: apiKeyKey(hash) } })),
      ],
      revoked: hashes.length,
    };
  }
}
