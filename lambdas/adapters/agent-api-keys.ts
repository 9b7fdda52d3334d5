import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { ApiKeyGrant } from '#domain/account';
import { TooManyApiKeysError, apiKeyIdOf, maxApiKeysPerAgent } from '#domain/api-key';
import type { ApiKeyInfo } from '#domain/api-keys/api-key-store';
import { DynamoBatches } from './dynamo-batches.ts';
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
  private readonly batches: DynamoBatches;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    this.batches = new DynamoBatches(client, tableName, 1);
  }

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
            ...(key.prefix !== undefined && { prefix: key.prefix }),
            ...(key.expiresAt !== undefined && { expires_at: key.expiresAt }),
            ...(key.readOnly && { read_only: true }),
            ...(key.integration && { integration: true }),
            created_at: createdAt,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    ];
  }

  /**
   * Issues `key` to a live agent, with `alongside` (e.g. its audit entry) in the same transaction; the
   * refusals are named after the item that refused it.
   */
  async issue(key: ApiKeyGrant, createdAt: string, alongside: TransactItem[] = []): Promise<void> {
    try {
      const items = [...this.issuance(key, createdAt, 'check'), ...alongside];
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
      if (error.CancellationReasons?.some((reason) => reason.Code === 'ConditionalCheckFailed')) {
        throw new ConflictError("The agent's API keys changed at the same instant; try again.");
      }
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
    return this.revocationOf(accountId, agentId, await this.ringOf(accountId, agentId));
  }

  private revocationOf(
    accountId: string,
    agentId: number,
    Item: ApiKeyRingItem | undefined,
  ): ApiKeyRevocation {
    const Key = apiKeyRingKey(accountId, agentId);
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

  /**
   * The revocation of every key the agent holds (see `revocation`), with the exact items it deletes
   * (the ring, then each key item it names) for a trash to keep and a restore to put back.
   */
  async trashing(
    accountId: string,
    agentId: number,
  ): Promise<{ items: TransactItem[]; kept: Record<string, unknown>[] }> {
    const ring = await this.ringOf(accountId, agentId);
    const revocation = this.revocationOf(accountId, agentId, ring);
    if (!ring) return { items: revocation.items, kept: [] };
    const keyItems = await this.batches.get([...(ring.key_hashes ?? [])].map(apiKeyKey));
    return { items: revocation.items, kept: [ring as unknown as Record<string, unknown>, ...keyItems] };
  }

  /** The keys the agent holds, as their ring names them (strongly consistent), oldest first. */
  async keysOf(accountId: string, agentId: number): Promise<ApiKeyInfo[]> {
    const ring = await this.ringOf(accountId, agentId);
    const hashes = [...(ring?.key_hashes ?? [])];
    if (hashes.length === 0) return [];
    const items = new Map(
      (await this.batches.get(hashes.map(apiKeyKey))).map((item) => [
        item.pk,
        item as unknown as ApiKeyInfoItem,
      ]),
    );
    return hashes
      .flatMap((hash) => {
        const item = items.get(apiKeyKey(hash).pk);
        return item ? [keyInfoOf(hash, item)] : [];
      })
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.keyId - b.keyId);
  }

  /**
   * Revokes one key of the agent: deletes its item and takes its hash off the ring (a new revision) in
   * one transaction, on condition that the ring still holds it. False when the agent holds no such key.
   */
  async revoke(
    accountId: string,
    agentId: number,
    keyId: number,
    alongside: TransactItem[] = [],
  ): Promise<boolean> {
    const ring = await this.ringOf(accountId, agentId);
    const hash = [...(ring?.key_hashes ?? [])].find((candidate) => apiKeyIdOf(candidate) === keyId);
    if (!hash) return false;
    await transactRecords(
      this.client,
      [
        {
          Update: {
            TableName: this.tableName,
            Key: apiKeyRingKey(accountId, agentId),
            UpdateExpression: 'DELETE key_hashes :hash SET revision = :revision',
            ConditionExpression: 'contains(key_hashes, :held)',
            ExpressionAttributeValues: { ':hash': new Set([hash]), ':held': hash, ':revision': randomUUID() },
          },
        },
        { Delete: { TableName: this.tableName, Key: apiKeyKey(hash) } },
        ...alongside,
      ],
      'The API key was revoked meanwhile.',
    );
    return true;
  }

  /** Sets the key's last-used day unless it names that day (or a later one) already, or is revoked. */
  async noteUsed(apiKeyHash: string, day: string): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: apiKeyKey(apiKeyHash),
          UpdateExpression: 'SET last_used_on = :day',
          ConditionExpression:
            'attribute_exists(pk) AND (attribute_not_exists(last_used_on) OR last_used_on < :day)',
          ExpressionAttributeValues: { ':day': day },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  private async ringOf(accountId: string, agentId: number): Promise<ApiKeyRingItem | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: apiKeyRingKey(accountId, agentId),
        ConsistentRead: true,
      }),
    );
    return Item as ApiKeyRingItem | undefined;
  }
}

/** A key item as stored (see `issuance`); keys issued before prefixes and options lack them. */
interface ApiKeyInfoItem {
  pk: string;
  created_at: string;
  prefix?: string;
  last_used_on?: string;
  expires_at?: string;
  read_only?: boolean;
  integration?: boolean;
}

function keyInfoOf(hash: string, item: ApiKeyInfoItem): ApiKeyInfo {
  return {
    keyId: apiKeyIdOf(hash),
    createdAt: item.created_at,
    ...(item.prefix !== undefined && { prefix: item.prefix }),
    ...(item.last_used_on !== undefined && { lastUsedOn: item.last_used_on }),
    ...(item.expires_at !== undefined && { expiresAt: item.expires_at }),
    ...(item.read_only && { readOnly: true }),
    ...(item.integration && { integration: true }),
  };
}
