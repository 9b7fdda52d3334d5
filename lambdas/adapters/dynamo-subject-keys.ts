import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { StoredSubjectKey, WrappedKeyStore } from '#domain/encryption/wrapped-key-store';
import type { SubjectRef } from '#domain/records/record';
import { subjectKeyPk, subjectKeyTableDesign as design } from '#lib/platform/subject-key-table-design';

/**
 * Subjects' wrapped keys in the region's subject-key table, one item per subject: the key (binary,
 * wrapped by KMS) and when it was made, or, once destroyed, a tombstone with `destroyed_at` and no key
 * material. A subject's first key is put only where no item exists, so a tombstone is never replaced
 * by a new key and two creators end up with one key.
 */
export class DynamoSubjectKeys implements WrappedKeyStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async read(accountId: string, subject: SubjectRef): Promise<StoredSubjectKey | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: key(accountId, subject), ConsistentRead: true }),
    );
    if (!Item) return undefined;
    if (typeof Item[design.destroyedAtAttribute] === 'string') {
      return { state: 'destroyed', destroyedAt: Item[design.destroyedAtAttribute] as string };
    }
    const wrapped: unknown = Item[design.wrappedKeyAttribute];
    if (!(wrapped instanceof Uint8Array)) throw new Error('A subject-key item holds no wrapped key');
    return { state: 'active', wrapped, createdAt: String(Item[design.createdAtAttribute]) };
  }

  async create(
    accountId: string,
    subject: SubjectRef,
    wrapped: Uint8Array,
    createdAt: string,
  ): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...key(accountId, subject),
            [design.wrappedKeyAttribute]: wrapped,
            [design.createdAtAttribute]: createdAt,
          },
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': design.partitionKey },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async destroy(accountId: string, subject: SubjectRef, at: string): Promise<{ destroyedAt: string }> {
    // The key material goes; the first destroy's time stays (if_not_exists), so a repeat changes nothing.
    const { Attributes } = await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: key(accountId, subject),
        UpdateExpression: 'SET #destroyed = if_not_exists(#destroyed, :at) REMOVE #wrapped',
        ExpressionAttributeNames: {
          '#destroyed': design.destroyedAtAttribute,
          '#wrapped': design.wrappedKeyAttribute,
        },
        ExpressionAttributeValues: { ':at': at },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return { destroyedAt: String(Attributes?.[design.destroyedAtAttribute]) };
  }
}

const key = (accountId: string, subject: SubjectRef) => ({
  [design.partitionKey]: subjectKeyPk(accountId, subject),
});
