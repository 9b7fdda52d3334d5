import { GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { lookupKeyPk } from '../../lambdas/adapters/record-keys.ts';
import { createTestAccount, keyCaller, type TestAgent } from './account-fixture.ts';
import { emulatorDocumentClient } from './emulator-clients.ts';

/**
 * Keyed lookups (docs/encryption.md): after a contact with an e-mail, a phone and a name and a ticket
 * with tags and a type are written through the API, no key and no derived attribute of any item of the
 * account holds one of those values; uniqueness, phone filters, search and autocomplete still work.
 * The records' own personal fields are sealed under their subject's key (docs/encryption.md), so the
 * check reads every attribute of every item, the records' `fields` included.
 */
const platform = inject('localPlatform');
const { url, table } = platform.regions.eea;
const client = emulatorDocumentClient(platform);
const call = keyCaller(url);

const marker = {
  name: 'Quillonia Marrowfeld',
  email: 'quillonia.marrowfeld@example.test',
  phone: '+49 30 7718 2299',
  phoneDigits: '4930771822',
  tag: 'zebrafinchtag',
  type: 'Question',
};
let accountId = '';
let admin: TestAgent;
let contactId = 0;
let ticketId = 0;

/** Every item of the account (the test reads the table whole; the platform never scans). */
async function accountItems(): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: table, ExclusiveStartKey: startKey }));
    items.push(...(page.Items ?? []).filter((item) => String(item.pk).startsWith(`A#${accountId}#`)));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

beforeAll(async () => {
  const account = await createTestAccount(client, table, 'eea', [{ id: 901, role: 'admin' }]);
  accountId = account.id;
  [admin] = account.agents as [TestAgent];
  const contact = await call(admin.key, 'POST', '/api/v2/contacts', {
    name: marker.name,
    email: marker.email,
    phone: marker.phone,
  });
  expect(contact.status).toBe(201);
  contactId = contact.body.id;
  const ticket = await call(admin.key, 'POST', '/api/v2/tickets', {
    subject: 'Keyed lookups',
    description: 'Keyed lookups',
    requester_id: contactId,
    tags: [marker.tag],
    type: marker.type,
  });
  expect(ticket.status).toBe(201);
  ticketId = ticket.body.id;
});
afterAll(() => client.destroy());

describe('keyed lookups', () => {
  it('leave no personal value in any key or derived attribute of any item of the account', async () => {
    // Act
    const items = await accountItems();

    // Assess: the items are there (claims, lookups, prefixes, the key), and hold none of the values.
    const types = new Set(items.map((item) => item.item_type));
    expect([...types]).toEqual(
      expect.arrayContaining(['record', 'unique', 'lookup', 'prefix', 'lookup_key']),
    );
    const text = JSON.stringify(items).toLowerCase();
    for (const value of [
      marker.name,
      'quillonia',
      'marrowfeld',
      marker.email,
      marker.phone,
      marker.phoneDigits,
      marker.tag,
      'keyed lookups',
    ]) {
      expect(text).not.toContain(value.toLowerCase());
    }
    // The ticket's personal fields are sealed under its requester's key; its type is a plain choice.
    const ticket = items.find(
      (item) => item.pk === `A#${accountId}#ticket#${ticketId}` && item.sk === 'RECORD',
    );
    const fields = ticket?.fields as Record<string, unknown>;
    for (const name of ['subject', 'description', 'tags', 'custom_fields']) {
      expect(String(fields[name])).toMatch(new RegExp(`^enc:v1:contact:${contactId}:`));
    }
    expect(fields.type).toBe(marker.type);
  });

  it("keeps the account's lookup key wrapped only, on an account item of the records table", async () => {
    const { Item } = await client.send(
      new GetCommand({ TableName: table, Key: { pk: lookupKeyPk(accountId), sk: 'KEY' } }),
    );

    expect(Item?.item_type).toBe('lookup_key');
    expect(Item?.wrapped_key).toBeInstanceOf(Uint8Array);
    expect(Object.keys(Item ?? {}).sort()).toEqual(['item_type', 'key_version', 'pk', 'sk', 'wrapped_key']);
  });

  it('still refuses a second contact with the same e-mail, and finds by phone, search and autocomplete', async () => {
    const duplicate = await call(admin.key, 'POST', '/api/v2/contacts', {
      name: 'Another',
      email: marker.email.toUpperCase(),
    });
    const byPhone = await call(
      admin.key,
      'GET',
      `/api/v2/contacts?phone=${encodeURIComponent(marker.phone)}`,
    );
    const byEmail = await call(
      admin.key,
      'GET',
      `/api/v2/search/contacts?query=${encodeURIComponent(`"email:'${marker.email}'"`)}`,
    );
    const byTag = await call(
      admin.key,
      'GET',
      `/api/v2/search/tickets?query=${encodeURIComponent(`"tag:'${marker.tag}' AND type:'question'"`)}`,
    );
    const byName = await call(admin.key, 'GET', '/api/v2/contacts/autocomplete?term=quillonia%20m');
    const byEmailStart = await call(admin.key, 'GET', '/api/v2/contacts/autocomplete?term=QUI');

    expect(duplicate.status).toBe(409);
    expect(byPhone.body.map((contact: { id: number }) => contact.id)).toEqual([contactId]);
    expect(byEmail.body.results.map((contact: { id: number }) => contact.id)).toEqual([contactId]);
    expect(byTag.body.results.map((ticket: { id: number }) => ticket.id)).toEqual([ticketId]);
    expect(byName.body).toEqual([{ id: contactId, name: marker.name }]);
    expect(byEmailStart.body).toEqual([{ id: contactId, name: marker.name }]);
  });
});
