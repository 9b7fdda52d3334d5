import { afterAll, describe, expect, inject, it } from 'vitest';
import { importedRecordId } from '../../lambdas/domain/migrations/source-ids.ts';
import { MigrationClient, type MigrationFile } from '../../scripts/migration-client.ts';
import { emulatorDocumentClient } from './emulator-clients.ts';
import { inputFile, ndjson } from './migration-inputs.ts';
import { apiCaller, createTestAccount } from './test-accounts.ts';

const platform = inject('localPlatform');
const client = emulatorDocumentClient(platform);
afterAll(() => client.destroy());

async function account() {
  const { url, table } = platform.regions.eea;
  const created = await createTestAccount(client, table, 'eea', ['admin']);
  const call = apiCaller(url);
  return {
    id: created.id,
    migrations: new MigrationClient(url, created.keys.admin),
    api: (method: string, path: string, body?: unknown) => call(method, path, created.keys.admin, body),
  };
}

async function migrate(migrations: MigrationClient, source: 'zendesk' | 'native', files: MigrationFile[]) {
  const id = await migrations.createAndUpload(source, files);
  await migrations.start(id);
  return migrations.waitUntilDone(id, { intervalMs: 100, timeoutMs: 60_000 });
}

const user = (id: number, extra: object = {}) => ({
  id,
  name: `User ${id}`,
  email: `user${id}@private.example`,
  role: 'end-user',
  ...extra,
});

describe('migrations: malformed records fail alone, with a report line each', () => {
  it('reports bad JSON, missing and oversize fields, wrong types, unknown requesters; imports the rest whole', async () => {
    // Prepare
    const { id: accountId, migrations, api } = await account();
    const users = inputFile(
      'users',
      ndjson(
        user(1),
        '{"id": 2, "name": "Broken',
        { id: 3, email: 'user3@private.example', role: 'end-user' },
        user(4, { notes: 'n'.repeat(10_001) }),
        user(5, { name: ['not', 'text'] }),
        '[1, 2, 3]',
      ),
    );
    const tickets = inputFile(
      'tickets',
      ndjson(
        {
          id: 10,
          subject: 'Fine',
          description: 'ok',
          requester_id: 1,
          comments: [{ id: 100, author_id: 1, body: 'hello', created_at: '2024-01-01T00:00:00Z' }],
        },
        { id: 11, subject: 'Whose?', description: 'x', requester_id: 999 },
        { id: 12, subject: 's'.repeat(256), description: 'x', requester_id: 1 },
        {
          id: 13,
          subject: 'Bad comment',
          description: 'x',
          requester_id: 1,
          comments: [{ id: 101, author_id: 1, body: '' }],
        },
      ),
    );

    // Act
    const done = await migrate(migrations, 'zendesk', [users, tickets]);
    const served = await fetch(done.error_report_url as string);
    const report = await served.text();
    const lines = report
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));

    // Assess: user 1, ticket 10 and its comment imported; ticket 13 counts its comment too.
    expect(served.headers.get('content-disposition')).toBe('attachment');
    expect(served.headers.get('content-type')).toBe('application/x-ndjson');
    expect(done).toMatchObject({
      status: 'completed',
      counts: { total: 12, imported: 3, skipped: 0, failed: 9 },
    });
    expect(lines).toEqual(
      expect.arrayContaining([
        { entity: 'users', line: 2, source_id: null, field: null, reason: 'The line is not valid JSON.' },
        { entity: 'users', line: 3, source_id: '3', field: 'name', reason: expect.any(String) },
        {
          entity: 'users',
          line: 4,
          source_id: '4',
          field: 'notes',
          reason: 'It is longer than 10000 characters.',
        },
        { entity: 'users', line: 5, source_id: '5', field: 'name', reason: 'It should be text.' },
        { entity: 'users', line: 6, source_id: null, field: null, reason: 'The line is not a JSON object.' },
        {
          entity: 'tickets',
          line: 2,
          source_id: '11',
          field: 'requester_id',
          reason: 'No contact with this source id was imported.',
        },
        {
          entity: 'tickets',
          line: 3,
          source_id: '12',
          field: 'subject',
          reason: 'It is longer than 255 characters.',
        },
        {
          entity: 'tickets',
          line: 4,
          source_id: '13',
          field: 'comments[0].body',
          reason: 'It should not be blank.',
        },
      ]),
    );
    expect(report).not.toContain('private.example');
    expect(report).not.toContain('Broken');
    const ticketId = (sourceId: number) => importedRecordId(accountId, 'zendesk', 'ticket', String(sourceId));
    expect((await api('GET', `/api/v2/tickets/${ticketId(10)}/conversations`)).body).toHaveLength(1);
    for (const failed of [11, 12, 13])
      expect((await api('GET', `/api/v2/tickets/${ticketId(failed)}`)).status).toBe(404);
    expect((await api('GET', '/api/v2/contacts')).body.map((c: { name: string }) => c.name)).toEqual([
      'User 1',
    ]);
  });
});

describe('migrations: a malformed file fails the migration and writes nothing', () => {
  const cases: [string, MigrationFile, { entity: string; line: number; reason: RegExp }][] = [
    [
      'a truncated NDJSON file',
      inputFile('users', `${JSON.stringify(user(1))}\n{"id": 2, "name": "Cut`),
      { entity: 'users', line: 2, reason: /truncated/ },
    ],
    [
      'a file that is not UTF-8',
      inputFile(
        'users',
        Buffer.concat([
          Buffer.from(`${JSON.stringify(user(1))}\n{"id": 2, "name": "`),
          Buffer.from([0xff, 0xfe, 0x41]),
          Buffer.from('"}\n'),
        ]),
      ),
      { entity: 'users', line: 2, reason: /not UTF-8/ },
    ],
    [
      'a file that is not NDJSON',
      inputFile('users', 'id,name\n1,Ada\n'),
      { entity: 'users', line: 1, reason: /not NDJSON/ },
    ],
  ];

  it.each(cases)('%s', async (_name, bad, failure) => {
    // Prepare: a valid organizations file goes first, so something would be written were it not checked.
    const { migrations, api } = await account();
    const organizations = inputFile('organizations', ndjson({ id: 1, name: 'Org' }));

    // Act
    const done = await migrate(migrations, 'zendesk', [organizations, bad]);

    // Assess
    expect(done.status).toBe('failed');
    expect(done.failure).toMatchObject({ entity: failure.entity, line: failure.line });
    expect(done.failure?.reason).toMatch(failure.reason);
    expect((await api('GET', '/api/v2/companies')).body).toEqual([]);
    expect((await api('GET', '/api/v2/contacts')).body).toEqual([]);
  });

  it('fails a CSV file whose quoted cell never closes', async () => {
    const { migrations, api } = await account();
    const contacts = inputFile(
      'contacts',
      'id,name,email\np-1,Ada,ada@private.example\np-2,"Unclosed,x@private.example\n',
      'csv',
    );

    const done = await migrate(migrations, 'native', [contacts]);

    expect(done).toMatchObject({ status: 'failed', failure: { entity: 'contacts', line: 3 } });
    expect((await api('GET', '/api/v2/contacts')).body).toEqual([]);
  });
});

describe('migrations API: requests', () => {
  it('refuses a start before the files are uploaded (409) and an unknown entity (400)', async () => {
    const { api } = await account();
    const created = await api('POST', '/api/v2/migrations', {
      source: 'native',
      files: [{ entity: 'contacts', format: 'csv' }],
    });
    const early = await api('POST', `/api/v2/migrations/${created.body.id}/start`);
    const unknown = await api('POST', '/api/v2/migrations', {
      source: 'zendesk',
      files: [{ entity: 'contacts' }],
    });

    expect(created.status).toBe(201);
    expect(created.body.files[0].upload_url).toMatch(/^http/);
    expect(created.body.files[0].upload_headers).toEqual({ 'Content-Type': 'text/csv' });
    expect(early.status).toBe(409);
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].field).toBe('files.0.entity');
  });
});
