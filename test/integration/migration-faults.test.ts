import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DynamoRecordStore } from '../../lambdas/adapters/dynamo-record-store.ts';
import type { MigrationFields } from '../../lambdas/domain/migrations/migration.ts';
import { migrationStates } from '../../lib/constructs/migration-workflow.ts';
import { migrationStateMachineName } from '../../lib/platform/names.ts';
import { localWorkflowEnvironment } from '../../local/local-environment.ts';
import { type LocalWorkflow, synthesizedWorkflows } from '../../local/workflows/synthesized-workflows.ts';
import { MigrationClient } from '../../scripts/migration-client.ts';
import { emulatorDocumentClient } from './emulator-clients.ts';
import { inputFile, ndjson } from './migration-inputs.ts';
import { apiCaller, createTestAccount } from './test-accounts.ts';
import { runWithFaults } from './workflow-faults.ts';

const platform = inject('localPlatform');
const { url, table } = platform.regions.eea;
const client = emulatorDocumentClient(platform);
const store = new DynamoRecordStore(client, table);
const savedEnvironment = { ...process.env };
let workflow: LocalWorkflow;

beforeAll(() => {
  // The task handlers run in this process with the EEA workflow functions' environment.
  Object.assign(process.env, localWorkflowEnvironment('eea', platform.emulators));
  const found = synthesizedWorkflows('eea').workflows.find((w) =>
    w.stateMachineArn.endsWith(migrationStateMachineName('eea')),
  );
  if (!found) throw new Error('the EEA workflows stack has no migration workflow');
  workflow = found;
}, 60_000);
afterAll(() => {
  process.env = savedEnvironment;
  client.destroy();
});

const named = (name: string) => Object.assign(new Error('injected'), { name });
const tickets = 2_500;

/** A migration of 100 users and 2,500 tickets (3 chunks), uploaded, marked queued for run 1 directly. */
async function queuedMigration() {
  const account = await createTestAccount(client, table, 'eea', ['admin']);
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
    inputFile('tickets', ndjson(...ticketLines)),
  ]);
  const record = await store.get<MigrationFields>(account.id, { type: 'migration', id });
  if (!record) throw new Error('no migration');
  await store.replace(
    record,
    {
      ...record,
      version: 2,
      fields: { ...record.fields, status: 'queued', run: 1, execution_name: `migration-${id}-1` },
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
    const killedChunk = `${migrationStates.phases.tickets}Chunk`;

    // Act: run 1 dies in the tickets phase; run 2 is started through the API like any restart.
    const killed = await runWithFaults(workflow, { accountId, migrationId: id, run: 1 }, (state, handler) =>
      state === killedChunk
        ? async (event) => {
            const { chunk } = event as { chunk: { index: number } };
            if (chunk.index === 0) return handler(event);
            if (chunk.index === 1) {
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
    let listed = 0;
    for (let page = 1; ; page++) {
      const answer = await api('GET', `/api/v2/tickets?per_page=100&page=${page}`, key);
      listed += answer.body.length;
      if (answer.body.length < 100) break;
    }
    expect(listed).toBe(tickets);
  }, 180_000);
});
