import { randomInt } from 'node:crypto';
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  type PutCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { DynamoBatches } from '../lambdas/adapters/dynamo-batches.ts';
import { DynamoRecordStore } from '../lambdas/adapters/dynamo-record-store.ts';
import type { AuditEntry, StoredRecord } from '../lambdas/domain/records/record.ts';
import { deriveConversation } from '../lambdas/domain/tickets/conversation-service.ts';
import { ticketDefaults } from '../lambdas/domain/tickets/ticket-schema.ts';
import { deriveTicket } from '../lambdas/domain/tickets/ticket-service.ts';
import { migrationChunkConcurrency } from '../lib/constructs/migration-workflow.ts';
import { withBenchPlatform } from './bench-platform.ts';
import { MigrationClient, type MigrationFile } from '../scripts/migration-client.ts';

/**
 * The workflow process's V8 heap limit: it runs every task of every chunk (4 at a time) and the
 * interpreter, and must import any file size within it (streamed, one chunk per task in memory).
 */
const workflowHeapMiB = 384;
/** Write requests in flight per chunk task (DynamoRecordImport's default). */
const perTaskConcurrency = 4;
const conversationsPerTicket = 3;

/** Writes lines to a file, waiting for the stream when its buffer is full (flat memory). */
async function writeLines(path: string, lines: Iterable<string>): Promise<void> {
  const out = createWriteStream(path);
  for (const line of lines) if (!out.write(line)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
}

/** A synthetic Zendesk export: `tickets` tickets with 3 comments each, 10 tickets per requester, 20 agents. */
async function zendeskExport(dir: string, tickets: number, prefix: string): Promise<MigrationFile[]> {
  const requesters = Math.max(1, Math.ceil(tickets / 10));
  const agents = 20;
  const at = '2023-01-01T00:00:00Z';
  function* users() {
    for (let i = 1; i <= agents; i++)
      yield `${JSON.stringify({ id: `${prefix}a${i}`, name: `Agent ${i}`, email: `agent${i}@bench.example`, role: 'agent', created_at: at, updated_at: at })}\n`;
    for (let i = 1; i <= requesters; i++)
      yield `${JSON.stringify({ id: `${prefix}u${i}`, name: `Requester ${i}`, email: `${prefix}u${i}@bench.example`, role: 'end-user', created_at: at, updated_at: at })}\n`;
  }
  function* ticketLines() {
    for (let i = 1; i <= tickets; i++) {
      const requester = `${prefix}u${1 + (i % requesters)}`;
      const agent = `${prefix}a${1 + (i % agents)}`;
      const comments = Array.from({ length: conversationsPerTicket }, (_, c) => ({
        id: `${prefix}c${i}-${c}`,
        author_id: c % 2 === 0 ? requester : agent,
        body: `Comment ${c} on ticket ${i}: ${'lorem ipsum '.repeat(20)}`,
        public: c < 2,
        created_at: `2023-01-01T00:0${c}:00Z`,
      }));
      yield `${JSON.stringify({ id: `${prefix}t${i}`, subject: `Ticket ${i}`, description: 'x'.repeat(300), status: 'open', priority: 'normal', requester_id: requester, assignee_id: agent, created_at: at, updated_at: at, comments })}\n`;
    }
  }
  const files: MigrationFile[] = [
    { entity: 'users', format: 'ndjson', path: join(dir, `${prefix}users.ndjson`) },
    { entity: 'tickets', format: 'ndjson', path: join(dir, `${prefix}tickets.ndjson`) },
  ];
  await writeLines(files[0]!.path, users());
  await writeLines(files[1]!.path, ticketLines());
  return files;
}

/** The records of one ticket with its conversations, as an import stores them (new random ids). */
function ticketRecords(accountId: string): { record: StoredRecord<object>; audit: AuditEntry }[] {
  const at = new Date().toISOString();
  const base = (type: 'ticket' | 'conversation') => ({
    accountId,
    ref: { type, id: randomInt(2 ** 40, 2 ** 47) },
    version: 1,
    createdAt: at,
    updatedAt: at,
    subjects: [],
  });
  const requesterId = randomInt(2 ** 40, 2 ** 47);
  const agentId = randomInt(2 ** 40, 2 ** 47);
  const ticket = deriveTicket({
    ...base('ticket'),
    fields: {
      ...ticketDefaults,
      subject: 'Ticket',
      description: 'x'.repeat(300),
      requester_id: requesterId,
      responder_id: agentId,
    },
  });
  const records: StoredRecord<object>[] = [ticket];
  for (let c = 0; c < conversationsPerTicket; c++) {
    records.push(
      deriveConversation({
        ...base('conversation'),
        fields: {
          body: `Comment ${c}: ${'lorem ipsum '.repeat(20)}`,
          source: 0,
          private: false,
          incoming: c % 2 === 0,
          user_id: c % 2 === 0 ? requesterId : agentId,
          author_kind: c % 2 === 0 ? 'contact' : 'agent',
          ticket_id: ticket.ref.id,
          requester_id: requesterId,
          from_email: null,
          cc_emails: [],
          bcc_emails: [],
          notify_emails: [],
        },
      }),
    );
  }
  return records.map((record) => ({
    record,
    audit: {
      at,
      actor: { type: 'system', id: 'bench' },
      operation: 'create',
      record: record.ref,
      changedFields: [],
    },
  }));
}

/** Runs `write` (answering how many records it wrote) again and again for `seconds`; records per second. */
async function ratePerSecond(write: () => Promise<number>, seconds = 15) {
  let count = 0;
  const start = performance.now();
  while (performance.now() - start < seconds * 1000) count += await write();
  return { count, rate: count / ((performance.now() - start) / 1000) };
}

/** The median time of a GetItem of a missing key, one after another: what a request costs at least. */
async function medianGetItemMs(dynamo: DynamoDBDocumentClient, table: string): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 200; i++) {
    const start = performance.now();
    await dynamo.send(new GetCommand({ TableName: table, Key: { pk: 'BENCH#ROUND-TRIP', sk: String(i) } }));
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[100]!;
}

/** Peak resident memory of a process (Linux VmHWM), in MiB. */
function peakMiB(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : undefined;
}

/**
 * Migration import throughput on the local stack (issue 6): a Zendesk export of `tickets` tickets with
 * 3 conversations each, imported end to end through the API and the workflow, beside the issue's naive
 * writer (one item at a time by PutItem, one after another; also one record per transaction) and the
 * raw BatchWriteItem ceiling for the same items on the same DynamoDB Local, all in this run. Peak
 * memory of the workflow process is read after a tenth-size import and after the full one: streamed,
 * it should not grow with the file. With `roundTripMs`, every DynamoDB request of every writer (the
 * import's workflow process too) crosses a delaying proxy, as requests cross a network on AWS.
 */
export async function runMigrationBench(tickets: number, roundTripMs = 0): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'helpdesk-bench-data-'));
  await withBenchPlatform(
    async (endpoints, dynamo) => {
      const { url, apiKey, accountId, table } = endpoints.regions.eea;
      const workflowPid = endpoints.workflows.eea?.pid;
      const migrations = new MigrationClient(url, apiKey);
      const importOf = async (size: number, prefix: string) => {
        const files = await zendeskExport(dataDir, size, prefix);
        const id = await migrations.createAndUpload('zendesk', files);
        const t0 = performance.now();
        await migrations.start(id);
        const done = await migrations.waitUntilDone(id, { intervalMs: 250 });
        const seconds = (performance.now() - t0) / 1000;
        if (done.status !== 'completed' || done.counts.failed > 0)
          throw new Error(`Import ${prefix} ended ${done.status}`);
        return { records: done.counts.imported, seconds };
      };

      const records = tickets * (1 + conversationsPerTicket);
      console.log(
        `Migration import on the local stack (EEA): ${tickets} tickets × ${conversationsPerTicket} conversations = ${records} records (+ ${Math.ceil(tickets / 10) + 20} users); --size sets the ticket count`,
      );
      console.log(
        `DynamoDB round trip: ${roundTripMs ? `${roundTripMs} ms added to every request by a delaying proxy` : 'loopback, none added'} (--round-trip-ms)\n`,
      );
      const small = await importOf(Math.max(10, Math.floor(tickets / 10)), 's');
      const peakSmall = peakMiB(workflowPid);
      const full = await importOf(tickets, 'f');
      const peakFull = peakMiB(workflowPid);
      const importRate = full.records / full.seconds;

      // Naive writers, for a fixed time each, one request after another: the issue's baseline puts each
      // item of each record (record, subject links, audit entry) by its own PutItem; the second writes
      // each record whole in its own transaction, as the API does.
      const store = new DynamoRecordStore(dynamo, table);
      const naiveItems = await ratePerSecond(async () => {
        for (const { record, audit } of ticketRecords(accountId)) {
          for (const item of await store.changeItems([{ create: record, audit }]))
            await dynamo.send(new PutCommand(item.Put as PutCommandInput));
        }
        return 1 + conversationsPerTicket;
      });
      const naiveRecords = await ratePerSecond(async () => {
        for (const { record, audit } of ticketRecords(accountId)) await store.create(record, audit);
        return 1 + conversationsPerTicket;
      });

      // Raw ceiling: the same items by BatchWriteItem, 25 per request, as many requests in flight as the
      // import has (chunks at once × requests per chunk), no conditions, no transactions, no reads.
      const rawRecords = Math.min(records, 100_000);
      const rawItems: Record<string, unknown>[] = [];
      for (let i = 0; i < rawRecords; i += 1 + conversationsPerTicket) {
        for (const { record, audit } of ticketRecords(accountId))
          for (const item of await store.changeItems([{ create: record, audit }]))
            rawItems.push(item.Put?.Item as Record<string, unknown>);
      }
      const rawStart = performance.now();
      await new DynamoBatches(dynamo, table, migrationChunkConcurrency * perTaskConcurrency).put(rawItems);
      const rawRate = rawRecords / ((performance.now() - rawStart) / 1000);

      const row = (name: string, count: number, rate: number) =>
        console.log(`${name.padEnd(58)} ${String(count).padStart(9)} ${rate.toFixed(0).padStart(9)}`);
      console.log(`${'writer'.padEnd(58)} ${'records'.padStart(9)} ${'rec/s'.padStart(9)}`);
      row('import: API + workflow (split, Maps, batched writes)', full.records, importRate);
      row('naive: one item at a time, each by PutItem (the baseline)', naiveItems.count, naiveItems.rate);
      row('naive: one record per transaction, sequential', naiveRecords.count, naiveRecords.rate);
      row(
        `raw: BatchWriteItem of the same items, ${migrationChunkConcurrency * perTaskConcurrency} in flight`,
        rawRecords,
        rawRate,
      );
      console.log(
        `  (one GetItem, warm, one after another: ${(await medianGetItemMs(dynamo, table)).toFixed(2)} ms median of 200)`,
      );
      const vsNaive = importRate / naiveItems.rate;
      const vsRaw = importRate / rawRate;
      console.log(
        `  import / naive ${vsNaive.toFixed(1).padStart(6)}x  (target ≥ 10x: ${vsNaive >= 10 ? 'met' : 'NOT met'})`,
      );
      console.log(
        `  import / raw   ${(vsRaw * 100).toFixed(0).padStart(6)}%  (target ≥ 70%: ${vsRaw >= 0.7 ? 'met' : 'NOT met'})`,
      );
      console.log(
        `  raw / naive    ${(rawRate / naiveItems.rate).toFixed(1).padStart(6)}x  (the most any writer of these items gains over the naive one here)`,
      );
      console.log(
        `  workflow process (V8 heap limit ${workflowHeapMiB} MiB) peak RSS: ${peakSmall?.toFixed(0) ?? '?'} MiB after ${small.records} records, ${peakFull?.toFixed(0) ?? '?'} MiB after ${full.records} more\n`,
      );
    },
    { workflowHeapMiB, dynamodbRoundTripMs: roundTripMs },
  );
  rmSync(dataDir, { recursive: true, force: true });
}
