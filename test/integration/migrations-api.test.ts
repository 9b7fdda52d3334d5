import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { SFNClient, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { importedRecordId } from '../../lambdas/domain/migrations/source-ids.ts';
import { migrationStateMachineName, stateMachineArn } from '../../lib/platform/names.ts';
import { localAwsAccountId, localCredentials } from '../../local/local-credentials.ts';
import {
  MigrationClient,
  type MigrationFile,
  type UploadableFile,
  uploadFile,
} from '../../scripts/migration-client.ts';
import { linkedRecords } from './account-fixture.ts';
import { emulatorDocumentClient, emulatorS3Client } from './emulator-clients.ts';
import { inputFile, ndjson } from './migration-inputs.ts';
import { apiCaller, completed, createTestAccount, settledPrivacyRequest } from './test-accounts.ts';

const platform = inject('localPlatform');
const client = emulatorDocumentClient(platform);
/** Step Functions of the EEA, as an operator reaches it (the local endpoint locally). */
const sfn = new SFNClient({
  endpoint: platform.workflows.eea?.url,
  region: platform.regions.eea.awsRegion,
  credentials: localCredentials,
});
afterAll(() => {
  client.destroy();
  sfn.destroy();
});

const s3 = emulatorS3Client(platform);
afterAll(() => s3.destroy());

/** The keys under a prefix of a bucket of the S3 emulator, in key order. */
async function keysUnder(bucket: string, prefix: string): Promise<string[]> {
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
  return (listed.Contents ?? []).flatMap((object) => (object.Key ? [object.Key] : [])).sort();
}

const samples = resolve(import.meta.dirname, '..', '..', 'samples', 'migrations');
const zendeskFiles: MigrationFile[] = ['organizations', 'users', 'tickets'].map((entity) => ({
  entity,
  format: 'ndjson',
  path: join(samples, 'zendesk', `${entity}.ndjson`),
}));
const nativeFiles: MigrationFile[] = [
  { entity: 'companies', format: 'csv', path: join(samples, 'native', 'companies.csv') },
  { entity: 'agents', format: 'csv', path: join(samples, 'native', 'agents.csv') },
  { entity: 'contacts', format: 'csv', path: join(samples, 'native', 'contacts.csv') },
  { entity: 'tickets', format: 'ndjson', path: join(samples, 'native', 'tickets.ndjson') },
  { entity: 'conversations', format: 'csv', path: join(samples, 'native', 'conversations.csv') },
];

/** A fresh EEA account with an admin and an agent, the migrations client and a plain API caller. */
async function accountWithMigrations() {
  const { url, table } = platform.regions.eea;
  const account = await createTestAccount(client, table, 'eea', ['admin', 'agent']);
  const call = apiCaller(url);
  return {
    id: account.id,
    adminKey: account.keys.admin,
    migrations: new MigrationClient(url, account.keys.admin),
    api: (method: string, path: string, body?: unknown) => call(method, path, account.keys.admin, body),
    asAgent: (method: string, path: string, body?: unknown) => call(method, path, account.keys.agent, body),
  };
}

async function migrate(migrations: MigrationClient, source: 'zendesk' | 'native', files: MigrationFile[]) {
  const id = await migrations.createAndUpload(source, files);
  await migrations.start(id);
  return migrations.waitUntilDone(id, { intervalMs: 100, timeoutMs: 60_000 });
}

describe('migrations API: Zendesk samples', () => {
  it('imports users, organizations, tickets and comments, readable through the helpdesk API', async () => {
    // Prepare
    const account = await accountWithMigrations();
    const id = (space: 'user' | 'organization' | 'ticket', sourceId: number) =>
      importedRecordId(account.id, 'zendesk', space, String(sourceId));

    // Act
    const done = await migrate(account.migrations, 'zendesk', zendeskFiles);

    // Assess: 2 organizations + 5 users + 3 tickets + 6 comments.
    expect(done.status).toBe('completed');
    expect(done.counts).toEqual({ total: 16, imported: 16, skipped: 0, failed: 0 });
    const contacts = await account.api('GET', '/api/v2/contacts?per_page=100');
    expect(contacts.body.map((contact: { name: string }) => contact.name).sort()).toEqual([
      'Hank Scorpio',
      'Phone Only',
      'Wile Coyote',
    ]);
    const wile = await account.api('GET', `/api/v2/contacts/${id('user', 201)}`);
    expect(wile.body).toMatchObject({
      name: 'Wile Coyote',
      email: 'wile@acme.example',
      company_id: id('organization', 9001),
      language: 'en-US',
      description: 'Prefers phone',
      tags: ['vip'],
      created_at: '2021-03-02T09:00:00.000Z',
      updated_at: '2022-01-01T12:00:00.000Z',
    });
    const agent = await account.api('GET', `/api/v2/agents/${id('user', 101)}`);
    expect(agent.body.contact).toMatchObject({ name: 'Ada Agent', email: 'ada.agent@helpdesk.example' });
    const company = await account.api('GET', `/api/v2/companies/${id('organization', 9001)}`);
    expect(company.body).toMatchObject({
      name: 'Acme Anvils',
      description: 'Wholesale anvils',
      domains: ['acme.example'],
    });

    const ticket = await account.api('GET', `/api/v2/tickets/${id('ticket', 5001)}`);
    expect(ticket.body).toMatchObject({
      subject: 'Anvil arrived cracked',
      status: 2,
      priority: 3,
      type: 'Problem',
      source: 1,
      requester_id: id('user', 201),
      responder_id: id('user', 101),
      company_id: id('organization', 9001),
      created_at: '2023-01-10T10:00:00.000Z',
    });
    const byRequester = await account.api('GET', `/api/v2/tickets?requester_id=${id('user', 201)}`);
    expect(byRequester.body.map((t: { id: number }) => t.id)).toEqual([id('ticket', 5001)]);
    const conversations = await account.api('GET', `/api/v2/tickets/${id('ticket', 5001)}/conversations`);
    expect(
      conversations.body.map((c: { body_text: string; private: boolean; incoming: boolean }) => [
        c.body_text,
        c.private,
        c.incoming,
      ]),
    ).toEqual([
      ['The anvil I ordered arrived cracked.', false, true],
      ['Sorry! A replacement is on its way.', false, false],
      ['Carrier claim filed.', true, false],
    ]);
    // Subject links and audit as any API write: the requester's links find the ticket and its comments.
    const links = await linkedRecords(client, platform.regions.eea.table, account.id, {
      kind: 'contact',
      id: id('user', 201),
    });
    expect(links).toHaveLength(1 + 1 + 3);
    const audit = await account.api(
      'GET',
      `/api/v2/audit_log?record_type=ticket&record_id=${id('ticket', 5001)}`,
    );
    expect(audit.body[0]).toMatchObject({
      operation: 'create',
      actor: { type: 'system', id: `migration-${done.id}` },
    });
  });

  it("deletes a completed migration's files, keeps its error report, and imports the same files again with no change", async () => {
    // Prepare
    const account = await accountWithMigrations();
    const first = await migrate(account.migrations, 'zendesk', zendeskFiles);
    const before = await account.api('GET', '/api/v2/tickets?per_page=100');

    // Act: the same migration started again, then a second migration of the same files.
    const again = await account.api('POST', `/api/v2/migrations/${first.id}/start`);
    const second = await migrate(account.migrations, 'zendesk', zendeskFiles);

    // Assess: uploads, chunks and report parts are gone; the report stays under its own prefix.
    const bucket = platform.regions.eea.buckets.migrations as string;
    expect(await keysUnder(bucket, `migrations/${account.id}/`)).toEqual([]);
    // Listed in key order, and migration ids are random: compare as sets.
    expect((await keysUnder(bucket, `migration-reports/${account.id}/`)).sort()).toEqual(
      [
        `migration-reports/${account.id}/${first.id}/errors.ndjson`,
        `migration-reports/${account.id}/${second.id}/errors.ndjson`,
      ].sort(),
    );
    expect((await fetch(second.error_report_url as string)).status).toBe(200);
    expect(again.status).toBe(409);
    expect(again.body.description).toMatch(/completed/);
    expect(second.counts).toEqual({ total: 16, imported: 0, skipped: 16, failed: 0 });
    const after = await account.api('GET', '/api/v2/tickets?per_page=100');
    expect(after.body).toEqual(before.body);
  });

  it('never brings back what was erased since: importing the same files again skips the erased records', async () => {
    // Prepare: an imported requester erased for good, with the tickets they raised.
    const account = await accountWithMigrations();
    await migrate(account.migrations, 'zendesk', zendeskFiles);
    const tickets = (await account.api('GET', '/api/v2/tickets?per_page=100')).body as {
      id: number;
      requester_id: number;
    }[];
    const requester = tickets[0]?.requester_id as number;
    const theirTickets = tickets.filter((ticket) => ticket.requester_id === requester).map((t) => t.id);
    const erasure = await account.api('DELETE', `/api/v2/contacts/${requester}/hard_delete`);
    await settledPrivacyRequest(platform.regions.eea.url, account.adminKey, erasure, completed);

    // Act
    const again = await migrate(account.migrations, 'zendesk', zendeskFiles);

    // Assess
    expect(erasure.status).toBe(204);
    expect(again.counts).toEqual({ total: 16, imported: 0, skipped: 16, failed: 0 });
    expect((await account.api('GET', `/api/v2/contacts/${requester}`)).status).toBe(404);
    for (const ticket of theirTickets) {
      expect((await account.api('GET', `/api/v2/tickets/${ticket}`)).status).toBe(404);
    }
    expect(theirTickets.length).toBeGreaterThan(0);
  });

  it('is for admins only', async () => {
    const account = await accountWithMigrations();
    const refused = await account.asAgent('POST', '/api/v2/migrations', {
      source: 'zendesk',
      files: [{ entity: 'users' }],
    });
    expect(refused.status).toBe(403);
  });
});

describe('migrations API: our own format', () => {
  it('imports CSV and NDJSON files, references by source ids, conversations in order', async () => {
    // Prepare
    const account = await accountWithMigrations();
    const id = (space: 'company' | 'contact' | 'agent' | 'ticket', sourceId: string) =>
      importedRecordId(account.id, 'native', space, sourceId);

    // Act
    const done = await migrate(account.migrations, 'native', nativeFiles);

    // Assess
    expect(done.counts).toEqual({ total: 8, imported: 8, skipped: 0, failed: 0 });
    const milton = await account.api('GET', `/api/v2/contacts/${id('contact', 'p-2')}`);
    expect(milton.body).toMatchObject({
      name: 'Milton Waddams',
      job_title: 'Collator, basement',
      company_id: id('company', 'c-1'),
    });
    const ticket = await account.api('GET', `/api/v2/tickets/${id('ticket', 't-1')}`);
    expect(ticket.body).toMatchObject({
      requester_id: id('contact', 'p-2'),
      responder_id: id('agent', 'a-1'),
      priority: 3,
    });
    const conversations = await account.api('GET', `/api/v2/tickets/${id('ticket', 't-1')}/conversations`);
    expect(conversations.body.map((c: { body: string }) => c.body)).toEqual([
      'Have you seen my stapler? It is red.',
      "We'll look into it, mmkay?",
      'Moved him to storage room B.',
    ]);
  });
});

describe('migrations API: a run whose execution ended', () => {
  it('shows a run whose execution was stopped as failed, and starts it again', async () => {
    // Prepare: 2,000 tickets, long enough to be stopped while it runs.
    const account = await accountWithMigrations();
    const users = Array.from({ length: 20 }, (_, i) => ({
      id: i,
      name: `U${i}`,
      email: `u${i}@example.test`,
    }));
    const tickets = Array.from({ length: 2_000 }, (_, i) => ({
      id: i,
      subject: `T${i}`,
      requester_id: i % 20,
    }));
    const id = await account.migrations.createAndUpload('zendesk', [
      inputFile('users', ndjson(...users)),
      inputFile('tickets', ndjson(...tickets)),
    ]);
    const started = await account.migrations.start(id);
    const machine = stateMachineArn(
      'aws',
      platform.regions.eea.awsRegion,
      localAwsAccountId,
      migrationStateMachineName('eea'),
    );

    // Act: an operator stops the execution; the admin looks, then starts the migration again.
    await sfn.send(
      new StopExecutionCommand({
        executionArn: `${machine.replace(':stateMachine:', ':execution:')}:migration-${account.id}-${id}-1`,
      }),
    );
    const stopped = await account.migrations.get(id);
    const listed = await account.api('GET', '/api/v2/migrations');
    await account.migrations.start(id);
    const done = await account.migrations.waitUntilDone(id, { intervalMs: 100, timeoutMs: 120_000 });

    // Assess
    expect(started).toMatchObject({ status: 'queued', run: 1 });
    expect(stopped).toMatchObject({
      status: 'failed',
      run: 1,
      failure: { reason: 'The import stopped: ExecutionAborted.', entity: null, line: null },
    });
    expect(listed.body).toMatchObject([{ id, status: 'failed' }]);
    expect(done).toMatchObject({
      status: 'completed',
      run: 2,
      counts: { total: 2_020, imported: 2_020, skipped: 0, failed: 0 },
    });
  }, 150_000);
});

describe('migrations API: upload URLs issued again', () => {
  it('answers fresh upload URLs for the files not uploaded yet, for admins, until the migration starts', async () => {
    // Prepare: a migration of users and tickets whose users file is uploaded, its tickets file not.
    const account = await accountWithMigrations();
    const users = inputFile('users', ndjson({ id: 1, name: 'U1', email: 'u1@example.test' }));
    const tickets = inputFile('tickets', ndjson({ id: 1, subject: 'T1', requester_id: 1 }));
    const created = await account.api('POST', '/api/v2/migrations', {
      source: 'zendesk',
      files: [{ entity: 'users' }, { entity: 'tickets', size: statSync(tickets.path).size }],
    });
    const fileOf = (body: { files: UploadableFile[] }, entity: string) =>
      body.files.find((file) => file.entity === entity) ?? { entity, format: 'ndjson' };
    const urlOf = (body: { files: UploadableFile[] }, entity: string) => fileOf(body, entity).upload_url;
    await uploadFile(fileOf(created.body, 'users'), users.path);
    const path = `/api/v2/migrations/${created.body.id}`;

    // Act
    const byAgent = await account.asAgent('POST', `${path}/uploads`);
    const reissued = await account.api('POST', `${path}/uploads`);
    await uploadFile(fileOf(reissued.body, 'tickets'), tickets.path);
    await account.migrations.start(created.body.id);
    const done = await account.migrations.waitUntilDone(created.body.id, {
      intervalMs: 100,
      timeoutMs: 60_000,
    });
    const afterStart = await account.api('POST', `${path}/uploads`);

    // Assess
    expect(byAgent.status).toBe(403);
    expect(reissued.status).toBe(200);
    expect(reissued.body).toMatchObject({ id: created.body.id, status: 'awaiting_upload' });
    expect(urlOf(reissued.body, 'users')).toBeUndefined();
    expect(urlOf(reissued.body, 'tickets')).toEqual(expect.stringContaining('/upload/tickets.ndjson'));
    expect(fileOf(created.body, 'users').upload_headers).toEqual({ 'Content-Type': 'application/x-ndjson' });
    expect(fileOf(reissued.body, 'tickets')).toMatchObject({
      size: statSync(tickets.path).size,
      upload_headers: {
        'Content-Type': 'application/x-ndjson',
        'Content-Length': String(statSync(tickets.path).size),
      },
    });
    expect(done).toMatchObject({ status: 'completed', counts: { total: 2, imported: 2 } });
    expect(afterStart.status).toBe(409);
  });
});
