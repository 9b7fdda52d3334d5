import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DynamoRecordStore } from '../../lambdas/adapters/dynamo-record-store.ts';
import { prefixPk } from '../../lambdas/adapters/record-keys.ts';
import { createTestAccount, keyCaller, type TestAgent } from './account-fixture.ts';
import { emulatorDocumentClient } from './emulator-clients.ts';

/**
 * v2's autocomplete of companies (by name) and contacts (by name or e-mail): prefix lookups written in
 * each record's own transaction, read by Query, gone with a rename or a deletion, never another
 * account's.
 */
const platform = inject('localPlatform');
const { url, table } = platform.regions.eea;
const client = emulatorDocumentClient(platform);
const call = keyCaller(url);

let accountId = '';
let admin: TestAgent;
let stranger: TestAgent;
const names = (body: Array<{ name: string }>) => body.map((suggestion) => suggestion.name);

/** The prefix items of one partition (the keyed hash of a beginning): what the autocomplete reads. */
async function prefixItems(type: 'company' | 'contact', name: string, first: string) {
  const hasher = await new DynamoRecordStore(client, table).hasherFor(accountId);
  const { Items = [] } = await client.send(
    new QueryCommand({
      TableName: table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': prefixPk(accountId, type, name, hasher.hash(first)) },
    }),
  );
  return Items.map((item) => item.record_id as number);
}

beforeAll(async () => {
  const account = await createTestAccount(client, table, 'eea', [{ id: 1001, role: 'admin' }]);
  accountId = account.id;
  [admin] = account.agents as [TestAgent];
  [stranger] = (await createTestAccount(client, table, 'eea', [{ id: 1002, role: 'admin' }])).agents as [
    TestAgent,
  ];
});
afterAll(() => client.destroy());

describe('GET /api/v2/companies/autocomplete', () => {
  it('answers the companies whose name begins with the term, whatever its case, in name order', async () => {
    for (const name of ['Zephyr Beta', 'zephyr alpha', 'Other Zephyr']) {
      await call(admin.key, 'POST', '/api/v2/companies', { name });
    }
    await call(stranger.key, 'POST', '/api/v2/companies', { name: 'Zephyr Gamma' });

    const answer = await call(admin.key, 'GET', '/api/v2/companies/autocomplete?name=ZEPH');

    expect(answer.status).toBe(200);
    expect(Object.keys(answer.body)).toEqual(['companies']);
    expect(names(answer.body.companies)).toEqual(['zephyr alpha', 'Zephyr Beta']);
    expect(answer.body.companies[0]).toEqual({ id: expect.any(Number), name: 'zephyr alpha' });
  });

  it('follows a rename and a deletion, in the lookup items themselves', async () => {
    const company = (await call(admin.key, 'POST', '/api/v2/companies', { name: 'Quartz Works' })).body.id;
    await call(admin.key, 'PUT', `/api/v2/companies/${company}`, { name: 'Umber Works' });
    const afterRename = await call(admin.key, 'GET', '/api/v2/companies/autocomplete?name=qua');
    const renamed = await call(admin.key, 'GET', '/api/v2/companies/autocomplete?name=umber%20w');
    const heldBefore = await prefixItems('company', 'name', 'u');

    await call(admin.key, 'DELETE', `/api/v2/companies/${company}`);
    const afterDelete = await call(admin.key, 'GET', '/api/v2/companies/autocomplete?name=umber');

    expect(names(afterRename.body.companies)).toEqual([]);
    expect(await prefixItems('company', 'name', 'q')).toEqual([]);
    expect(names(renamed.body.companies)).toEqual(['Umber Works']);
    expect(heldBefore).toEqual([company]);
    expect(names(afterDelete.body.companies)).toEqual([]);
    expect(await prefixItems('company', 'name', 'u')).toEqual([]);
  });

  it.each([
    ['', 'name'],
    ['?name=', 'name'],
    ['?name=a&colour=red', 'colour'],
  ])('refuses %j with 400 naming %s', async (query, field) => {
    const answer = await call(admin.key, 'GET', `/api/v2/companies/autocomplete${query}`);

    expect(answer.status).toBe(400);
    expect(answer.body.errors[0]).toMatchObject({ field });
  });
});

describe('GET /api/v2/contacts/autocomplete', () => {
  it('answers contacts whose name or e-mail begins with the term, each once', async () => {
    const make = async (name: string, email: string) =>
      (await call(admin.key, 'POST', '/api/v2/contacts', { name, email })).body.id as number;
    const ida = await make('Ida Vernon', 'ida@example.test');
    const vern = await make('Bo Larsen', 'vernon.larsen@example.test');
    const both = await make('Vernon Vernon', 'vernon@example.test');
    await call(stranger.key, 'POST', '/api/v2/contacts', { name: 'Vernon Other', email: 'v@example.test' });

    const byName = await call(admin.key, 'GET', '/api/v2/contacts/autocomplete?term=Ida%20V');
    const byEither = await call(admin.key, 'GET', '/api/v2/contacts/autocomplete?term=vernon');
    await call(admin.key, 'DELETE', `/api/v2/contacts/${both}`);
    let afterDelete = await call(admin.key, 'GET', '/api/v2/contacts/autocomplete?term=vernon');
    // A v2 delete is a soft erasure run as a workflow: the contact leaves once it is done.
    for (const deadline = Date.now() + 30_000; afterDelete.body.length > 1 && Date.now() < deadline;) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      afterDelete = await call(admin.key, 'GET', '/api/v2/contacts/autocomplete?term=vernon');
    }

    expect(byName.body).toEqual([{ id: ida, name: 'Ida Vernon' }]);
    expect(byEither.body).toEqual([
      { id: vern, name: 'Bo Larsen' },
      { id: both, name: 'Vernon Vernon' },
    ]);
    expect(afterDelete.body).toEqual([{ id: vern, name: 'Bo Larsen' }]);
  });

  it('refuses a missing term with 400 naming it', async () => {
    const answer = await call(admin.key, 'GET', '/api/v2/contacts/autocomplete');

    expect(answer.status).toBe(400);
    expect(answer.body.errors[0]).toMatchObject({ field: 'term' });
  });
});
