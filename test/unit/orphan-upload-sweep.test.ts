import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { DynamoPendingUploads } from '../../lambdas/adapters/dynamo-pending-uploads.ts';
import { DynamoRecordStore } from '../../lambdas/adapters/dynamo-record-store.ts';
import { S3ObjectStore } from '../../lambdas/adapters/s3-object-store.ts';
import { OrphanUploadSweep } from '../../lambdas/domain/attachments/orphan-upload-sweep.ts';

/**
 * What the sweep asks of S3 on AWS, where the attachments bucket is versioned (s3rver has no
 * versioning): a plain DeleteObject, no version id, so the orphan's bytes become a noncurrent version
 * that the bucket's `expire-noncurrent` rule removes a day later (asserted on the templates), and no
 * "delete cannot lose data" promise is bypassed.
 */
const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-central-1' }));
const s3Client = new S3Client({ region: 'eu-central-1' });
const dynamo = mockClient(documentClient);
const s3 = mockClient(s3Client);
afterEach(() => {
  dynamo.reset();
  s3.reset();
});

const key = 'accounts/0f8fad5b-d9cb-469f-a165-70867728950e/tickets/1/attachments/77';

describe('the orphan upload sweep on AWS', () => {
  it('removes an orphan with a DeleteObject of its key only (a delete marker), then forgets the upload', async () => {
    // Prepare
    dynamo.on(QueryCommand).resolves({
      Items: [
        {
          account_id: '0f8fad5b-d9cb-469f-a165-70867728950e',
          objects: [{ id: 77, key }],
          due_at: '2026-03-02T10:00:00.000Z',
        },
      ],
    });
    dynamo.on(GetCommand).resolves({});
    s3.on(HeadObjectCommand).resolves({ ContentLength: 4 });
    const sweep = new OrphanUploadSweep({
      uploads: new DynamoPendingUploads(documentClient, 'table'),
      store: new DynamoRecordStore(documentClient, 'table'),
      objects: new S3ObjectStore(s3Client),
      bucket: 'attachments',
      now: () => new Date('2026-03-02T10:00:00.000Z'),
    });

    // Act
    const result = await sweep.sweep();

    // Assess
    expect(result).toEqual({ settled: 1, removed: 1 });
    const deletes = s3.commandCalls(DeleteObjectCommand).map((call) => call.args[0].input);
    expect(deletes).toEqual([{ Bucket: 'attachments', Key: key }]);
    expect(dynamo).toHaveReceivedCommandWith(QueryCommand, {
      IndexName: 'gsi4',
      ExpressionAttributeValues: {
        ':kind': 'DEADLINE#attachment-upload',
        ':before': '2026-03-02T10:00:00.000Z~',
      },
    });
    expect(dynamo).toHaveReceivedCommandWith(DeleteCommand, {
      Key: { pk: 'A#0f8fad5b-d9cb-469f-a165-70867728950e#PENDING_UPLOAD#77', sk: 'PENDING_UPLOAD' },
    });
  });
});
