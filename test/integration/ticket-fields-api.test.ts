import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { emulatorDocumentClient } from './emulator-clients.ts';
import { type TestAccount, apiCaller, createTestAccount } from './test-accounts.ts';

const platform = inject('localPlatform');
const { url, table } = platform.regions.in;
const client = emulatorDocumentClient(platform);
const call = apiCaller(url);
let account: TestAccount;
let other: TestAccount;
let category: { id: number; name: string };

beforeAll(async () => {
  account = await createTestAccount(client, table, 'in');
  other = await createTestAccount(client, table, 'in', ['admin']);
  category = (
    await call('POST', '/api/v2/admin/ticket_fields', account.keys.admin, {
      label: 'Category',
      type: 'custom_dropdown',
      choices: [{ value: 'Refund' }, { value: 'Faulty product' }],
    })
  ).body;
  const reference = await call('POST', '/api/v2/admin/ticket_fields', account.keys.admin, {
    label: 'Order reference',
    type: 'custom_text',
    required_for_agents: true,
  });
  expect(reference.status).toBe(201);
});
afterAll(() => client.destroy());

const ticket = (custom_fields: Record<string, unknown>) => ({
  subject: 'Broken kettle',
  description: 'It leaks',
  email: `t-${randomUUID()}@example.test`,
  custom_fields,
});
const ticketCount = async () =>
  (await call('GET', '/api/v2/tickets?per_page=100', account.keys.admin)).body.length as number;

describe('ticket fields API', () => {
  it('lists built-in and custom ticket fields to every agent; custom names start with cf_', async () => {
    const listed = await call('GET', '/api/v2/ticket_fields', account.keys.agent);

    expect(listed.status).toBe(200);
    const names = listed.body.map((f: { name: string }) => f.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'requester',
        'subject',
        'status',
        'priority',
        'cf_category',
        'cf_order_reference',
      ]),
    );
    expect(listed.body.find((f: { name: string }) => f.name === 'status')).toMatchObject({
      default: true,
      type: 'default_status',
    });
    expect(listed.body.find((f: { name: string }) => f.name === 'cf_category')).toMatchObject({
      id: category.id,
      type: 'custom_dropdown',
      default: false,
      choices: [
        { id: 1, value: 'Refund', position: 1 },
        { id: 2, value: 'Faulty product', position: 2 },
      ],
    });
  });

  it('lets only admins manage ticket fields: 403 for agents and supervisors, nothing changed', async () => {
    const path = `/api/v2/admin/ticket_fields/${category.id}`;
    for (const key of [account.keys.agent, account.keys.supervisor]) {
      expect(
        (await call('POST', '/api/v2/admin/ticket_fields', key, { label: 'Sneaky', type: 'custom_text' }))
          .status,
      ).toBe(403);
      expect((await call('PUT', path, key, { label: 'Renamed' })).status).toBe(403);
      expect((await call('DELETE', path, key)).status).toBe(403);
      expect((await call('GET', '/api/v2/admin/ticket_fields', key)).status).toBe(403);
    }
    expect((await call('GET', path, account.keys.admin)).body.label).toBe('Category');
    expect((await call('GET', '/api/v2/ticket_fields', account.keys.admin)).body).toHaveLength(13);
  });

  it('refuses a field definition without label, or built-in fields hidden or encrypted, with 400', async () => {
    const noLabel = await call('POST', '/api/v2/admin/ticket_fields', account.keys.admin, {
      type: 'custom_text',
    });
    const fields = (await call('GET', '/api/v2/admin/ticket_fields', account.keys.admin)).body as Array<{
      id: number;
      name: string;
    }>;
    const status = fields.find((field) => field.name === 'status');
    const path = `/api/v2/admin/ticket_fields/${status?.id}`;
    const hidden = await call('PUT', path, account.keys.admin, { hidden_from_roles: ['agent'] });
    const encrypted = await call('PUT', path, account.keys.admin, { encrypted: true });

    expect(noLabel.body.errors).toContainEqual(
      expect.objectContaining({ field: 'label', code: 'missing_field' }),
    );
    expect(hidden.status).toBe(400);
    expect(hidden.body.errors).toEqual([
      expect.objectContaining({
        field: 'hidden_from_roles',
        message: 'Only a custom ticket field can be hidden from roles',
      }),
    ]);
    expect(encrypted.status).toBe(400);
    expect(encrypted.body.errors).toEqual([
      expect.objectContaining({ field: 'encrypted', message: 'Only a custom field can be encrypted' }),
    ]);
  });

  it('hides a custom ticket field from the roles an admin names, and never searches an encrypted one', async () => {
    const secret = await call('POST', '/api/v2/admin/ticket_fields', account.keys.admin, {
      label: 'Secret note',
      type: 'custom_text',
      hidden_from_roles: ['agent'],
      encrypted: true,
    });
    expect(secret.status).toBe(201);
    expect(secret.body).toMatchObject({
      name: 'cf_secret_note',
      hidden_from_roles: ['agent'],
      encrypted: true,
    });
    const created = await call(
      'POST',
      '/api/v2/tickets',
      account.keys.admin,
      ticket({ cf_order_reference: 'A-1', cf_secret_note: 'code 1234' }),
    );
    expect(created.status).toBe(201);
    const path = `/api/v2/tickets/${created.body.id}`;

    const byAgent = await call('GET', path, account.keys.agent);
    const bySupervisor = await call('GET', path, account.keys.supervisor);
    const agentWrite = await call('PUT', path, account.keys.agent, {
      custom_fields: { cf_secret_note: 'x' },
    });
    const search = await call(
      'GET',
      `/api/v2/search/tickets?query=${encodeURIComponent(`"cf_secret_note:'code 1234'"`)}`,
      account.keys.admin,
    );

    expect(byAgent.status).toBe(200);
    expect(byAgent.body.custom_fields).not.toHaveProperty('cf_secret_note');
    expect(byAgent.body.custom_fields).toHaveProperty('cf_order_reference', 'A-1');
    expect(bySupervisor.body.custom_fields).toHaveProperty('cf_secret_note', 'code 1234');
    expect(agentWrite.status).toBe(403);
    expect(search.status).toBe(400);
    expect(search.body.errors[0].message).toBe(
      "'cf_secret_note' is encrypted; encrypted fields cannot be searched at position 0",
    );
    expect((await call('GET', path, account.keys.admin)).body.custom_fields).toHaveProperty(
      'cf_secret_note',
      'code 1234',
    );
  });

  it("answers another account's ticket field with 404 and changes nothing", async () => {
    const path = `/api/v2/admin/ticket_fields/${category.id}`;

    expect((await call('GET', path, other.keys.admin)).status).toBe(404);
    expect((await call('PUT', path, other.keys.admin, { label: 'Mine now' })).status).toBe(404);
    expect((await call('DELETE', path, other.keys.admin)).status).toBe(404);
    expect((await call('GET', path, account.keys.admin)).body.label).toBe('Category');
  });
});

describe('custom_fields of tickets', () => {
  it('stores valid custom fields and merges those an update names', async () => {
    const created = await call(
      'POST',
      '/api/v2/tickets',
      account.keys.agent,
      ticket({ cf_category: 'Refund', cf_order_reference: 'A-1' }),
    );
    const updated = await call('PUT', `/api/v2/tickets/${created.body.id}`, account.keys.agent, {
      custom_fields: { cf_category: 'Faulty product' },
    });

    expect(created.status).toBe(201);
    expect(created.body.custom_fields).toEqual({ cf_category: 'Refund', cf_order_reference: 'A-1' });
    expect(updated.body.custom_fields).toEqual({ cf_category: 'Faulty product', cf_order_reference: 'A-1' });
  });

  it.each([
    [
      'an unknown custom field',
      { cf_order_reference: 'A-2', cf_colour: 'red' },
      'custom_fields.cf_colour',
      'invalid_field',
    ],
    [
      'a value that is not a choice',
      { cf_order_reference: 'A-2', cf_category: 'Lost' },
      'custom_fields.cf_category',
      'invalid_value',
    ],
    [
      'a number in a text field',
      { cf_order_reference: 42 },
      'custom_fields.cf_order_reference',
      'datatype_mismatch',
    ],
    [
      'a missing required field',
      { cf_category: 'Refund' },
      'custom_fields.cf_order_reference',
      'missing_field',
    ],
  ])(
    'answers %s with 400 naming the field, and creates neither ticket nor requester',
    async (_case, custom, field, code) => {
      const body = ticket(custom);
      const before = await ticketCount();

      const response = await call('POST', '/api/v2/tickets', account.keys.agent, body);

      expect(response.status).toBe(400);
      expect(response.body.errors).toContainEqual(expect.objectContaining({ field, code }));
      expect(await ticketCount()).toBe(before);
      const requester = await call(
        'GET',
        `/api/v2/contacts?email=${encodeURIComponent(body.email)}`,
        account.keys.admin,
      );
      expect(requester.body).toEqual([]);
    },
  );

  it('refuses an invalid update with 400 and keeps the ticket as it was', async () => {
    const created = await call(
      'POST',
      '/api/v2/tickets',
      account.keys.agent,
      ticket({ cf_order_reference: 'A-3' }),
    );

    const response = await call('PUT', `/api/v2/tickets/${created.body.id}`, account.keys.agent, {
      subject: 'Changed',
      custom_fields: { cf_category: 'Nope' },
    });

    expect(response.status).toBe(400);
    expect(response.body.errors[0].field).toBe('custom_fields.cf_category');
    expect((await call('GET', `/api/v2/tickets/${created.body.id}`, account.keys.agent)).body).toMatchObject({
      subject: 'Broken kettle',
      custom_fields: { cf_order_reference: 'A-3' },
    });
  });

  it('validates against the fields as they are now: a deleted field is unknown', async () => {
    const field = (
      await call('POST', '/api/v2/admin/ticket_fields', account.keys.admin, {
        label: 'Warranty',
        type: 'custom_checkbox',
      })
    ).body;
    await call('DELETE', `/api/v2/admin/ticket_fields/${field.id}`, account.keys.admin);

    const response = await call(
      'POST',
      '/api/v2/tickets',
      account.keys.agent,
      ticket({ cf_order_reference: 'A-4', cf_warranty: true }),
    );

    expect(response.status).toBe(400);
    expect(response.body.errors[0]).toMatchObject({
      field: 'custom_fields.cf_warranty',
      code: 'invalid_field',
    });
  });
});
