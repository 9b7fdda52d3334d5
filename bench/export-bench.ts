import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoRecordStore } from '../lambdas/adapters/dynamo-record-store.ts';
import { attachmentKey } from '../lambdas/domain/attachments/attachment-service.ts';
import { mapBounded } from '../lambdas/domain/privacy/bounded.ts';
import { PrivacyRequestService } from '../lambdas/domain/privacy/privacy-request-service.ts';
import type { RecordType, StoredRecord } from '../lambdas/domain/records/record.ts';
import { exportPageConcurrency } from '../lib/constructs/privacy-export-workflow.ts';
import { privacyExportStateMachineName } from '../lib/platform/names.ts';
import { bootstrapRegion } from '../local/bootstrap.ts';
import { startDynamoDbLocal } from '../local/emulators/dynamodb-local.ts';
import { startS3Emulator } from '../local/emulators/s3-emulator.ts';
import { localCredentials, localSigningRegion } from '../local/local-credentials.ts';
import { localResourceNames, localWorkflowEnvironment } from '../local/local-environment.ts';
import { synthesizedWorkflows } from '../local/workflows/synthesized-workflows.ts';
import type { WorkerInput, WorkerResult } from './export-worker.ts';

const region = 'eea';
/** Reads per page the export makes at once (SubjectExport's default) times pages at once. */
const exportReadConcurrency = 16 * exportPageConcurrency;
/** Of every 100 linked items: what a helpdesk subject's data looks like, roughly. */
const mix: ReadonlyArray<[RecordType, number]> = [
  ['ticket', 20],
  ['conversation', 50],
  ['huddle', 10],
  ['satisfaction_rating', 10],
  ['chat_message', 9],
  ['attachment', 1],
];
const attachmentBytes = 64 * 1024;

/**
 * Export throughput and peak memory for subjects of 1,000 and 10,000 linked items (issue 4), each
 * beside a baseline measured in the same run: the subject-index Query and one GetItem per item at the
 * export's read concurrency, the reads any export must make. Each run is its own process, so its RSS
 * high-water is its own; DynamoDB Local and the S3 emulator run apart from it.
 */
export async function runExportBench(): Promise<void> {
  const stateDir = mkdtempSync(join(tmpdir(), 'helpdesk-export-bench-'));
  const [dynamodb, s3emulator] = await Promise.all([
    startDynamoDbLocal(),
    startS3Emulator(join(stateDir, 's3')),
  ]);
  const endpoints = { dynamodb: dynamodb.endpoint, s3: s3emulator.endpoint };
  const clientOptions = { region: localSigningRegion, credentials: localCredentials };
  const dynamo = DynamoDBDocumentClient.from(
    new DynamoDBClient({ ...clientOptions, endpoint: endpoints.dynamodb }),
    { marshallOptions: { removeUndefinedValues: true } },
  );
  const s3 = new S3Client({
    ...clientOptions,
    endpoint: endpoints.s3,
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  try {
    await bootstrapRegion(region, endpoints);
    const names = localResourceNames(region);
    const store = new DynamoRecordStore(dynamo, names.table);
    const workflow = synthesizedWorkflows(region).workflows.find((candidate) =>
      candidate.stateMachineArn.endsWith(`:${privacyExportStateMachineName(region)}`),
    );
    if (!workflow) throw new Error('the EEA workflows stack has no privacy export');
    const environment = localWorkflowEnvironment(region, endpoints);
    const accountId = randomUUID();
    let nextId = 1;

    console.log(
      `\nExport of one subject's data (EEA; the synthesized workflow with every task in one process, against DynamoDB Local and the S3 emulator; ${exportPageConcurrency} pages at once, baseline reads ${exportReadConcurrency} at once)\n`,
    );
    console.log(
      `${'subject items'.padEnd(14)}${'run'.padEnd(42)}${'seconds'.padStart(9)}${'items/s'.padStart(10)}${'peak RSS MiB'.padStart(14)}${'growth MiB'.padStart(12)}${'peak heap MiB'.padStart(15)}`,
    );
    const sizes = [1_000, 10_000];
    for (const size of sizes) {
      const subjectId = nextId++;
      const seedStart = Date.now();
      nextId = await seedSubject({
        store,
        s3,
        bucket: names.buckets.attachments ?? '',
        accountId,
        subjectId,
        size,
        nextId,
      });
      // Recorded and verified as an admin would (the workflow starter is left out: the bench runs it).
      const requests = new PrivacyRequestService({
        store,
        now: () => new Date(),
        newId: () => nextId++,
        exportWorkflow: { start: async () => undefined, execution: async () => undefined },
      });
      const admin = { accountId, agentId: 1, role: 'admin' } as const;
      const request = await requests.create(admin, {
        type: 'export',
        subject: { type: 'contact', id: subjectId },
        channel: 'email',
      });
      const requestId = request.ref.id;
      await requests.verify(admin, requestId, 'email_confirmation');
      const seedSeconds = (Date.now() - seedStart) / 1000;
      const input = { workflow, accountId, requestId, subjectId, readConcurrency: exportReadConcurrency };
      // DynamoDB Local (Java) warms up on its first thousands of reads: one unreported pass first.
      if (size === sizes[0]) await runWorker(stateDir, environment, { ...input, mode: 'baseline' });
      const baseline = await runWorker(stateDir, environment, { ...input, mode: 'baseline' });
      const exported = await runWorker(stateDir, environment, { ...input, mode: 'export' });
      if (exported.status !== 'SUCCEEDED') throw new Error(`the export ended ${exported.status}`);
      const row = (name: string, result: WorkerResult) => {
        const mib = (bytes: number) => (bytes / 1024 ** 2).toFixed(1);
        console.log(
          `${size.toLocaleString('en').padEnd(14)}${name.padEnd(42)}${(result.ms / 1000).toFixed(2).padStart(9)}${((size / result.ms) * 1000).toFixed(0).padStart(10)}${mib(result.maxRssBytes).padStart(14)}${mib(result.maxRssBytes - result.startRssBytes).padStart(12)}${mib(result.peakHeapBytes).padStart(15)}`,
        );
      };
      row('baseline: index Query + GetItem per item', baseline);
      row('export workflow (JSON, CSV, files)', exported);
      console.log(
        `${''.padEnd(14)}${'  time ratio export / baseline'.padEnd(42)}${(exported.ms / baseline.ms).toFixed(1).padStart(8)}x   (seeded in ${seedSeconds.toFixed(0)} s; ${baseline.items} items read by the baseline)`,
      );
    }
    console.log(
      "\nPeak RSS: the kernel's high-water mark of the run's own process, modules included; growth: over its RSS when the run began.",
    );
  } finally {
    dynamo.destroy();
    s3.destroy();
    await Promise.all([dynamodb.stop(), s3emulator.stop()]);
    rmSync(stateDir, { recursive: true, force: true });
  }
}

/** Stores the subject's contact and `size - 1` records linked to it (every 100th an attachment with a file). */
async function seedSubject(seed: {
  store: DynamoRecordStore;
  s3: S3Client;
  bucket: string;
  accountId: string;
  subjectId: number;
  size: number;
  nextId: number;
}): Promise<number> {
  const { accountId, subjectId } = seed;
  let nextId = seed.nextId;
  const at = new Date().toISOString();
  const subjects = [{ kind: 'contact' as const, id: subjectId }];
  const text = (n: number) => `Bench text ${n} `.repeat(20);
  const record = (type: RecordType, id: number, fields: object): StoredRecord<object> => ({
    accountId,
    ref: { type, id },
    version: 1,
    createdAt: at,
    updatedAt: at,
    fields,
    subjects,
  });
  const records: StoredRecord<object>[] = [
    record('contact', subjectId, { name: 'Bench subject', email: `bench-${subjectId}@example.test` }),
  ];
  const files: string[] = [];
  const kinds = mix.flatMap(([type, count]) => Array.from({ length: count }, () => type));
  for (let n = 1; n < seed.size; n++) {
    const type = kinds[n % kinds.length] as RecordType;
    const id = nextId++;
    if (type === 'attachment') {
      const key = attachmentKey(accountId, 1, id);
      files.push(key);
      records.push(
        record(type, id, {
          name: `file-${n}.bin`,
          content_type: 'application/octet-stream',
          size: attachmentBytes,
          ticket_id: 1,
          conversation_id: null,
          requester_id: subjectId,
          author_kind: 'contact',
          author_id: subjectId,
          object_key: key,
          upload: 'direct',
        }),
      );
    } else {
      records.push(
        record(type, id, { subject: `Item ${n}`, body: text(n), requester_id: subjectId, status: 2 }),
      );
    }
  }
  // Each record, its audit entry and subject link: 3 items; 30 records stay within a 100-item transaction.
  const batches = Array.from({ length: Math.ceil(records.length / 30) }, (_, i) =>
    records.slice(i * 30, i * 30 + 30),
  );
  const actor = { type: 'system', id: 'bench' } as const;
  await mapBounded(batches, 4, (batch) =>
    seed.store.createTogether(
      batch.map((r) => ({
        record: r,
        audit: { at, actor, operation: 'create' as const, record: r.ref, changedFields: [] },
      })),
    ),
  );
  const bytes = Buffer.alloc(attachmentBytes, 7);
  await mapBounded(files, 8, (key) =>
    seed.s3.send(new PutObjectCommand({ Bucket: seed.bucket, Key: key, Body: bytes })),
  );
  return nextId;
}

/** Runs one measured run in a fresh process with the workflow functions' environment. */
function runWorker(
  stateDir: string,
  environment: Record<string, string>,
  input: WorkerInput,
): Promise<WorkerResult> {
  const inputFile = join(stateDir, `${input.mode}-${input.requestId}.json`);
  writeFileSync(inputFile, JSON.stringify(input));
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', resolve(import.meta.dirname, 'export-worker.ts'), inputFile],
    {
      cwd: resolve(import.meta.dirname, '..'),
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'production',
        ...environment,
        POWERTOOLS_LOG_LEVEL: 'WARN',
      },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    },
  );
  return new Promise((resolveResult, reject) => {
    let result: WorkerResult | undefined;
    child.on('message', (message: WorkerResult) => {
      result = message;
    });
    child.once('exit', (code) =>
      result ? resolveResult(result) : reject(new Error(`the ${input.mode} run exited with code ${code}`)),
    );
  });
}
