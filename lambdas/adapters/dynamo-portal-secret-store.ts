import { randomBytes } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { PortalSecretStore } from '#domain/contacts/portal-token';
import { portalSecretKey } from './keys.ts';

/**
 * Portal-token secrets in the region's table (encrypted at rest with the region's key), one random
 * secret per account, created by the first token issued; a container remembers the ones it read.
 */
export class DynamoPortalSecretStore implements PortalSecretStore {
  private readonly known = new Map<string, Buffer>();

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async secretOf(accountId: string, options: { create?: boolean } = {}): Promise<Buffer | undefined> {
    const secret = this.known.get(accountId) ?? (await this.read(accountId));
    if (secret || !options.create) return secret;
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...portalSecretKey(accountId),
            type: 'portal_secret',
            secret: randomBytes(32).toString('base64'),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      // Another request created it first: theirs is the one.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    return this.read(accountId);
  }

  private async read(accountId: string): Promise<Buffer | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: portalSecretKey(accountId), ConsistentRead: true }),
    );
    if (typeof Item?.secret !== 'string') return undefined;
    const secret = Buffer.from(Item.secret, 'base64');
    if (this.known.size >= 1000) this.known.clear();
    this.known.set(accountId, secret);
    return secret;
  }
}
