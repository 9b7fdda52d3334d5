import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  NotFound,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { S3ExportFiles } from '../../lambdas/adapters/s3-export-files.ts';
import { SfnWorkflowStarter } from '../../lambdas/adapters/sfn-workflow-starter.ts';
import { csvRow } from '../../lambdas/domain/privacy/csv.ts';
import type { ExportFiles } from '../../lambdas/domain/privacy/export-files.ts';
import type { RequestProgress } from '../../lambdas/domain/privacy/request-progress.ts';
import { SubjectExport } from '../../lambdas/domain/privacy/subject-export.ts';
import type { RecordStore } from '../../lambdas/domain/records/record-store.ts';

const s3Client = new S3Client({ region: 'us-east-1' });
const s3 = mockClient(s3Client);
const sfnClient = new SFNClient({ region: 'us-east-1' });
const sfn = mockClient(sfnClient);
afterEach(() => {
  s3.reset();
  sfn.reset();
});

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('S3ExportFiles', () => {
  it('writes a small object in one put, answering its size and SHA-256', async () => {
    s3.on(PutObjectCommand).resolves({});

    const written = await new S3ExportFiles(s3Client, 'exports').write(
      'exports/a/1/x.json',
      'application/json',
      ['[', '1', ']'],
    );

    expect(written).toEqual({ bytes: 3, sha256: sha256('[1]') });
    expect(s3).toHaveReceivedCommandWith(PutObjectCommand, { Bucket: 'exports', Key: 'exports/a/1/x.json' });
    expect(s3).not.toHaveReceivedCommand(CreateMultipartUploadCommand);
  });

  it('streams a large object in parts, holding at most one part in memory', async () => {
    s3.on(CreateMultipartUploadCommand).resolves({ UploadId: 'u1' });
    s3.on(UploadPartCommand).callsFake((input: { PartNumber: number }) => ({ ETag: `e${input.PartNumber}` }));
    s3.on(CompleteMultipartUploadCommand).resolves({});
    const chunks = Array.from({ length: 10 }, (_, index) => `${String(index).repeat(4)}\n`);

    const written = await new S3ExportFiles(s3Client, 'exports', { partBytes: 8 }).write(
      'k',
      'text/csv',
      chunks,
    );

    expect(written).toEqual({ bytes: 50, sha256: sha256(chunks.join('')) });
    const parts = s3.commandCalls(UploadPartCommand).map((call) => String(call.args[0].input.Body).length);
    expect(parts).toEqual([10, 10, 10, 10, 10]);
    expect(s3).toHaveReceivedCommandWith(CompleteMultipartUploadCommand, {
      UploadId: 'u1',
      MultipartUpload: { Parts: [1, 2, 3, 4, 5].map((n) => ({ ETag: `e${n}`, PartNumber: n })) },
    });
  });

  it('aborts the multipart upload when a part fails, leaving no half object', async () => {
    s3.on(CreateMultipartUploadCommand).resolves({ UploadId: 'u2' });
    s3.on(UploadPartCommand).rejects(new Error('SlowDown'));
    s3.on(AbortMultipartUploadCommand).resolves({});

    await expect(
      new S3ExportFiles(s3Client, 'exports', { partBytes: 4 }).write('k', 'text/csv', ['12345']),
    ).rejects.toThrow('SlowDown');
    expect(s3).toHaveReceivedCommandWith(AbortMultipartUploadCommand, { UploadId: 'u2', Key: 'k' });
  });

  it('reads an object line by line', async () => {
    s3.on(GetObjectCommand).resolves({ Body: Readable.from(['{"a":1}\n{"b"', ':2}\n']) as never });

    const lines: string[] = [];
    for await (const line of new S3ExportFiles(s3Client, 'exports').lines('k')) lines.push(line);

    expect(lines).toEqual(['{"a":1}', '{"b":2}']);
  });
});

describe('S3ExportFiles.copyIn', () => {
  const source = { bucket: 'attachments', key: 'accounts/a/tickets/1/attachments/2' };
  const copied = (text: string) =>
    s3.on(GetObjectCommand, { Bucket: 'exports' }).resolves({ Body: Readable.from([text]) as never });

  it("copies server-side in one CopyObject and answers the copy's size, SHA-256 and media type", async () => {
    s3.on(HeadObjectCommand).resolves({ ContentLength: 5, ContentType: 'image/png', ETag: '"e"' });
    s3.on(CopyObjectCommand).resolves({});
    copied('bytes');

    const copy = await new S3ExportFiles(s3Client, 'exports').copyIn(source, 'exports/a/7/bundle/files/x');

    expect(copy).toEqual({ bytes: 5, sha256: sha256('bytes'), contentType: 'image/png' });
    expect(s3).toHaveReceivedCommandWith(CopyObjectCommand, {
      Bucket: 'exports',
      Key: 'exports/a/7/bundle/files/x',
      CopySource: 'attachments/accounts/a/tickets/1/attachments/2',
      CopySourceIfMatch: '"e"',
    });
    expect(s3).not.toHaveReceivedCommand(PutObjectCommand);
  });

  it('copies an object above the single-copy limit part by part, in byte ranges', async () => {
    s3.on(HeadObjectCommand).resolves({ ContentLength: 10, ContentType: 'audio/mpeg', ETag: '"e"' });
    s3.on(CreateMultipartUploadCommand).resolves({ UploadId: 'c1' });
    s3.on(UploadPartCopyCommand).callsFake((input: { PartNumber: number }) => ({
      CopyPartResult: { ETag: `p${input.PartNumber}` },
    }));
    s3.on(CompleteMultipartUploadCommand).resolves({});
    copied('0123456789');
    const files = new S3ExportFiles(s3Client, 'exports', { singleCopyMaxBytes: 5, copyPartBytes: 4 });

    const copy = await files.copyIn(source, 'k');

    expect(copy?.bytes).toBe(10);
    expect(s3).not.toHaveReceivedCommand(CopyObjectCommand);
    expect(s3.commandCalls(UploadPartCopyCommand).map((call) => call.args[0].input.CopySourceRange)).toEqual([
      'bytes=0-3',
      'bytes=4-7',
      'bytes=8-9',
    ]);
    expect(s3).toHaveReceivedCommandWith(CompleteMultipartUploadCommand, {
      UploadId: 'c1',
      MultipartUpload: { Parts: [1, 2, 3].map((n) => ({ ETag: `p${n}`, PartNumber: n })) },
    });
  });

  it('aborts a multipart copy when a part fails', async () => {
    s3.on(HeadObjectCommand).resolves({ ContentLength: 10, ETag: '"e"' });
    s3.on(CreateMultipartUploadCommand).resolves({ UploadId: 'c2' });
    s3.on(UploadPartCopyCommand).rejects(new Error('SlowDown'));
    s3.on(AbortMultipartUploadCommand).resolves({});
    const files = new S3ExportFiles(s3Client, 'exports', { singleCopyMaxBytes: 5, copyPartBytes: 4 });

    await expect(files.copyIn(source, 'k')).rejects.toThrow('SlowDown');
    expect(s3).toHaveReceivedCommandWith(AbortMultipartUploadCommand, { UploadId: 'c2', Key: 'k' });
  });

  it('leaves out a missing object, and a presigned upload not complete yet', async () => {
    const files = new S3ExportFiles(s3Client, 'exports');
    s3.on(HeadObjectCommand, { Key: 'missing' }).rejects(
      new NotFound({ message: 'NotFound', $metadata: {} }),
    );
    s3.on(HeadObjectCommand, { Key: 'partial' }).resolves({ ContentLength: 3 });

    expect(await files.copyIn({ bucket: 'b', key: 'missing' }, 'k')).toBeUndefined();
    expect(await files.copyIn({ bucket: 'b', key: 'partial', bytes: 10 }, 'k')).toBeUndefined();
    expect(s3).not.toHaveReceivedCommand(CopyObjectCommand);
  });
});

describe('publishing an export', () => {
  it("records the bundle's keys and offers it until 7 days after completion, presigning nothing", async () => {
    const presign = vi.fn();
    const files = { presignDownload: presign } as unknown as ExportFiles;
    const complete = vi.fn(async () => undefined);
    const progress = { complete } as unknown as RequestProgress;
    const exporter = new SubjectExport({
      store: {} as RecordStore,
      files,
      progress,
      now: () => new Date('2026-11-23T10:00:00Z'),
      storedFiles: { attachments: 'attachments' },
    });

    await exporter.publish('acct', 7, {
      counts: { tickets: 2 },
      files: ['tickets.json', 'tickets.csv'],
      manifestSha256: 'f'.repeat(64),
      storedFiles: 3,
    });

    expect(presign).not.toHaveBeenCalled();
    expect(complete).toHaveBeenCalledWith('acct', 7, {
      counts: { tickets: 2 },
      manifest_sha256: 'f'.repeat(64),
      manifest_key: 'exports/acct/7/bundle/manifest.json',
      files: ['tickets.json', 'tickets.csv'].map((name) => ({ name, key: `exports/acct/7/bundle/${name}` })),
      stored_files: { count: 3, list_key: 'exports/acct/7/stored-files.ndjson' },
      available_until: '2026-11-30T10:00:00.000Z',
    });
  });
});

describe('CSV rows', () => {
  it('quotes separators, doubles quotes, writes nested values as JSON and defuses formulas', () => {
    expect(csvRow(['a,b', 'say "hi"', null, 3, { x: [1] }, '=SUM(A1)', '-1'])).toBe(
      '"a,b","say ""hi""",,3,"{""x"":[1]}",\'=SUM(A1),\'-1\r\n',
    );
  });
});

describe('SfnWorkflowStarter', () => {
  it('starts the named execution with the ids as input, and treats an existing one as started', async () => {
    sfn
      .on(StartExecutionCommand)
      .resolvesOnce({ executionArn: 'arn' })
      .rejects(new ExecutionAlreadyExists({ message: 'exists', $metadata: {} }));
    const starter = new SfnWorkflowStarter(sfnClient, 'arn:aws:states:us-east-1:111122223333:stateMachine:m');

    await starter.start('privacy-1', { accountId: 'a', requestId: 1 });
    await starter.start('privacy-1', { accountId: 'a', requestId: 1 });

    expect(sfn).toHaveReceivedCommandTimes(StartExecutionCommand, 2);
    expect(sfn).toHaveReceivedCommandWith(StartExecutionCommand, {
      name: 'privacy-1',
      input: '{"accountId":"a","requestId":1}',
    });
  });
});
