import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { DynamoRecordStore } from '../../lambdas/adapters/dynamo-record-store.ts';
import { S3ExportFiles } from '../../lambdas/adapters/s3-export-files.ts';
import { ExportDownloads } from '../../lambdas/domain/privacy/export-downloads.ts';
import {
  type ExportResult,
  notYetAnswered,
  type PrivacyRequestFields,
} from '../../lambdas/domain/privacy/privacy-request.ts';
import { RequestProgress } from '../../lambdas/domain/privacy/request-progress.ts';
import { SubjectExport } from '../../lambdas/domain/privacy/subject-export.ts';
import type { StoredRecord } from '../../lambdas/domain/records/record.ts';
import { emulatorDocumentClient, emulatorS3Client } from './emulator-clients.ts';

const platform = inject('localPlatform');
const { table, buckets } = platform.regions.in;
const client = emulatorDocumentClient(platform);
const s3 = emulatorS3Client(platform);
const store = new DynamoRecordStore(client, table);
afterAll(() => {
  client.destroy();
  s3.destroy();
});

const at = '2026-11-23T10:00:00.000Z';
const actor = { type: 'system', id: 'test' } as const;
let nextId = 7_000_000;

async function put(record: Omit<StoredRecord, 'version' | 'createdAt' | 'updatedAt'>) {
  const stored = { ...record, version: 1, createdAt: at, updatedAt: at } as StoredRecord;
  await store.create(stored, { at, actor, operation: 'create', record: stored.ref, changedFields: [] });
  return stored;
}

function requestFields(subjectId: number): PrivacyRequestFields {
  return {
    type: 'export',
    subject_type: 'contact',
    subject_id: subjectId,
    mode: null,
    channel: 'email',
    note: null,
    status: 'verified',
    requested_by: 1,
    received_at: at,
    due_at: '2026-12-23T10:00:00.000Z',
    ...notYetAnswered,
    verified_at: at,
    verified_by: 1,
    verification_method: 'email_confirmation',
  };
}

async function text(url: string) {
  const response = await fetch(url);
  return response.text();
}

describe('SubjectExport on the local emulators', () => {
  it('pages through the subject index, exports every page in batches and assembles the same bundle when run again', async () => {
    // Prepare: a contact with four tickets (one with an extra field) and a trashed one, another contact's ticket.
    const accountId = randomUUID();
    const subject = nextId++;
    const other = nextId++;
    const link = [{ kind: 'contact' as const, id: subject }];
    await put({
      accountId,
      ref: { type: 'contact', id: subject },
      fields: { name: 'Subject' },
      subjects: link,
    });
    for (let n = 0; n < 4; n++) {
      await put({
        accountId,
        ref: { type: 'ticket', id: nextId++ },
        fields: { subject: `Ticket ${n}`, ...(n === 3 && { tags: ['a,b'] }) },
        subjects: link,
      });
    }
    await put({
      accountId,
      ref: { type: 'ticket', id: nextId++ },
      fields: { subject: 'Trashed' },
      subjects: link,
      deletedAt: at,
    });
    await put({
      accountId,
      ref: { type: 'ticket', id: nextId++ },
      fields: { subject: 'Not theirs' },
      subjects: [{ kind: 'contact', id: other }],
    });
    const requestId = nextId++;
    await put({
      accountId,
      ref: { type: 'privacy_request', id: requestId },
      fields: requestFields(subject) as never,
      subjects: [],
    });
    const progress = new RequestProgress({ store, now: () => new Date(at) });
    const exportFiles = new S3ExportFiles(s3, buckets.exports ?? '');
    const exporter = new SubjectExport({
      store,
      files: exportFiles,
      progress,
      now: () => new Date(at),
      storedFiles: { attachments: buckets.attachments ?? '' },
      pageSize: 2,
      maxBatches: 2,
      readConcurrency: 2,
    });
    const run = async (execution: string) => {
      await progress.markRunning(accountId, requestId);
      const plan = await exporter.index(accountId, requestId);
      for (const batch of plan.batches) {
        await exporter.exportBatch(accountId, requestId, execution, batch);
        await exporter.copyBatchFiles(accountId, requestId, execution, batch);
      }
      const bundle = await exporter.assemble(accountId, requestId, plan.pages);
      await exporter.publish(accountId, requestId, bundle);
      return { plan, bundle };
    };

    // Act: an execution, a repeat of its batches (as a retry would), then a new execution.
    const first = await run('privacy-1');
    const afterFirst = await progress.read(accountId, requestId);
    const repeated = await run('privacy-1');
    const second = await run('privacy-1-retry-1');
    const afterSecond = await progress.read(accountId, requestId);

    // Assess
    expect(first.plan).toEqual({
      pages: 3,
      batches: [
        { first: 0, count: 2 },
        { first: 2, count: 1 },
      ],
    });
    expect(repeated.bundle).toEqual(first.bundle);
    expect(first.bundle.counts).toEqual({ profile: 1, tickets: 4 });
    expect(second.bundle).toEqual(first.bundle);
    expect(afterFirst.fields.status).toBe('completed');
    expect(afterSecond.version).toBe(afterFirst.version);
    const offered = await new ExportDownloads({ files: exportFiles, now: () => new Date(at) }).offer(
      afterFirst.fields.result as ExportResult,
    );
    const files = Object.fromEntries(offered.files.map((file) => [file.name, file.url]));
    const csv = (await text(files['tickets.csv'] ?? '')).split('\r\n');
    const json = JSON.parse(await text(files['tickets.json'] ?? '')) as { subject: string }[];
    expect(csv[0]).toBe('id,subject,created_at,updated_at,tags');
    expect(csv.filter(Boolean)).toHaveLength(5);
    expect(csv.some((line) => line.endsWith(',"[""a,b""]"'))).toBe(true);
    expect(json.map((ticket) => ticket.subject).sort()).toEqual([
      'Ticket 0',
      'Ticket 1',
      'Ticket 2',
      'Ticket 3',
    ]);
  });
});
