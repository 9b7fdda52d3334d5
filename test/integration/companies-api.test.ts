import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DynamoAccountStore } from '../../lambdas/adapters/dynamo-account-store.ts';
import { testAgentProfile } from './account-fixture.ts';
import { generateApiKey, hashApiKey } from '../../lambdas/domain/api-key.ts';
import { emulatorDocumentClient } from './emulator-clients.ts';
import { basicAuth } from './http-client.ts';

const platform = inject('localPlatform');
const { url, apiKey, table } = platform.regions.au;
const client = emulatorDocumentClient(platform);
const otherKey = generateApiKey('au');

beforeAll(async () => {
  const otherId = randomUUID();
  await new DynamoAccountStore(client, table).createAccount(
    {
      id: otherId,
      name: 'Other',
      homeRegion: 'au',
      products: ['helpdesk'],
      createdAt: new Date().toISOString(),
    },
    testAgentProfile(otherId, { id: 31, role: 'admin' }),
    { apiKeyHash: hashApiKey(otherKey), accountId: otherId, agentId: 31 },
  );
});
afterAll(() => client.destroy());

async function call(method: string, path: string, body?: unknown, key = apiKey) {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: basicAuth(key), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

describe('companies API', () => {
  it('creates, shows, updates and deletes a company; contacts reference it', async () => {
    const name = `Acme ${randomUUID()}`;

    const created = await call('POST', '/api/v2/companies', {
      name,
      domains: ['acme.test'],
      renewal_date: '2027-01-31',
    });
    const updated = await call('PUT', `/api/v2/companies/${created.body.id}`, { industry: 'Rockets' });
    const contact = await call('POST', '/api/v2/contacts', {
      name: 'Member',
      email: `m-${randomUUID()}@example.test`,
      company_id: created.body.id,
    });
    const members = await call('GET', `/api/v2/contacts?company_id=${created.body.id}`);
    const deleted = await call('DELETE', `/api/v2/companies/${created.body.id}`);

    expect(created.status).toBe(201);
    expect(updated.body).toMatchObject({ name, industry: 'Rockets', domains: ['acme.test'] });
    expect(members.body.map((c: { id: number }) => c.id)).toEqual([contact.body.id]);
    expect(deleted.status).toBe(204);
    expect((await call('GET', `/api/v2/companies/${created.body.id}`)).status).toBe(404);
    expect((await call('GET', `/api/v2/contacts/${contact.body.id}`)).body.company_id).toBe(created.body.id);
  });

  it('refuses a second company of the same name with 409 and bad dates with 400', async () => {
    const name = `Unique ${randomUUID()}`;
    await call('POST', '/api/v2/companies', { name });

    expect((await call('POST', '/api/v2/companies', { name: name.toUpperCase() })).status).toBe(409);
    expect(
      (await call('POST', '/api/v2/companies', { name: 'Dated', renewal_date: '31/01/2027' })).body.errors[0],
    ).toMatchObject({
      field: 'renewal_date',
    });
  });

  it("answers another account's company with 404 and changes nothing", async () => {
    const created = await call('POST', '/api/v2/companies', { name: `Mine ${randomUUID()}` });
    const path = `/api/v2/companies/${created.body.id}`;

    expect((await call('GET', path, undefined, otherKey)).status).toBe(404);
    expect((await call('PUT', path, { name: 'Taken over' }, otherKey)).status).toBe(404);
    expect((await call('DELETE', path, undefined, otherKey)).status).toBe(404);
    expect((await call('GET', path)).body.name).toBe(created.body.name);
  });
});
