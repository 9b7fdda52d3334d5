import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestAccount, keyCaller, type TestAgent } from './account-fixture.ts';
import { emulatorDocumentClient } from './emulator-clients.ts';

/**
 * Company fields (Freshdesk v2): the built-in ones, custom ones admins define at
 * /api/v2/admin/company_fields, and companies' `custom_fields` checked against them.
 */
const platform = inject('localPlatform');
const { url, table } = platform.regions.eea;
const client = emulatorDocumentClient(platform);
const call = keyCaller(url);

let admin: TestAgent;
let agent: TestAgent;

beforeAll(async () => {
  const account = await createTestAccount(client, table, 'eea', [
    { id: 901, role: 'admin' },
    { id: 902, role: 'agent' },
  ]);
  [admin, agent] = account.agents as [TestAgent, TestAgent];
});
afterAll(() => client.destroy());

describe('company fields', () => {
  it("lists v2's built-in company fields to any agent, without customer settings", async () => {
    const listed = await call(agent.key, 'GET', '/api/v2/company_fields');

    expect(listed.status).toBe(200);
    expect(listed.body.map((field: { name: string }) => field.name)).toEqual([
      'name',
      'description',
      'note',
      'domains',
      'health_score',
      'account_tier',
      'renewal_date',
      'industry',
    ]);
    expect(listed.body[0]).toMatchObject({
      id: 1,
      type: 'default_name',
      default: true,
      required_for_agents: true,
    });
    expect(listed.body[0]).not.toHaveProperty('label_for_customers');
    expect(listed.body[0]).not.toHaveProperty('displayed_to_customers');
  });

  it('lets admins alone define, change and delete custom company fields', async () => {
    const refused = await call(agent.key, 'POST', '/api/v2/admin/company_fields', {
      label: 'Refused',
      type: 'custom_text',
    });
    const invalid = await call(admin.key, 'POST', '/api/v2/admin/company_fields', {
      label: 'Tier',
      type: 'custom_dropdown',
    });
    const customerSetting = await call(admin.key, 'POST', '/api/v2/admin/company_fields', {
      label: 'Shown',
      type: 'custom_text',
      displayed_to_customers: true,
    });
    const created = await call(admin.key, 'POST', '/api/v2/admin/company_fields', {
      label: 'Contract value',
      type: 'custom_number',
    });
    const changed = await call(admin.key, 'PUT', `/api/v2/admin/company_fields/${created.body.id}`, {
      label: 'Contract value (EUR)',
    });
    const listed = await call(agent.key, 'GET', '/api/v2/company_fields');
    const deleted = await call(admin.key, 'DELETE', `/api/v2/admin/company_fields/${created.body.id}`);
    const gone = await call(admin.key, 'GET', `/api/v2/admin/company_fields/${created.body.id}`);
    const builtIn = await call(admin.key, 'DELETE', '/api/v2/admin/company_fields/1');

    expect(refused.status).toBe(403);
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors[0]).toMatchObject({ field: 'choices' });
    expect(customerSetting.status).toBe(400);
    expect(customerSetting.body.errors[0]).toMatchObject({ field: 'displayed_to_customers' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'contract_value', type: 'custom_number', default: false });
    expect(changed.body.label).toBe('Contract value (EUR)');
    expect(listed.body.map((field: { name: string }) => field.name)).toContain('contract_value');
    expect(deleted.status).toBe(204);
    expect(gone.status).toBe(404);
    expect(builtIn.status).toBe(400);
  });
});

describe('custom_fields of companies', () => {
  let names: { dropdown: string; date: string };

  beforeAll(async () => {
    const dropdown = await call(admin.key, 'POST', '/api/v2/admin/company_fields', {
      label: 'Plan',
      type: 'custom_dropdown',
      choices: [{ value: 'Free' }, { value: 'Enterprise' }],
    });
    const date = await call(admin.key, 'POST', '/api/v2/admin/company_fields', {
      label: 'Signed on',
      type: 'custom_date',
      required_for_agents: true,
    });
    names = { dropdown: dropdown.body.name, date: date.body.name };
  });

  it('stores values that fit their fields, and an update changes only those it names', async () => {
    const created = await call(admin.key, 'POST', '/api/v2/companies', {
      name: 'Fitting Co',
      custom_fields: { [names.dropdown]: 'Free', [names.date]: '2026-03-01' },
    });
    const updated = await call(agent.key, 'PUT', `/api/v2/companies/${created.body.id}`, {
      custom_fields: { [names.dropdown]: 'Enterprise' },
    });

    expect(created.status).toBe(201);
    expect(updated.status).toBe(200);
    expect(updated.body.custom_fields).toEqual({
      [names.dropdown]: 'Enterprise',
      [names.date]: '2026-03-01',
    });
  });

  it.each([
    ['an undefined field', { unknown_field: 'x' }, 'custom_fields.unknown_field', 'invalid_field'],
    [
      'a value not among the choices',
      { plan: 'Gold', signed_on: '2026-03-01' },
      'custom_fields.plan',
      'invalid_value',
    ],
    ['a malformed date', { signed_on: '1 March' }, 'custom_fields.signed_on', 'invalid_value'],
    ['a required field left out', { plan: 'Free' }, 'custom_fields.signed_on', 'missing_field'],
  ])('answers %s with 400 naming the field, and stores nothing', async (_case, custom, field, code) => {
    const name = `Refused ${field} ${code}`;
    const answer = await call(admin.key, 'POST', '/api/v2/companies', { name, custom_fields: custom });
    const listed = await call(admin.key, 'GET', '/api/v2/companies?per_page=100');

    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field, code })]));
    expect(listed.body.map((company: { name: string }) => company.name)).not.toContain(name);
  });
});
