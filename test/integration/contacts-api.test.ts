import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DynamoAccountStore } from '../../lambdas/adapters/dynamo-account-store.ts';
import { testAgentProfile } from './account-fixture.ts';
import { DynamoRecordStore } from '../../lambdas/adapters/dynamo-record-store.ts';
import { generateApiKey, hashApiKey } from '../../lambdas/domain/api-key.ts';
import { emulatorDocumentClient } from './emulator-clients.ts';
import { basicAuth } from './http-client.ts';
import { restored, settledPrivacyRequest } from './test-accounts.ts';

const platform = inject('localPlatform');
const { url, apiKey, accountId, table } = platform.regions.eea;
const client = emulatorDocumentClient(platform);
const records = new DynamoRecordStore(client, table);
let otherAccountKey = '';

beforeAll(async () => {
  // A second account in the same region, to prove one account cannot reach another's records.
  otherAccountKey = generateApiKey('eea');
  const otherId = randomUUID();
  await new DynamoAccountStore(client, table).createAccount(
    {
      id: otherId,
      name: 'Other',
      homeRegion: 'eea',
      products: ['helpdesk'],
      createdAt: new Date().toISOString(),
    },
    testAgentProfile(otherId, { id: 424242, role: 'account_admin' }),
    { apiKeyHash: hashApiKey(otherAccountKey), accountId: otherId, agentId: 424242 },
  );
});
afterAll(() => client.destroy());

async function call(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
  key = apiKey,
) {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: {
      authorization: basicAuth(key),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}
const uniqueEmail = () => `c-${randomUUID()}@example.test`;

describe('contacts API', () => {
  it('creates a contact, shows it with an ETag and records who did it in the audit trail', async () => {
    // Prepare
    const email = uniqueEmail();

    // Act
    const created = await call('POST', '/api/v2/contacts', { name: 'Ada Marker', email, tags: ['vip'] });
    const shown = await call('GET', `/api/v2/contacts/${created.body.id}`);

    // Assess
    expect(created.status).toBe(201);
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({
      id: created.body.id,
      name: 'Ada Marker',
      email,
      tags: ['vip'],
      deleted: false,
    });
    expect(shown.headers.get('etag')).toBe(created.headers.get('etag'));
    const trail = await records.auditTrail(accountId, { type: 'contact', id: created.body.id }, 10);
    expect(trail).toEqual([
      expect.objectContaining({ operation: 'create', changedFields: ['email', 'name', 'tags'] }),
    ]);
    expect(JSON.stringify(trail)).not.toContain('Ada Marker');
  });

  it('refuses a second contact with the same e-mail with 409', async () => {
    const email = uniqueEmail();
    await call('POST', '/api/v2/contacts', { name: 'First', email });

    const second = await call('POST', '/api/v2/contacts', { name: 'Second', email: email.toUpperCase() });

    expect(second.status).toBe(409);
    expect(second.body.code).toBe('conflict');
  });

  it('refuses an update made on a stale ETag with 409 and keeps the first update', async () => {
    const created = await call('POST', '/api/v2/contacts', { name: 'Versioned', email: uniqueEmail() });
    const etag = created.headers.get('etag') ?? '';
    const first = await call(
      'PUT',
      `/api/v2/contacts/${created.body.id}`,
      { job_title: 'First' },
      { 'if-match': etag },
    );

    const second = await call(
      'PUT',
      `/api/v2/contacts/${created.body.id}`,
      { job_title: 'Second' },
      { 'if-match': etag },
    );

    expect(first.status).toBe(200);
    expect(second.status).toBe(409);
    expect((await call('GET', `/api/v2/contacts/${created.body.id}`)).body.job_title).toBe('First');
  });

  it('hides a deleted contact from lists, frees its e-mail, and restores it', async () => {
    const email = uniqueEmail();
    const created = await call('POST', '/api/v2/contacts', { name: 'Trash', email });

    // A v2 delete is a soft erasure run as a workflow; the restore undoes it.
    const deleted = await call('DELETE', `/api/v2/contacts/${created.body.id}`);
    expect(deleted.status).toBe(204);
    await settledPrivacyRequest(url, apiKey, deleted);
    expect((await call('GET', `/api/v2/contacts?email=${encodeURIComponent(email)}`)).body).toEqual([]);
    expect((await call('DELETE', `/api/v2/contacts/${created.body.id}`)).status).toBe(404);
    const restore = await call('PUT', `/api/v2/contacts/${created.body.id}/restore`);
    expect(restore.status).toBe(204);
    await settledPrivacyRequest(url, apiKey, restore, restored);
    const found = await call('GET', `/api/v2/contacts?email=${encodeURIComponent(email)}`);

    expect(found.body.map((c: { id: number }) => c.id)).toEqual([created.body.id]);
    const operations = (
      await records.auditTrail(accountId, { type: 'contact', id: created.body.id }, 10)
    ).map((e) => e.operation);
    expect(operations).toEqual(['restore', 'delete', 'create']);
  });

  it('pages through contacts with a link header to the next page', async () => {
    const since = new Date().toISOString();
    for (let i = 0; i < 3; i++)
      await call('POST', '/api/v2/contacts', { name: `Paged ${i}`, email: uniqueEmail() });

    const first = await call('GET', `/api/v2/contacts?per_page=2&updated_since=${since}`);
    const next = first.headers.get('link')?.match(/<([^>]+)>; rel="next"/)?.[1] ?? '';
    const second = await call('GET', new URL(next).pathname + new URL(next).search);

    expect(first.body).toHaveLength(2);
    expect(second.body).toHaveLength(1);
    expect(second.headers.get('link')).toBeNull();
  });

  it.each([
    ['an unknown field', { name: 'X', email: 'x@example.test', shoe_size: 44 }, 'shoe_size', 'invalid_field'],
    ['a missing name', { email: 'x@example.test' }, 'name', 'missing_field'],
    [
      'a wrong type',
      { name: 'X', email: 'x@example.test', view_all_tickets: 'yes' },
      'view_all_tickets',
      'datatype_mismatch',
    ],
    ['an oversize name', { name: 'x'.repeat(256), email: 'x@example.test' }, 'name', 'invalid_value'],
    ['no identifier at all', { name: 'X' }, 'email', 'invalid_value'],
  ])('answers %s with 400 naming the field, and writes nothing', async (_case, body, field, code) => {
    const before = await call('GET', '/api/v2/contacts?per_page=100');

    const response = await call('POST', '/api/v2/contacts', body);

    expect(response.status).toBe(400);
    expect(response.body.errors).toContainEqual(expect.objectContaining({ field, code }));
    expect((await call('GET', '/api/v2/contacts?per_page=100')).body).toHaveLength(before.body.length);
  });

  it('answers malformed JSON and a wrong content type with 400', async () => {
    expect((await call('POST', '/api/v2/contacts', '{"name":')).body.errors[0].code).toBe('invalid_json');
    const wrongType = await call('POST', '/api/v2/contacts', '{}', { 'content-type': 'text/plain' });
    expect(wrongType.status).toBe(400);
  });

  it("answers another account's contact with 404 and changes nothing", async () => {
    const created = await call('POST', '/api/v2/contacts', { name: 'Mine', email: uniqueEmail() });
    const path = `/api/v2/contacts/${created.body.id}`;

    expect((await call('GET', path, undefined, {}, otherAccountKey)).status).toBe(404);
    expect((await call('PUT', path, { name: 'Stolen' }, {}, otherAccountKey)).status).toBe(404);
    expect((await call('DELETE', path, undefined, {}, otherAccountKey)).status).toBe(404);
    expect((await call('GET', path)).body).toMatchObject({ name: 'Mine', deleted: false });
  });

  it('answers ids that cannot exist with 404', async () => {
    expect((await call('GET', '/api/v2/contacts/abc')).status).toBe(404);
    expect((await call('GET', '/api/v2/contacts/99999999999999999999')).status).toBe(404);
  });
});

describe('audit log API', () => {
  it('shows a record its changes newest first, readable and without values', async () => {
    const created = await call('POST', '/api/v2/contacts', { name: 'Audited Marker', email: uniqueEmail() });
    await call('PUT', `/api/v2/contacts/${created.body.id}`, { job_title: 'Marker Title' });

    const log = await call('GET', `/api/v2/audit_log?record_type=contact&record_id=${created.body.id}`);

    expect(log.status).toBe(200);
    expect(log.body.map((e: { operation: string }) => e.operation)).toEqual(['update', 'create']);
    expect(log.body[0].summary).toMatch(
      new RegExp(`^agent \\S+ updated contact ${created.body.id}: job_title$`),
    );
    expect(JSON.stringify(log.body)).not.toContain('Marker');
  });

  it('lists the account changes in a time range across shards', async () => {
    const since = new Date().toISOString();
    const ids: number[] = [];
    for (let i = 0; i < 4; i++)
      ids.push((await call('POST', '/api/v2/contacts', { name: 'T', email: uniqueEmail() })).body.id);

    const log = await call('GET', `/api/v2/audit_log?since=${since}`);

    expect(log.body.map((e: { record_id: number }) => e.record_id).sort()).toEqual([...ids].sort());
  });

  it('needs a record or a time range, and never shows another account', async () => {
    expect((await call('GET', '/api/v2/audit_log')).status).toBe(400);
    const created = await call('POST', '/api/v2/contacts', { name: 'Private', email: uniqueEmail() });
    const other = await call(
      'GET',
      `/api/v2/audit_log?record_type=contact&record_id=${created.body.id}`,
      undefined,
      {},
      otherAccountKey,
    );
    expect(other.body).toEqual([]);
  });
});
