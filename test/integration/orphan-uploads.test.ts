import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DynamoPendingUploads } from '../../lambdas/adapters/dynamo-pending-uploads.ts';
import { DynamoRecordStore } from '../../lambdas/adapters/dynamo-record-store.ts';
import { localLookupKeys, localSealer } from '../../local/local-document-client.ts';
import { RECORD_SK, recordPk } from '../../lambdas/adapters/record-keys.ts';
import { S3ObjectStore } from '../../lambdas/adapters/s3-object-store.ts';
import type { Principal } from '../../lambdas/domain/account.ts';
import { AttachmentService } from '../../lambdas/domain/attachments/attachment-service.ts';
import { OrphanUploadSweep } from '../../lambdas/domain/attachments/orphan-upload-sweep.ts';
import { orphanUploadHours } from '../../lambdas/domain/attachments/pending-uploads.ts';
import { ConflictError } from '../../lambdas/domain/errors.ts';
import type { StoredRecord } from '../../lambdas/domain/records/record.ts';
import { createTable } from '../../local/bootstrap.ts';
import { localCredentials, localSigningRegion } from '../../local/local-credentials.ts';
import { emulatorDocumentClient, emulatorS3Client } from './emulator-clients.ts';

/**
 * Attachment objects no record keeps, on DynamoDB Local and the S3 emulator: the bytes of a request
 * whose record transaction failed, a presigned upload of another size, or one that arrived after its
 * record went. A table and bucket of this test's own, so its sweep sees no other test's uploads.
 */
const platform = inject('localPlatform');
const tableName = `orphan-sweep-${randomUUID()}`;
const bucket = `orphan-sweep-${randomUUID()}`;
const dynamo = new DynamoDBClient({
  endpoint: platform.emulators.dynamodb,
  region: localSigningRegion,
  credentials: localCredentials,
});
const client = emulatorDocumentClient(platform);
const s3 = emulatorS3Client(platform);
// This test's own table has no region: records are keyed and sealed with the EEA's keys.
const store = new DynamoRecordStore(client, tableName, {
  lookupKeys: localLookupKeys('eea', platform.emulators, client),
  sealer: localSealer('eea', platform.emulators, client),
});
const objects = new S3ObjectStore(s3);
const uploads = new DynamoPendingUploads(client, tableName);
const start = new Date('2026-03-01T10:00:00.000Z');
let now = start;
let nextId = 5000;
const attachments = new AttachmentService({
  store,
  now: () => now,
  newId: () => nextId++,
  objects,
  bucket,
  uploads,
});
const sweep = new OrphanUploadSweep({ uploads, store, objects, bucket, now: () => now });
const hours = (count: number) => new Date(start.getTime() + count * 3_600_000);

beforeAll(async () => {
  await createTable(dynamo, tableName);
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
});
afterAll(() => {
  dynamo.destroy();
  client.destroy();
  s3.destroy();
});

const principal = (): Principal => ({ accountId: randomUUID(), agentId: 1, role: 'admin' });
const ownerOf = (ticketId: number) => ({
  ticketId,
  conversationId: null,
  requesterId: 7,
  author: { kind: 'agent', id: 1 } as const,
});
const file = (text: string) => ({ name: 'notes.txt', contentType: 'text/plain', bytes: Buffer.from(text) });
const stored = (key: string) => objects.sizeOf(bucket, key);

/** A ticket record of the account, so a transaction creating it again fails as a real one can. */
function ticket(accountId: string, id: number): StoredRecord {
  const at = start.toISOString();
  return {
    accountId,
    ref: { type: 'ticket', id },
    version: 1,
    createdAt: at,
    updatedAt: at,
    fields: {},
    subjects: [],
  };
}
const audit = (record: StoredRecord) => ({
  at: record.createdAt,
  actor: { type: 'agent', id: '1' } as const,
  operation: 'create' as const,
  record: record.ref,
  changedFields: [],
});

describe('attachment objects no record keeps', () => {
  it('are removed once due when the record transaction failed; objects of committed records stay', async () => {
    // Prepare
    now = start;
    const caller = principal();
    const existing = ticket(caller.accountId, 1);
    await store.create(existing, audit(existing));
    const failed = await attachments.store(caller, ownerOf(1), [file('lost'), file('lost too')]);
    const commitFailure = await store
      .commit([
        { create: existing, audit: audit(existing) },
        ...failed.entries.map((e) => ({ create: e.record, audit: e.audit })),
      ])
      .catch((error: unknown) => error);
    const kept = await attachments.store(caller, ownerOf(1), [file('kept')]);
    await store.createTogether(kept.entries);
    const [orphanA, orphanB] = failed.records.map((record) => record.fields.object_key);
    const keptKey = kept.records[0]?.fields.object_key ?? '';

    // Act
    now = hours(orphanUploadHours - 1);
    const early = await sweep.sweep();
    const beforeDue = await Promise.all([orphanA, orphanB, keptKey].map((key) => stored(key ?? '')));
    now = hours(orphanUploadHours);
    const due = await sweep.sweep();
    const again = await sweep.sweep();

    // Assess
    expect(commitFailure).toBeInstanceOf(ConflictError);
    expect(early).toEqual({ settled: 0, removed: 0 });
    expect(beforeDue).toEqual([4, 8, 4]);
    expect(due).toEqual({ settled: 2, removed: 2 });
    expect(await stored(orphanA ?? '')).toBeUndefined();
    expect(await stored(orphanB ?? '')).toBeUndefined();
    expect(await stored(keptKey)).toBe(4);
    expect(again).toEqual({ settled: 0, removed: 0 });
  });

  it('are removed for presigned uploads of another size or whose record went first; the announced size stays', async () => {
    // Prepare
    now = start;
    const caller = principal();
    const announce = (size: number) =>
      attachments.presign(caller, ownerOf(2), {
        name: 'big.bin',
        content_type: 'application/octet-stream',
        size,
      });
    const [matching, wrongSize, recordGone, neverArrived] = await Promise.all([
      announce(3),
      announce(3),
      announce(3),
      announce(3),
    ]);
    const keyOf = (presigned: typeof matching) => presigned.record.fields.object_key;
    // What the clients PUT through their URLs (the emulator does not check the size: see docs/aws-behaviours.md).
    await objects.put(bucket, keyOf(matching), Buffer.from('abc'), 'application/octet-stream');
    await objects.put(bucket, keyOf(wrongSize), Buffer.from('abcdef'), 'application/octet-stream');
    // The record goes (as an erasure removes it) before its upload arrives.
    await client.send(
      new DeleteCommand({
        TableName: tableName,
        Key: { pk: recordPk(caller.accountId, recordGone.record.ref), sk: RECORD_SK },
      }),
    );
    await objects.put(bucket, keyOf(recordGone), Buffer.from('abc'), 'application/octet-stream');

    // Act
    now = hours(orphanUploadHours);
    const result = await sweep.sweep();

    // Assess
    expect(result).toEqual({ settled: 4, removed: 2 });
    expect(await stored(keyOf(matching))).toBe(3);
    expect(await stored(keyOf(wrongSize))).toBeUndefined();
    expect(await stored(keyOf(recordGone))).toBeUndefined();
    expect(await stored(keyOf(neverArrived))).toBeUndefined();
  });
});
