import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  S3Client,
  S3ServiceException,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { S3RecordingMover } from '../../lambdas/adapters/s3-recording-mover.ts';

const stagingClient = new S3Client({ region: 'us-east-1' });
const homeClient = new S3Client({ region: 'eu-central-1' });
const staging = mockClient(stagingClient);
const home = mockClient(homeClient);
afterEach(() => {
  staging.reset();
  home.reset();
});

const key = 'accounts/6eb79ec8-bed9-49be-8269-7438da0ea8dc/calls/42/recording';
const homeKey = 'arn:aws:kms:eu-central-1:111122223333:alias/helpdesk-eea-data';
const mover = (options = {}) =>
  new S3RecordingMover(
    { client: stagingClient, bucket: 'staging' },
    { client: homeClient, bucket: 'home', kmsKeyId: homeKey },
    options,
  );

describe('S3RecordingMover', () => {
  it('deletes every version and delete marker of the staged key, across pages, and nothing of other keys', async () => {
    // Prepare: a versioned bucket with two pages of versions, one of a longer key sharing the prefix.
    staging.on(GetBucketVersioningCommand).resolves({ Status: 'Enabled' });
    staging
      .on(ListObjectVersionsCommand)
      .resolvesOnce({
        Versions: [
          { Key: key, VersionId: 'v3' },
          { Key: `${key}-other`, VersionId: 'x1' },
        ],
        DeleteMarkers: [{ Key: key, VersionId: 'm1' }],
        IsTruncated: true,
        NextKeyMarker: key,
        NextVersionIdMarker: 'm1',
      })
      .resolvesOnce({ Versions: [{ Key: key, VersionId: 'v1' }], IsTruncated: false });
    staging.on(DeleteObjectsCommand).resolves({});

    // Act
    const deleted = await mover().deleteStaged(key);

    // Assess
    expect(deleted).toBe(3);
    expect(staging).toHaveReceivedCommandWith(DeleteObjectsCommand, {
      Bucket: 'staging',
      Delete: {
        Objects: [
          { Key: key, VersionId: 'v3' },
          { Key: key, VersionId: 'm1' },
        ],
        Quiet: true,
      },
    });
    expect(staging).toHaveReceivedCommandWith(DeleteObjectsCommand, {
      Delete: { Objects: [{ Key: key, VersionId: 'v1' }], Quiet: true },
    });
    expect(staging).toHaveReceivedNthCommandWith(ListObjectVersionsCommand, 2, {
      KeyMarker: key,
      VersionIdMarker: 'm1',
    });
    expect(staging).not.toHaveReceivedCommand(DeleteObjectCommand);
  });

  it('fails (to be retried) when S3 could not delete some versions', async () => {
    staging.on(GetBucketVersioningCommand).resolves({ Status: 'Enabled' });
    staging.on(ListObjectVersionsCommand).resolves({ Versions: [{ Key: key, VersionId: 'v1' }] });
    staging
      .on(DeleteObjectsCommand)
      .resolves({ Errors: [{ Key: key, VersionId: 'v1', Code: 'InternalError' }] });

    await expect(mover().deleteStaged(key)).rejects.toThrow(/could not be deleted; retry/);
  });

  it('deletes the one object of a never-versioned bucket', async () => {
    staging.on(GetBucketVersioningCommand).resolves({});
    staging.on(HeadObjectCommand).resolves({ ContentLength: 3 });
    staging.on(DeleteObjectCommand).resolves({});

    expect(await mover().deleteStaged(key)).toBe(1);
    expect(staging).toHaveReceivedCommandWith(DeleteObjectCommand, { Bucket: 'staging', Key: key });
    expect(staging).not.toHaveReceivedCommand(ListObjectVersionsCommand);
  });

  it('copies server-side into the home bucket under the home key', async () => {
    staging.on(HeadObjectCommand).resolves({ ContentLength: 1024, ContentType: 'audio/mpeg' });
    home.on(CopyObjectCommand).resolves({});

    await mover().copyToHome(key);

    expect(home).toHaveReceivedCommandWith(CopyObjectCommand, {
      Bucket: 'home',
      Key: key,
      CopySource: `staging/${key}`,
      ServerSideEncryption: 'aws:kms',
      SSEKMSKeyId: homeKey,
      ContentType: 'audio/mpeg',
    });
  });

  it('copies the version HEAD found current, by its version id, and answers it for the verification', async () => {
    // Prepare: a versioned staging bucket (s3rver has no versions, so only a mock shows this).
    staging.on(HeadObjectCommand).resolves({ ContentLength: 1024, VersionId: 'v2/+=' });
    home.on(CopyObjectCommand).resolves({});

    // Act
    const copied = await mover().copyToHome(key);

    // Assess: a re-upload landing during the copy cannot mix into it.
    expect(copied).toEqual({ versionId: 'v2/+=' });
    expect(home).toHaveReceivedCommandWith(CopyObjectCommand, {
      CopySource: `staging/${key}?versionId=v2%2F%2B%3D`,
    });
  });

  it('copies a large versioned recording in parts, every part from the same version', async () => {
    staging.on(HeadObjectCommand).resolves({ ContentLength: 10, VersionId: 'v7' });
    home.on(CreateMultipartUploadCommand).resolves({ UploadId: 'u1' });
    home.on(UploadPartCopyCommand).resolves({ CopyPartResult: { ETag: '"e"' } });
    home.on(CompleteMultipartUploadCommand).resolves({});

    const copied = await mover({ singleCopyLimitBytes: 4, partSizeBytes: 4 }).copyToHome(key);

    const sources = home.commandCalls(UploadPartCopyCommand).map((c) => c.args[0].input.CopySource);
    expect(copied).toEqual({ versionId: 'v7' });
    expect(sources).toEqual(Array(3).fill(`staging/${key}?versionId=v7`));
  });

  it('fingerprints the staged version that was copied, not whatever is current now', async () => {
    // Prepare
    staging.on(GetObjectCommand).callsFake(() => ({ Body: Readable.from([Buffer.from('abc')]) }));

    // Act
    const fingerprint = await mover().fingerprint('staging', key, 'v1');

    // Assess
    expect(fingerprint).toEqual({
      size: 3,
      sha256: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    });
    expect(staging).toHaveReceivedCommandWith(GetObjectCommand, {
      Bucket: 'staging',
      Key: key,
      VersionId: 'v1',
    });
  });

  it('deletes every version and delete marker of a discarded home copy, and nothing in staging', async () => {
    // Prepare
    home.on(GetBucketVersioningCommand).resolves({ Status: 'Enabled' });
    home.on(ListObjectVersionsCommand).resolves({
      Versions: [{ Key: key, VersionId: 'h2' }],
      DeleteMarkers: [{ Key: key, VersionId: 'h1' }],
    });
    home.on(DeleteObjectsCommand).resolves({});

    // Act
    const deleted = await mover().deleteHome(key);

    // Assess
    expect(deleted).toBe(2);
    expect(home).toHaveReceivedCommandWith(DeleteObjectsCommand, {
      Bucket: 'home',
      Delete: {
        Objects: [
          { Key: key, VersionId: 'h2' },
          { Key: key, VersionId: 'h1' },
        ],
        Quiet: true,
      },
    });
    expect(staging).not.toHaveReceivedAnyCommand();
  });

  it('copies a large recording in server-side parts, never through memory', async () => {
    // Prepare: 10 bytes with a 4-byte single-copy limit and 4-byte parts: three parts.
    staging.on(HeadObjectCommand).resolves({ ContentLength: 10 });
    home.on(CreateMultipartUploadCommand).resolves({ UploadId: 'u1' });
    home.on(UploadPartCopyCommand).callsFake((input: { PartNumber: number }) => ({
      CopyPartResult: { ETag: `"e${input.PartNumber}"` },
    }));
    home.on(CompleteMultipartUploadCommand).resolves({});

    await mover({ singleCopyLimitBytes: 4, partSizeBytes: 4 }).copyToHome(key);

    const ranges = home.commandCalls(UploadPartCopyCommand).map((c) => c.args[0].input.CopySourceRange);
    expect(ranges).toEqual(['bytes=0-3', 'bytes=4-7', 'bytes=8-9']);
    expect(home).toHaveReceivedCommandWith(CreateMultipartUploadCommand, { SSEKMSKeyId: homeKey });
    expect(home).toHaveReceivedCommandWith(CompleteMultipartUploadCommand, {
      UploadId: 'u1',
      MultipartUpload: {
        Parts: [
          { ETag: '"e1"', PartNumber: 1 },
          { ETag: '"e2"', PartNumber: 2 },
          { ETag: '"e3"', PartNumber: 3 },
        ],
      },
    });
    expect(home).not.toHaveReceivedCommand(CopyObjectCommand);
  });

  it('aborts the multipart copy when a part fails, leaving no half object', async () => {
    staging.on(HeadObjectCommand).resolves({ ContentLength: 10 });
    home.on(CreateMultipartUploadCommand).resolves({ UploadId: 'u1' });
    home
      .on(UploadPartCopyCommand)
      .rejects(
        new S3ServiceException({ name: 'SlowDown', $fault: 'server', $metadata: {}, message: 'slow down' }),
      );
    home.on(AbortMultipartUploadCommand).resolves({});

    await expect(mover({ singleCopyLimitBytes: 4, partSizeBytes: 4 }).copyToHome(key)).rejects.toThrow(
      'slow down',
    );
    expect(home).toHaveReceivedCommandWith(AbortMultipartUploadCommand, { UploadId: 'u1', Key: key });
    expect(home).not.toHaveReceivedCommand(CompleteMultipartUploadCommand);
  });
});
