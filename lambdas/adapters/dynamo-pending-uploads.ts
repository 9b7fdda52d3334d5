import { DeleteCommand, type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { PendingUpload, PendingUploads, UploadedObject } from '#domain/attachments/pending-uploads';
import { dueItems } from './deadline-index.ts';
import { deadlinePk } from './record-keys.ts';

/** The region-wide deadline kind (gsi4) of pending uploads. */
const deadlineKind = 'attachment-upload';

/** One item per pending upload, named by its account and first attachment id (ids only). */
const uploadKey = (upload: PendingUpload) => ({
  pk: `A#${upload.accountId}#PENDING_UPLOAD#${upload.objects[0]?.attachmentId}`,
  sk: 'PENDING_UPLOAD',
});

/**
 * Pending uploads in the region's table, found when due by a Query of the deadlines index (gsi4,
 * `DEADLINE#attachment-upload`, sorted by due time): the index holds only uploads not yet swept, one
 * item per request that stored files.
 */
export class DynamoPendingUploads implements PendingUploads {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async expect(upload: PendingUpload): Promise<void> {
    const key = uploadKey(upload);
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...key,
          type: 'pending_upload',
          account_id: upload.accountId,
          objects: upload.objects.map((object) => ({ id: object.attachmentId, key: object.objectKey })),
          due_at: upload.dueAt,
          gsi4pk: deadlinePk(deadlineKind),
          gsi4sk: `${upload.dueAt}#${key.pk}`,
        },
      }),
    );
  }

  async due(before: string, limit: number): Promise<PendingUpload[]> {
    const items = await dueItems(this.client, this.tableName, deadlineKind, before, limit);
    return items.map((item) => ({
      accountId: String(item.account_id),
      objects: (item.objects as { id: number; key: string }[]).map((object): UploadedObject => ({
        attachmentId: object.id,
        objectKey: object.key,
      })),
      dueAt: String(item.due_at),
    }));
  }

  async settle(upload: PendingUpload): Promise<void> {
    await this.client.send(new DeleteCommand({ TableName: this.tableName, Key: uploadKey(upload) }));
  }
}
