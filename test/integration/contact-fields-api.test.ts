import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DynamoRecordStore } from '../../lambdas/adapters/dynamo-record-store.ts';
import { emulatorDocumentClient } from './emulator-clients.ts';
import { type TestAccount, apiCaller, createTestAccount } from './test-accounts.ts';

const platform = inject('localPlatform');
const { url, table } = platform.regions.us;
const client = emulatorDocumentClient(platform);
const records = new DynamoRecordStore(client, table);
const call = apiCaller(url);
let account: TestAccount;
let other: TestAccount;

beforeAll(async () => {
  account = await createTestAccount(client, table, 'us');
  other = await createTestAccount(client, table, 'us', ['admin']);
});
afterAll(() => client.destroy());

const admin = () => account.keys.admin;
const agent = () => account.keys.agent;
const supervisor = () => account.keys.supervisor;
const email = () => `f-${randomUUID()}@example.test`;

interface FieldJson {
  id: number;
  name: string;
  label: string;
  type: string;
  default: boolean;
  hidden_from_roles: string[];
  choices?: { id: number; value: string; position: number }[];
}

async function defineField(body: Record<string, unknown>): Promise<FieldJson> {
  const label = String(body.label);
  const created = await call('POST', '/api/v2/admin/contact_fields', admin(), {
    label_for_customers: label,
    ...body,
  });
  expect(created.status).toBe(201);
  return created.body;
}

async function contactCount(): Promise<number> {
  return (await call('GET', '/api/v2/contacts?per_page=100', admin())).body.length;
}

describe('contact fields API', () => {
  it('lists the built-in contact fields to every agent, as v2 does', async () => {
    const listed = await call('GET', '/api/v2/contact_fields', agent());

    expect(listed.status).toBe(200);
    const byName = new Map<string, FieldJson>(listed.body.map((f: FieldJson) => [f.name, f]));
    for (const name of ['name', 'email', 'phone', 'mobile', 'job_title', 'address', 'company_name']) {
      expect(byName.get(name), name).toMatchObject({ default: true, type: `default_${name}` });
    }
    expect(byName.get('name')).toMatchObject({ id: 1, required_for_agents: true, hidden_from_roles: [] });
  });

  it('lets an admin create custom fields of every type, named from the label, unique per account', async () => {
    const label = `Shoe size ${randomUUID().slice(0, 8)}`;

    const created = await call('POST', '/api/v2/admin/contact_fields', admin(), {
      label,
      label_for_customers: label,
      type: 'custom_number',
    });
    const again = await call('POST', '/api/v2/admin/contact_fields', admin(), {
      label: label.toUpperCase(),
      label_for_customers: label,
      type: 'custom_text',
    });
    const dropdown = await defineField({
      label: `Tier ${randomUUID().slice(0, 8)}`,
      type: 'custom_dropdown',
      choices: [{ value: 'Gold' }, { value: 'Silver' }],
    });
    const listed = await call('GET', '/api/v2/contact_fields', agent());

    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: label.toLowerCase().replaceAll(' ', '_').replaceAll('-', '_'),
      type: 'custom_number',
      default: false,
    });
    expect(created.headers.get('location')).toBe(`/api/v2/admin/contact_fields/${created.body.id}`);
    expect(again.status).toBe(409);
    expect(dropdown.choices).toEqual([
      { id: 1, value: 'Gold', position: 1 },
      { id: 2, value: 'Silver', position: 2 },
    ]);
    expect(listed.body.map((f: FieldJson) => f.id)).toEqual(
      expect.arrayContaining([created.body.id, dropdown.id]),
    );
    const trail = await records.auditTrail(account.id, { type: 'contact_field', id: created.body.id }, 5);
    expect(trail).toEqual([expect.objectContaining({ operation: 'create' })]);
  });

  it.each([
    ['no type', { label: 'X', label_for_customers: 'X' }, 'type', 'missing_field'],
    [
      'an unknown type',
      { label: 'X', label_for_customers: 'X', type: 'custom_blob' },
      'type',
      'invalid_value',
    ],
    [
      'a dropdown without choices',
      { label: 'X', label_for_customers: 'X', type: 'custom_dropdown' },
      'choices',
      'invalid_value',
    ],
    [
      'choices on a text field',
      { label: 'X', label_for_customers: 'X', type: 'custom_text', choices: [{ value: 'a' }] },
      'choices',
      'invalid_value',
    ],
    [
      'a label without letters',
      { label: '!!!', label_for_customers: 'X', type: 'custom_text' },
      'label',
      'invalid_value',
    ],
    [
      'a role that cannot be hidden from',
      { label: 'X', label_for_customers: 'X', type: 'custom_text', hidden_from_roles: ['admin'] },
      'hidden_from_roles.0',
      'invalid_value',
    ],
    [
      'an unknown property',
      { label: 'X', label_for_customers: 'X', type: 'custom_text', colour: 'red' },
      'colour',
      'invalid_field',
    ],
  ])('answers %s with 400 naming the field and defines nothing', async (_case, body, field, code) => {
    const before = (await call('GET', '/api/v2/contact_fields', admin())).body.length;

    const response = await call('POST', '/api/v2/admin/contact_fields', admin(), body);

    expect(response.status).toBe(400);
    expect(response.body.errors).toContainEqual(expect.objectContaining({ field, code }));
    expect((await call('GET', '/api/v2/contact_fields', admin())).body).toHaveLength(before);
  });

  it('refuses a name taken by a built-in field with 409', async () => {
    const response = await call('POST', '/api/v2/admin/contact_fields', admin(), {
      label: 'Phone',
      label_for_customers: 'Phone',
      type: 'custom_text',
    });

    expect(response.status).toBe(409);
  });

  it('lets only admins manage definitions: agents and supervisors get 403 and change nothing', async () => {
    const field = await defineField({ label: `Guarded ${randomUUID().slice(0, 8)}`, type: 'custom_text' });
    const path = `/api/v2/admin/contact_fields/${field.id}`;

    for (const key of [agent(), supervisor()]) {
      expect((await call('GET', '/api/v2/admin/contact_fields', key)).status).toBe(403);
      expect((await call('GET', path, key)).status).toBe(403);
      expect(
        (
          await call('POST', '/api/v2/admin/contact_fields', key, {
            label: 'Y',
            label_for_customers: 'Y',
            type: 'custom_text',
          })
        ).status,
      ).toBe(403);
      expect((await call('PUT', path, key, { label: 'Taken over' })).status).toBe(403);
      expect(
        (await call('PUT', '/api/v2/admin/contact_fields/4', key, { hidden_from_roles: [] })).status,
      ).toBe(403);
      expect((await call('DELETE', path, key)).status).toBe(403);
    }
    expect((await call('GET', path, admin())).body.label).toBe(field.label);
  });

  it('updates a definition conditionally on its ETag and renumbers dropdown choices keeping their ids', async () => {
    const field = await defineField({
      label: `Plan ${randomUUID().slice(0, 8)}`,
      type: 'custom_dropdown',
      choices: [{ value: 'Basic' }, { value: 'Pro' }],
    });
    const path = `/api/v2/admin/contact_fields/${field.id}`;
    const read = await call('GET', path, admin());

    const updated = await fetch(`${url}${path}`, {
      method: 'PUT',
      headers: {
        authorization: `Basic ${Buffer.from(`${admin()}:X`).toString('base64')}`,
        'content-type': 'application/json',
        'if-match': read.headers.get('etag') ?? '',
      },
      body: JSON.stringify({ choices: [{ value: 'Pro' }, { value: 'Enterprise' }], label: 'Plan' }),
    });
    const stale = await fetch(`${url}${path}`, {
      method: 'PUT',
      headers: {
        authorization: `Basic ${Buffer.from(`${admin()}:X`).toString('base64')}`,
        'content-type': 'application/json',
        'if-match': read.headers.get('etag') ?? '',
      },
      body: JSON.stringify({ label: 'Lost' }),
    });

    expect(updated.status).toBe(200);
    expect(((await updated.json()) as FieldJson).choices).toEqual([
      { id: 2, value: 'Pro', position: 1 },
      { id: 3, value: 'Enterprise', position: 2 },
    ]);
    expect(stale.status).toBe(409);
    expect((await call('GET', path, admin())).body).toMatchObject({ label: 'Plan', name: field.name });
  });

  it('deletes a custom field but never a built-in one', async () => {
    const field = await defineField({
      label: `Temporary ${randomUUID().slice(0, 8)}`,
      type: 'custom_checkbox',
    });

    expect((await call('DELETE', `/api/v2/admin/contact_fields/${field.id}`, admin())).status).toBe(204);
    expect((await call('GET', `/api/v2/admin/contact_fields/${field.id}`, admin())).status).toBe(404);
    expect(
      (await call('GET', '/api/v2/contact_fields', admin())).body.map((f: FieldJson) => f.id),
    ).not.toContain(field.id);
    const builtIn = await call('DELETE', '/api/v2/admin/contact_fields/1', admin());
    expect(builtIn.status).toBe(400);
    expect((await call('GET', '/api/v2/admin/contact_fields/1', admin())).status).toBe(200);
  });

  it("answers another account's field definitions with 404 and changes nothing", async () => {
    const field = await defineField({ label: `Private ${randomUUID().slice(0, 8)}`, type: 'custom_text' });
    const path = `/api/v2/admin/contact_fields/${field.id}`;
    const theirs = other.keys.admin;

    expect((await call('GET', path, theirs)).status).toBe(404);
    expect((await call('PUT', path, theirs, { label: 'Taken over' })).status).toBe(404);
    expect((await call('DELETE', path, theirs)).status).toBe(404);
    expect(
      (await call('GET', '/api/v2/contact_fields', theirs)).body.map((f: FieldJson) => f.id),
    ).not.toContain(field.id);
    expect((await call('GET', path, admin())).body.label).toBe(field.label);
  });
});

describe('custom_fields of contacts', () => {
  let names: Record<'text' | 'number' | 'decimal' | 'checkbox' | 'date' | 'dropdown' | 'required', string>;

  beforeAll(async () => {
    const suffix = randomUUID().slice(0, 6);
    const define = async (label: string, type: string, extra: Record<string, unknown> = {}) =>
      (await defineField({ label: `${label} ${suffix}`, type, ...extra })).name;
    names = {
      text: await define('Nickname', 'custom_text'),
      number: await define('Seats', 'custom_number'),
      decimal: await define('Balance', 'custom_decimal'),
      checkbox: await define('Newsletter', 'custom_checkbox'),
      date: await define('Birthday', 'custom_date'),
      dropdown: await define('Segment', 'custom_dropdown', {
        choices: [{ value: 'SMB' }, { value: 'Enterprise' }],
      }),
      required: await define('Customer number', 'custom_text', { required_for_agents: true }),
    };
  });

  it('stores and returns custom fields of every type, and an update changes only those it names', async () => {
    const custom_fields = {
      [names.text]: 'Ada',
      [names.number]: 12,
      [names.decimal]: 12.5,
      [names.checkbox]: true,
      [names.date]: '1990-12-10',
      [names.dropdown]: 'SMB',
      [names.required]: 'C-1',
    };

    const created = await call('POST', '/api/v2/contacts', agent(), {
      name: 'Custom',
      email: email(),
      custom_fields,
    });
    const updated = await call('PUT', `/api/v2/contacts/${created.body.id}`, agent(), {
      custom_fields: { [names.dropdown]: 'Enterprise', [names.text]: null },
    });

    expect(created.status).toBe(201);
    expect(created.body.custom_fields).toEqual(custom_fields);
    expect(updated.body.custom_fields).toEqual({
      ...custom_fields,
      [names.dropdown]: 'Enterprise',
      [names.text]: null,
    });
    expect((await call('GET', `/api/v2/contacts/${created.body.id}`, agent())).body.custom_fields).toEqual(
      updated.body.custom_fields,
    );
  });

  it.each([
    ['an unknown custom field', { shoe_size: 44 }, 'shoe_size', 'invalid_field'],
    ['text where a number belongs', { number: 'twelve' }, 'number', 'datatype_mismatch'],
    ['a fraction where an integer belongs', { number: 1.5 }, 'number', 'datatype_mismatch'],
    ['a string where a checkbox belongs', { checkbox: 'yes' }, 'checkbox', 'datatype_mismatch'],
    ['an impossible date', { date: '2026-02-30' }, 'date', 'invalid_value'],
    ['a value that is not a choice', { dropdown: 'Huge' }, 'dropdown', 'invalid_value'],
    ['oversize text', { text: 'x'.repeat(256) }, 'text', 'invalid_value'],
  ])(
    'answers %s with 400 naming custom_fields.<name>, and writes nothing',
    async (_case, values, key, code) => {
      const field = names[key as keyof typeof names] ?? key;
      const custom = Object.fromEntries(
        Object.entries(values).map(([k, v]) => [names[k as keyof typeof names] ?? k, v]),
      );
      const before = await contactCount();

      const response = await call('POST', '/api/v2/contacts', agent(), {
        name: 'Invalid',
        email: email(),
        custom_fields: { [names.required]: 'C-2', ...custom },
      });

      expect(response.status).toBe(400);
      expect(response.body.errors).toContainEqual(
        expect.objectContaining({ field: `custom_fields.${field}`, code }),
      );
      expect(await contactCount()).toBe(before);
    },
  );

  it('requires a field required for agents on create, and refuses to blank it on update', async () => {
    const before = await contactCount();

    const missing = await call('POST', '/api/v2/contacts', agent(), { name: 'No number', email: email() });
    const created = await call('POST', '/api/v2/contacts', agent(), {
      name: 'Numbered',
      email: email(),
      custom_fields: { [names.required]: 'C-3' },
    });
    const blanked = await call('PUT', `/api/v2/contacts/${created.body.id}`, agent(), {
      custom_fields: { [names.required]: '' },
    });
    const otherChange = await call('PUT', `/api/v2/contacts/${created.body.id}`, agent(), {
      job_title: 'Buyer',
    });

    expect(missing.status).toBe(400);
    expect(missing.body.errors).toContainEqual({
      field: `custom_fields.${names.required}`,
      message: 'It should be specified',
      code: 'missing_field',
    });
    expect(await contactCount()).toBe(before + 1);
    expect(blanked.status).toBe(400);
    expect(blanked.body.errors[0].field).toBe(`custom_fields.${names.required}`);
    expect(otherChange.status).toBe(200);
    expect(otherChange.body.custom_fields[names.required]).toBe('C-3');
  });
});

describe('contact fields hidden from roles (our addition)', () => {
  let salary: string;
  let contactId: number;

  beforeAll(async () => {
    salary = (
      await defineField({
        label: `Salary ${randomUUID().slice(0, 6)}`,
        type: 'custom_number',
        hidden_from_roles: ['agent'],
      })
    ).name;
    // The built-in phone field (id 4) hidden from agents too.
    const phone = await call('PUT', '/api/v2/admin/contact_fields/4', admin(), {
      hidden_from_roles: ['agent'],
    });
    expect(phone.body).toMatchObject({ name: 'phone', default: true, hidden_from_roles: ['agent'] });
    const created = await call('POST', '/api/v2/contacts', admin(), {
      name: 'Hidden details',
      email: email(),
      phone: '+1 555 0100',
      custom_fields: { [salary]: 90_000, [await requiredName()]: 'C-9' },
    });
    expect(created.status).toBe(201);
    contactId = created.body.id;
  });

  /** The field earlier tests made required for agents, if any (a fresh file run has it). */
  async function requiredName(): Promise<string> {
    const fields = (await call('GET', '/api/v2/contact_fields', admin())).body as (FieldJson & {
      required_for_agents: boolean;
    })[];
    return fields.find((f) => !f.default && f.required_for_agents)?.name ?? 'none';
  }

  it('leaves hidden fields out of every contact answer for the hidden role, not for others', async () => {
    const path = `/api/v2/contacts/${contactId}`;

    const asAgent = await call('GET', path, agent());
    const listed = await call('GET', '/api/v2/contacts?per_page=100', agent());
    const updated = await call('PUT', path, agent(), { job_title: 'Engineer' });
    const asSupervisor = await call('GET', path, supervisor());
    const asAdmin = await call('GET', path, admin());

    expect(asAgent.status).toBe(200);
    expect(asAgent.body).not.toHaveProperty('phone');
    expect(asAgent.body.custom_fields).not.toHaveProperty(salary);
    const inList = listed.body.find((c: { id: number }) => c.id === contactId);
    expect(inList).not.toHaveProperty('phone');
    expect(inList.custom_fields).not.toHaveProperty(salary);
    expect(updated.body).not.toHaveProperty('phone');
    expect(JSON.stringify([asAgent.body, listed.body, updated.body])).not.toContain('555 0100');
    expect(asSupervisor.body).toMatchObject({ phone: '+1 555 0100', custom_fields: { [salary]: 90_000 } });
    expect(asAdmin.body).toMatchObject({
      phone: '+1 555 0100',
      job_title: 'Engineer',
      custom_fields: { [salary]: 90_000 },
    });
  });

  it('refuses the hidden role a write or a filter on a hidden field with 403 naming it, and writes nothing', async () => {
    const before = await contactCount();
    const path = `/api/v2/contacts/${contactId}`;

    const create = await call('POST', '/api/v2/contacts', agent(), {
      name: 'X',
      email: email(),
      phone: '123',
    });
    const update = await call('PUT', path, agent(), { custom_fields: { [salary]: 1 } });
    const filter = await call('GET', `/api/v2/contacts?phone=${encodeURIComponent('+1 555 0100')}`, agent());

    expect(create.status).toBe(403);
    expect(create.body.errors).toEqual([expect.objectContaining({ field: 'phone', code: 'access_denied' })]);
    expect(update.status).toBe(403);
    expect(update.body.errors[0].field).toBe(`custom_fields.${salary}`);
    expect(filter.status).toBe(403);
    expect(await contactCount()).toBe(before);
    expect((await call('GET', path, admin())).body.custom_fields[salary]).toBe(90_000);
  });

  it('never hides the name or the e-mail', async () => {
    const name = await call('PUT', '/api/v2/admin/contact_fields/1', admin(), {
      hidden_from_roles: ['agent'],
    });
    const mail = await call('PUT', '/api/v2/admin/contact_fields/3', admin(), {
      hidden_from_roles: ['supervisor'],
    });

    expect(name.status).toBe(400);
    expect(name.body.errors[0].field).toBe('hidden_from_roles');
    expect(mail.status).toBe(400);
  });

  it('marks custom fields encrypted (never a built-in one), and refuses to search them', async () => {
    const field = await defineField({ label: 'Health note', type: 'custom_text', encrypted: true });
    const builtIn = await call('PUT', '/api/v2/admin/contact_fields/1', admin(), { encrypted: true });
    const plain = await call('GET', '/api/v2/admin/contact_fields/1', admin());
    const search = await call(
      'GET',
      `/api/v2/search/contacts?query=${encodeURIComponent(`"health_note:'x' OR email:'a@b.test'"`)}`,
      admin(),
    );

    expect(field).toMatchObject({ name: 'health_note', encrypted: true });
    expect(builtIn.status).toBe(400);
    expect(builtIn.body.errors[0]).toMatchObject({
      field: 'encrypted',
      message: 'Only a custom field can be encrypted',
    });
    expect(plain.body).toMatchObject({ name: 'name', encrypted: false });
    expect(search.status).toBe(400);
    expect(search.body.errors[0].message).toBe(
      "'health_note' is encrypted; encrypted fields cannot be searched at position 0",
    );
    const off = await call('PUT', `/api/v2/admin/contact_fields/${field.id}`, admin(), { encrypted: false });
    expect(off.body).toMatchObject({ encrypted: false });
  });
});
