import { DecryptCommand, GenerateDataKeyCommand, type KMSClient } from '@aws-sdk/client-kms';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { type LookupKeys, lookupKeyBytes } from '#domain/encryption/lookup-hasher';
import { hostingRegions } from '#lib/residency/index';
import { lookupKeyEncryptionContext } from '#lib/platform/lookup-key-encryption';
import { keyAlias, regionOfTable } from '#lib/platform/names';
import { kmsBeside } from './aws-clients.ts';
import { perClientAndTable } from './per-client-and-table.ts';
import { LOOKUP_KEY_SK, lookupKeyPk } from './record-keys.ts';

/** The encryption context of every account's wrapped lookup key: it decrypts for that account only. */
const lookupKeyContext = lookupKeyEncryptionContext;

/** How many accounts' keys a container keeps decrypted (least recently used leave first). */
export const lookupKeyCacheSize = 1_000;

/**
 * Accounts' lookup keys (docs/encryption.md, "Keyed lookups"): 32 random bytes per account from KMS
 * `GenerateDataKey` under the region's data key, stored only wrapped on an account-level item of the
 * records table (backed up with the records it makes findable), created on first use by a conditional
 * put (concurrent creators converge on the first one stored), decrypted once per container and cached.
 */
export class KmsLookupKeys implements LookupKeys {
  private readonly cache = new Map<string, Promise<Uint8Array>>();

  constructor(
    private readonly kms: KMSClient,
    /** The region's data key: its ARN on AWS, its alias locally. */
    private readonly keyId: string,
    private readonly dynamo: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly cacheSize = lookupKeyCacheSize,
  ) {}

  keyFor(accountId: string): Promise<Uint8Array> {
    const cached = this.cache.get(accountId);
    if (cached) {
      this.cache.delete(accountId);
      this.cache.set(accountId, cached);
      return cached;
    }
    const loading = this.load(accountId);
    this.cache.set(accountId, loading);
    // A failed load is not kept: the next call tries again.
    loading.catch(() => this.cache.delete(accountId));
    while (this.cache.size > this.cacheSize) this.cache.delete(this.cache.keys().next().value as string);
    return loading;
  }

  private async load(accountId: string): Promise<Uint8Array> {
    const wrapped = (await this.stored(accountId)) ?? (await this.create(accountId));
    const { Plaintext } = await this.kms.send(
      new DecryptCommand({ CiphertextBlob: wrapped, EncryptionContext: lookupKeyContext(accountId) }),
    );
    if (Plaintext?.length !== lookupKeyBytes) throw new Error('KMS answered no lookup key');
    return Plaintext;
  }

  private async stored(accountId: string): Promise<Uint8Array | undefined> {
    const { Item } = await this.dynamo.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { pk: lookupKeyPk(accountId), sk: LOOKUP_KEY_SK },
        ConsistentRead: true,
      }),
    );
    return Item?.wrapped_key as Uint8Array | undefined;
  }

  /** A new key, stored wrapped unless another container stored one first (then that one). */
  private async create(accountId: string): Promise<Uint8Array> {
    const { CiphertextBlob } = await this.kms.send(
      new GenerateDataKeyCommand({
        KeyId: this.keyId,
        KeySpec: 'AES_256',
        EncryptionContext: lookupKeyContext(accountId),
      }),
    );
    if (!CiphertextBlob) throw new Error('KMS answered no wrapped key');
    try {
      await this.dynamo.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            pk: lookupKeyPk(accountId),
            sk: LOOKUP_KEY_SK,
            item_type: 'lookup_key',
            wrapped_key: CiphertextBlob,
            key_version: 1,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return CiphertextBlob;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const winner = await this.stored(accountId);
      if (!winner) throw error;
      return winner;
    }
  }
}

/** One instance (and so one key cache) per client, table and container. */
const sharedLookupKeys = perClientAndTable((dynamo, tableName) => {
  // The region's data key by its alias (`alias/helpdesk-<region>-data`), in the table's region.
  const region = regionOfTable(tableName);
  const kms = kmsBeside(dynamo, hostingRegions[region].awsRegion);
  return new KmsLookupKeys(kms, keyAlias(region, 'data'), dynamo, tableName);
});

/**
 * The lookup keys of a records table: one instance (and so one key cache) per client, table and
 * container, made on the first key asked for.
 */
export function lookupKeysOf(dynamo: DynamoDBDocumentClient, tableName: string): LookupKeys {
  return { keyFor: async (accountId) => sharedLookupKeys(dynamo, tableName).keyFor(accountId) };
}
