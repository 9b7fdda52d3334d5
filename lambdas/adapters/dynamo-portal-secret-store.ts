import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { PortalSecretVault } from '#domain/contacts/portal-secrets';
import type { PortalSecret } from '#domain/contacts/portal-token';
import { ConflictError } from '#domain/errors';
import type { AuditEntry } from '#domain/records/record';
import { portalSecretEncryptionContext } from '#lib/platform/portal-secret-encryption';
import { portalSecretKey } from './keys.ts';
import type { KmsSecretCipher } from './kms-secret-cipher.ts';
import { RecordIndexItems, transactRecords } from './record-items.ts';

/**
 * Portal-token secrets in the region's table, one item per account holding the current generation
 * encrypted with the region's data key (KMS, context `{purpose, account}`): a read of the table (a
 * backup, a PITR export) alone never yields a secret. An item from before encryption (a plaintext
 * `secret` attribute) counts as no secret: it is never used again, and the next token issued or
 * rotation replaces it.
 */
export class DynamoPortalSecretStore implements PortalSecretVault {
  private readonly index: RecordIndexItems;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly cipher: KmsSecretCipher,
  ) {
    this.index = new RecordIndexItems(tableName);
  }

  async read(accountId: string): Promise<PortalSecret | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: portalSecretKey(accountId), ConsistentRead: true }),
    );
    if (!(Item?.secret_ciphertext instanceof Uint8Array) || typeof Item.generation !== 'number') {
      return undefined;
    }
    return {
      value: await this.cipher.decrypt(Item.secret_ciphertext, portalSecretEncryptionContext(accountId)),
      generation: Item.generation,
      createdAt: String(Item.created_at),
    };
  }

  async replace(
    accountId: string,
    previous: PortalSecret | undefined,
    next: PortalSecret,
    audit: AuditEntry,
  ): Promise<boolean> {
    const ciphertext = await this.cipher.encrypt(next.value, portalSecretEncryptionContext(accountId));
    try {
      await transactRecords(
        this.client,
        [
          {
            Put: {
              TableName: this.tableName,
              Item: {
                ...portalSecretKey(accountId),
                type: 'portal_secret',
                secret_ciphertext: ciphertext,
                generation: next.generation,
                created_at: next.createdAt,
              },
              ...(previous
                ? {
                    ConditionExpression: 'generation = :previous',
                    ExpressionAttributeValues: { ':previous': previous.generation },
                  }
                : { ConditionExpression: 'attribute_not_exists(secret_ciphertext)' }),
            },
          },
          this.index.putAudit({ accountId, ref: audit.record, version: next.generation }, audit),
        ],
        'The portal-token secret changed meanwhile.',
      );
      return true;
    } catch (error) {
      if (error instanceof ConflictError) return false;
      throw error;
    }
  }
}
