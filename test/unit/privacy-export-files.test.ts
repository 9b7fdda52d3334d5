import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { S3ExportFiles } from '../../lambdas/adapters/s3-export-files.ts';
import { SfnWorkflowStarter } from '../../lambdas/adapters/sfn-workflow-starter.ts';
import { csvRow } from '../../lambdas/domain/privacy/csv.ts';
import type { ExportFiles } from '../../lambdas/domain/privacy/export-files.ts';
import type { RequestProgress } from '../../lambdas/domain/privacy/request-progress.ts';
import { exportUrlSeconds, SubjectExport } from '../../lambdas/domain/privacy/subject-export.ts';
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

    const written = await new S3ExportFiles(s3Client, 'exports', 8).write('k', 'text/csv', chunks);

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

    await expect(new S3ExportFiles(s3Client, 'exports', 4).write('k', 'text/csv', ['12345'])).rejects.toThrow(
      'SlowDown',
    );
    expect(s3).toHaveReceivedCommandWith(AbortMultipartUploadCommand, { UploadId: 'u2', Key: 'k' });
  });

  it('reads an object line by line', async () => {
    s3.on(GetObjectCommand).resolves({ Body: Readable.from(['{"a":1}\n{"b"', ':2}\n']) as never });

    const lines: string[] = [];
    for await (const line of new S3ExportFiles(s3Client, 'exports').lines('k')) lines.push(line);

    expect(lines).toEqual(['{"a":1}', '{"b":2}']);
  });
});

describe('publishing an export', () => {
  it('presigns every bundle file for at most 7 days', async () => {
    const presign = vi.fn(async (key: string, seconds: number) => `https://example.test/${key}?e=${seconds}`);
    const files = { presignDownload: presign } as unknown as ExportFiles;
    const complete = vi.fn(async () => undefined);
    const progress = { complete } as unknown as RequestProgress;
    const exporter = new SubjectExport({
      store: {} as RecordStore,
      files,
      progress,
      now: () => new Date('2026-11-23T10:00:00Z'),
    });

    await exporter.publish('acct', 7, {
      counts: { tickets: 2 },
      files: ['tickets.json', 'tickets.csv'],
      manifestSha256: 'f'.repeat(64),
    });

    expect(exportUrlSeconds).toBeLessThanOrEqual(7 * 24 * 60 * 60);
    expect(presign.mock.calls.map(([key]) => key).sort()).toEqual(
      ['manifest.json', 'tickets.csv', 'tickets.json'].map((name) => `exports/acct/7/bundle/${name}`),
    );
    for (const [, seconds] of presign.mock.calls) expect(seconds).toBeLessThanOrEqual(604_800);
    expect(complete).toHaveBeenCalledWith(
      'acct',
      7,
      expect.objectContaining({ download_expires_at: '2026-11-30T10:00:00.000Z' }),
    );
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
