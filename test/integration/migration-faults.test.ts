import { DeleteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { DynamoMigrationLedger } from '../../lambdas/adapters/dynamo-migration-ledger.ts';
import { DynamoRecordStore } from '../../lambdas/adapters/dynamo-record-store.ts';
import { S3MigrationFiles } from '../../lambdas/adapters/s3-migration-files.ts';
import { importPhases } from '../../lambdas/domain/migrations/file-splitter.ts';
import { MigrationRun } from '../../lambdas/domain/migrations/migration-run.ts';
import type { MigrationFields } from '../../lambdas/domain/migrations/migration.ts';
import { importedRecordId } from '../../lambdas/domain/migrations/source-ids.ts';
import { migrationStates } from '../../lib/constructs/migration-workflow.ts';
import { migrationStateMachineName } from '../../lib/platform/names.ts';
import { MigrationClient } from '../../scripts/migration-client.ts';
import { emulatorDocumentClient, emulatorS3Client } from './emulator-clients.ts';
import { inputFile, ndjson } from './migration-inputs.ts';
import { apiCaller, completed, createTestAccount, privacyRequestOnceDone } from './test-accounts.ts';
import { injectedError, runWithFaults, workflowUnderTest } from './workflow-faults.ts';

const platform = inject('localPlatform');
// India: these runs import thousands of items, and the malformed-input property test (EEA) and the
// erasure sweeps (US) scan their regions' whole tables after each request.
const region = 'in' as const;
const { url, table, buckets } = platform.regions[region];
const client = emulatorDocumentClient(platform);
const s3 = emulatorS3Client(platform);
const store = new DynamoRecordStore(client, table);
/** A client whose every BatchWriteItem of record items fails: the import dies between its two phases. */
const killedBeforeRecords = emulatorDocumentClient(platform);
killedBeforeRecords.middlewareStack.add(
  (next, context) => async (args) => {
    if (/BatchWrite/.test(context.commandName ?? '') && /"RECORD"/.test(JSON.stringify(args.input)))
      throw injectedError('Killed');
    return next(args);
  },
  { step: 'initialize', name: 'killBeforeRecords' },
);
const workflow = workflowUnderTest(region, migrationStateMachineName(region));
afterAll(() => {
  client.destroy();
  killedBeforeRecords.destroy();
  s3.destroy();
});

/**
 * The workflow's steps over `dynamo`, called one by one as the workflow would call them; at most 2
 * pages a run, so the 3 tickets chunks are one page.
 */
const migrationRun = (dynamo: DynamoDBDocumentClient) =>
  new MigrationRun({
    store: new DynamoRecordStore(dynamo, table),
    files: new S3MigrationFiles(s3, buckets.migrations ?? ''),
    ledger: new DynamoMigrationLedger(dynamo, table),
    now: () => new Date(),
    maxPages: 2,
  });

/** Run 1 of a queued migration up to its first tickets chunk, which dies after its companion items. */
async function killedBetweenPhases() {
  const migration = await queuedMigration();
  const { accountId, id } = migration;
  const run = migrationRun(client);
  await run.markRunning(accountId, id, 1);
  const plan = await run.split(accountId, id, 1);
  for (const page of plan.people) await run.writePage(accountId, id, 1, page);
  const killed = await migrationRun(killedBeforeRecords)
    .writePage(accountId, id, 1, plan.tickets[0] as (typeof plan.tickets)[number])
    .catch((error: Error) => error);
  const idOf = (space: 'user' | 'ticket', sourceId: number) =>
    importedRecordId(accountId, 'zendesk', space, String(sourceId));
  return { ...migration, run, plan, killed, idOf };
}

const named = (name: string) => Object.assign(new Error('injected'), { name });
const tickets = 2_500;

/**
 * A migration of 100 users and 2,500 tickets (3 chunks), and `moreTickets` after them, uploaded,
 * marked queued for run 1 directly.
 */
async function queuedMigration(moreTickets: object[] = []) {
  const account = await createTestAccount(client, table, region, ['admin']);
  const migrations = new MigrationClient(url, account.keys.admin);
  const users = Array.from({ length: 100 }, (_, i) => ({
    id: i,
    name: `U${i}`,
    email: `u${i}@example.test`,
  }));
  const ticketLines = Array.from({ length: tickets }, (_, i) => ({
    id: i,
    subject: `T${i}`,
    description: 'x',
    requester_id: i % 100,
  }));
  const id = await migrations.createAndUpload('zendesk', [
    inputFile('users', ndjson(...users)),
    inputFile('tickets', ndjson(...ticketLines, ...moreTickets)),
  ]);
  const record = await store.get<MigrationFields>(account.id, { type: 'migration', id });
  if (!record) throw new Error('no migration');
  await store.replace(
    record,
    {
      ...record,
      version: 2,
      fields: {
        ...record.fields,
        status: 'queued',
        run: 1,
        execution_name: `migration-${account.id}-${id}-1`,
      },
    },
    {
      at: new Date().toISOString(),
      actor: { type: 'system', id: 'test' },
      operation: 'update',
      record: record.ref,
      changedFields: ['status'],
    },
  );
  return { accountId: account.id, id, migrations, api: apiCaller(url), key: account.keys.admin };
}

describe('migration under injected faults (the synthesized workflow on the local interpreter)', () => {
  it('resumes a run killed in the middle to the same end state as a clean run', async () => {
    // Prepare: the second tickets chunk is written, then "killed" before its ledger entry, every attempt.
    const { accountId, id, migrations, api, key } = await queuedMigration();
    const killedPage = `${migrationStates.phases.tickets}Page`;

    // Act: run 1 dies in the tickets phase; run 2 is started through the API like any restart.
    const killed = await runWithFaults(
      workflow(),
      { accountId, migrationId: id, run: 1 },
      (state, handler) =>
        state === killedPage
          ? async (event) => {
              // Pages of one chunk each (a run this small): page.first is the chunk.
              const { page } = event as { page: { first: number } };
              if (page.first === 0) return handler(event);
              if (page.first === 1) {
                await handler(event);
                await client.send(
                  new DeleteCommand({
                    TableName: table,
                    Key: { pk: `A#${accountId}#migration#${id}`, sk: 'LEDGER#tickets#000001' },
                  }),
                );
              }
              throw named('Killed');
            }
          : handler,
    );
    const afterKill = await migrations.get(id);
    await migrations.start(id);
    const resumed = await migrations.waitUntilDone(id, { intervalMs: 100, timeoutMs: 120_000 });

    // Assess
    expect(killed.status).toBe('FAILED');
    expect(afterKill).toMatchObject({ status: 'failed', failure: { reason: 'The import stopped: Killed.' } });
    expect(afterKill.counts.imported).toBeLessThan(100 + tickets);
    expect(resumed).toMatchObject({
      status: 'completed',
      run: 2,
      counts: { total: 100 + tickets, imported: 100 + tickets, skipped: 0, failed: 0 },
    });
    // Every ticket, following the link header (pages past 2,000 records are read through its cursor).
    let listed = 0;
    for (let path: string | undefined = '/api/v2/tickets?per_page=100'; path;) {
      const answer = await api('GET', path, key);
      listed += answer.body.length;
      const next = /^<([^>]+)>; rel="next"$/.exec(answer.headers.get('link') ?? '')?.[1];
      path = next && new URL(next).pathname + new URL(next).search;
    }
    expect(listed).toBe(tickets);
  }, 180_000);

  it('completes a chunk killed between its companion items and its record items, as a clean run would', async () => {
    // Prepare: tickets 0–999 (chunk 0 of the one tickets page) died after their links and audit entries.
    const { accountId, id, run, plan, killed, idOf, api, key } = await killedBetweenPhases();
    const ticket = { type: 'ticket' as const, id: idOf('ticket', 0) };
    const requester = { kind: 'contact' as const, id: idOf('user', 0) };
    const linksOf = async () =>
      (await store.subjectLinks(accountId, requester, { limit: 100 })).refs.filter(
        (ref) => ref.type === 'ticket',
      );
    const whileKilled = {
      ticket: await api('GET', `/api/v2/tickets/${ticket.id}`, key),
      listed: await api('GET', `/api/v2/tickets?per_page=100`, key),
      links: await linksOf(),
    };

    // Act: the task runs again (a retry, or the next run), then the rest of the migration.
    for (const page of [...plan.tickets, ...plan.conversations]) await run.writePage(accountId, id, 1, page);
    const counts = await run.report(accountId, id, 1);

    // Assess: while killed, nothing of the chunk could be read, but its links were there to be found.
    expect(killed).toMatchObject({ name: 'Killed' });
    expect(plan.tickets).toEqual([{ entity: 'tickets', first: 0, count: 3 }]);
    expect(whileKilled.ticket.status).toBe(404);
    expect(whileKilled.listed.body).toEqual([]);
    expect(whileKilled.links).toContainEqual(ticket);
    // Completed: the counts and records of a clean run, each record with one link and one audit entry.
    expect(counts).toEqual({ total: 100 + tickets, imported: 100 + tickets, skipped: 0, failed: 0 });
    const read = await api('GET', `/api/v2/tickets/${ticket.id}`, key);
    expect(read.body).toMatchObject({ id: ticket.id, subject: 'T0', requester_id: requester.id });
    expect(await store.auditTrail(accountId, ticket, 10)).toMatchObject([
      { operation: 'create', actor: { type: 'system', id: `migration-${id}` } },
    ]);
    expect(await linksOf()).toHaveLength(tickets / 100);
    expect(whileKilled.links.length).toBeLessThan(tickets / 100);
  }, 120_000);

  it("skips links to records that never landed when a subject's data is exported or erased", async () => {
    // Prepare: the requester of tickets 0, 100, …, 900 (chunk 0, killed) exists; those tickets do not.
    const { killed, idOf, api, key, run, accountId, id } = await killedBetweenPhases();
    // The run ended as its workflow's Catch ends it: an erasure waits while a migration still runs.
    await run.fail(accountId, id, 1, 'Killed');
    const requester = idOf('user', 0);
    const privacyRequest = async (body: object) => {
      const created = await api('POST', '/api/v2/privacy/requests', key, {
        subject: { type: 'contact', id: requester },
        channel: 'email',
        ...body,
      });
      await api('POST', `/api/v2/privacy/requests/${created.body.id}/verify`, key, {
        method: 'email_confirmation',
      });
      return privacyRequestOnceDone(url, key, `/api/v2/privacy/requests/${created.body.id}`, completed);
    };

    // Act
    const exported = await privacyRequest({ type: 'export' });
    const erased = await privacyRequest({ type: 'erasure', mode: 'permanent' });

    // Assess: only the contact itself was there to export and to erase.
    expect(killed).toMatchObject({ name: 'Killed' });
    expect(exported).toMatchObject({ status: 'completed', result: { counts: { profile: 1 } } });
    expect(Object.keys((exported.result as { counts: object }).counts)).toEqual(['profile']);
    expect(erased).toMatchObject({
      status: 'completed',
      certificate: { counts: { erased: { contact: 1 } } },
    });
    expect((erased.certificate as { counts: { erased: object } }).counts.erased).toEqual({ contact: 1 });
  }, 120_000);
});

describe('a source id repeated in another chunk of a file', () => {
  it('imports its first line, reports the later one and counts the record once', async () => {
    // Prepare: ticket 5 again as the file's last line (its third chunk), with another subject.
    const again = { id: 5, subject: 'T5 again', description: 'x', requester_id: 5 };
    const { accountId, id, migrations, api, key } = await queuedMigration([again]);
    const run = migrationRun(client);

    // Act: every chunk, one after another (the workflow's steps, one page per phase).
    await run.markRunning(accountId, id, 1);
    const plan = await run.split(accountId, id, 1);
    for (const phase of importPhases)
      for (const page of plan[phase]) await run.writePage(accountId, id, 1, page);
    const counts = await run.report(accountId, id, 1);
    const done = await migrations.get(id);
    const report = (await (await fetch(done.error_report_url as string)).text()).trim().split('\n');

    // Assess
    expect(plan.tickets).toEqual([{ entity: 'tickets', first: 0, count: 3 }]);
    expect(counts).toEqual({ total: 100 + tickets + 1, imported: 100 + tickets, skipped: 0, failed: 1 });
    expect(report.map((line) => JSON.parse(line))).toEqual([
      {
        entity: 'tickets',
        line: tickets + 1,
        source_id: '5',
        field: 'id',
        reason: 'Another record of this migration has the same id.',
      },
    ]);
    const ticket = importedRecordId(accountId, 'zendesk', 'ticket', '5');
    expect((await api('GET', `/api/v2/tickets/${ticket}`, key)).body).toMatchObject({ subject: 'T5' });
  }, 120_000);
});
