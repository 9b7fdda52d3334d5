import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestAccount, keyCaller, type TestAgent } from './account-fixture.ts';
import { emulatorDocumentClient } from './emulator-clients.ts';

/** A ticket's `type` is one of the ticket_type field's choices: v2's five, or those an admin set. */
const platform = inject('localPlatform');
const { url, table } = platform.regions.eea;
const client = emulatorDocumentClient(platform);
const call = keyCaller(url);
const v = '/api/v2';

let admin: TestAgent;
let agent: TestAgent;

const newTicket = (key: string, fields: Record<string, unknown>) =>
  call(key, 'POST', `${v}/tickets`, {
    subject: 'S',
    description: 'D',
    email: 'typed@example.test',
    ...fields,
  });
const typeField = async (key: string) =>
  (
    (await call(key, 'GET', `${v}/ticket_fields`)).body as Array<{
      id: number;
      name: string;
      choices?: unknown;
    }>
  ).find((field) => field.name === 'ticket_type');

beforeAll(async () => {
  const account = await createTestAccount(client, table, 'eea', [
    { id: 971, role: 'admin' },
    { id: 972, role: 'agent' },
  ]);
  [admin, agent] = account.agents as [TestAgent, TestAgent];
});
afterAll(() => client.destroy());

describe("a ticket's type", () => {
  it("shows v2's five choices on the ticket_type field", async () => {
    const field = await typeField(agent.key);

    expect(field?.choices).toEqual([
      { id: 1, value: 'Question', position: 1 },
      { id: 2, value: 'Incident', position: 2 },
      { id: 3, value: 'Problem', position: 3 },
      { id: 4, value: 'Feature Request', position: 4 },
      { id: 5, value: 'Refund', position: 5 },
    ]);
  });

  it('takes one of the choices, and null', async () => {
    const created = await newTicket(agent.key, { type: 'Feature Request' });
    const cleared = await call(agent.key, 'PUT', `${v}/tickets/${created.body.id}`, { type: null });

    expect(created.status).toBe(201);
    expect(created.body.type).toBe('Feature Request');
    expect(cleared.status).toBe(200);
    expect(cleared.body.type).toBeNull();
  });

  it('refuses another value on create and update: 400 invalid_value naming type, nothing written', async () => {
    // Prepare
    const existing = (await newTicket(agent.key, { type: 'Incident' })).body.id as number;

    // Act
    const created = await newTicket(agent.key, { type: 'Bogus' });
    const updated = await call(agent.key, 'PUT', `${v}/tickets/${existing}`, {
      type: 'incident',
      priority: 4,
    });

    // Assess
    for (const answer of [created, updated]) {
      expect(answer.status).toBe(400);
      expect(answer.body.errors).toEqual([
        {
          field: 'type',
          message: 'It should be one of these values: Question,Incident,Problem,Feature Request,Refund',
          code: 'invalid_value',
        },
      ]);
    }
    const after = (await call(agent.key, 'GET', `${v}/tickets/${existing}`)).body;
    expect(after).toMatchObject({ type: 'Incident', priority: 1 });
  });

  it('follows the choices an admin sets through the ticket fields routes', async () => {
    // Prepare
    const field = await typeField(admin.key);
    const byAgent = await call(agent.key, 'PUT', `${v}/admin/ticket_fields/${field?.id}`, {
      choices: [{ value: 'Mine' }],
    });

    // Act
    const changed = await call(admin.key, 'PUT', `${v}/admin/ticket_fields/${field?.id}`, {
      choices: [{ value: 'Question' }, { value: 'Billing' }],
    });
    const billing = await newTicket(agent.key, { type: 'Billing' });
    const incident = await newTicket(agent.key, { type: 'Incident' });

    // Assess
    expect(byAgent.status).toBe(403);
    expect(changed.status).toBe(200);
    expect(changed.body.choices).toEqual([
      { id: 1, value: 'Question', position: 1 },
      { id: 6, value: 'Billing', position: 2 },
    ]);
    expect(billing.status).toBe(201);
    expect(incident.status).toBe(400);
    expect(incident.body.errors[0]).toMatchObject({ field: 'type', code: 'invalid_value' });
  });

  it('refuses choices on a built-in field that has none', async () => {
    const answer = await call(admin.key, 'PUT', `${v}/admin/ticket_fields/2`, { choices: [{ value: 'X' }] });

    expect(answer.status).toBe(400);
    expect(answer.body.errors[0]).toMatchObject({ field: 'choices', code: 'invalid_value' });
  });
});
