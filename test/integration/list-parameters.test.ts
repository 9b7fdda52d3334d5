import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { emulatorDocumentClient } from './emulator-clients.ts';
import { type TestAccount, apiCaller, createTestAccount } from './test-accounts.ts';

const platform = inject('localPlatform');
const { url, table } = platform.regions.eea;
const client = emulatorDocumentClient(platform);
const call = apiCaller(url);
/** The agent ids createTestAccount gives the admin and the agent. */
const adminId = 900;
const agentId = 902;
let account: TestAccount;

beforeAll(async () => {
  account = await createTestAccount(client, table, 'eea');
});
afterAll(() => client.destroy());

const email = () => `l-${randomUUID()}@example.test`;
const newTicket = async (extra: Record<string, unknown> = {}) => {
  const created = await call('POST', '/api/v2/tickets', account.keys.admin, {
    subject: 'Listed',
    description: '<p>Words <b>here</b></p>',
    email: email(),
    ...extra,
  });
  expect(created.status).toBe(201);
  return created.body as { id: number; requester_id: number };
};
const listedTickets = async (query: string, key = account.keys.admin) => {
  const response = await call('GET', `/api/v2/tickets?${query}`, key);
  return { ...response, byId: new Map((response.body as { id: number }[]).map((t) => [t.id, t])) };
};

describe('ticket list parameters of Freshdesk v2', () => {
  it('shows descriptions in a list only when asked, and embeds requesters and companies', async () => {
    // Prepare
    const company = await call('POST', '/api/v2/companies', account.keys.admin, {
      name: `Co ${randomUUID()}`,
    });
    const contactEmail = email();
    const contact = await call('POST', '/api/v2/contacts', account.keys.admin, {
      name: 'Embedded Requester',
      email: contactEmail,
      phone: '+31 20 555 0100',
    });
    const ticket = await newTicket({ requester_id: contact.body.id, company_id: company.body.id });
    const other = await newTicket();

    // Act
    const plain = await listedTickets(`requester_id=${contact.body.id}`);
    const described = await listedTickets(`requester_id=${contact.body.id}&include=description`);
    const embedded = await listedTickets('include=requester,company&per_page=100');

    // Assess
    expect(plain.status).toBe(200);
    expect(plain.byId.get(ticket.id)).not.toHaveProperty('description');
    expect(plain.byId.get(ticket.id)).not.toHaveProperty('description_text');
    expect(described.byId.get(ticket.id)).toMatchObject({
      description: '<p>Words <b>here</b></p>',
      description_text: 'Words here',
    });
    expect(embedded.byId.get(ticket.id)).toMatchObject({
      requester: {
        id: contact.body.id,
        name: 'Embedded Requester',
        email: contactEmail,
        phone: '+31 20 555 0100',
        mobile: null,
      },
      company: { id: company.body.id, name: company.body.name },
    });
    expect(embedded.byId.get(other.id)).toMatchObject({ company: null });
  });

  it('embeds the first conversations, the requester and the company in one ticket', async () => {
    // Prepare
    const ticket = await newTicket();
    for (const body of ['first', 'second']) {
      await call('POST', `/api/v2/tickets/${ticket.id}/reply`, account.keys.admin, { body });
    }

    // Act
    const viewed = await call(
      'GET',
      `/api/v2/tickets/${ticket.id}?include=conversations,requester,company`,
      account.keys.admin,
    );
    const plain = await call('GET', `/api/v2/tickets/${ticket.id}`, account.keys.admin);

    // Assess
    expect(viewed.status).toBe(200);
    expect(viewed.body.conversations.map((c: { body: string }) => c.body)).toEqual(['first', 'second']);
    expect(viewed.body.requester).toMatchObject({ id: ticket.requester_id });
    expect(viewed.body.company).toBeNull();
    expect(viewed.body.description).toBe('<p>Words <b>here</b></p>');
    expect(plain.body).not.toHaveProperty('conversations');
    expect(plain.body).not.toHaveProperty('requester');
  });

  it("lists new and the caller's open tickets, and no spam or watched ones", async () => {
    // Prepare
    const unassigned = await newTicket();
    const mine = await newTicket({ responder_id: agentId });
    const others = await newTicket({ responder_id: adminId });
    const pending = await newTicket({ responder_id: agentId, status: 3 });

    // Act
    const open = await listedTickets('filter=new_and_my_open&per_page=100', account.keys.agent);
    const spam = await listedTickets('filter=spam', account.keys.agent);
    const watching = await listedTickets('filter=watching', account.keys.agent);

    // Assess
    expect(open.byId.has(unassigned.id)).toBe(true);
    expect(open.byId.has(mine.id)).toBe(true);
    expect(open.byId.has(others.id)).toBe(false);
    expect(open.byId.has(pending.id)).toBe(false);
    expect(spam.body).toEqual([]);
    expect(watching.body).toEqual([]);
  });

  it('keeps response and status times as stats, changed with the reply or status that changes them', async () => {
    // Prepare
    const ticket = await newTicket();
    const path = `/api/v2/tickets/${ticket.id}`;
    const stats = async () =>
      (await call('GET', `${path}?include=stats`, account.keys.admin)).body.stats as Record<
        string,
        string | null
      >;
    const created = await stats();
    await call('POST', `${path}/notes`, account.keys.admin, { body: 'private thoughts' });
    const afterNote = await stats();
    const reply = await call('POST', `${path}/reply`, account.keys.admin, { body: 'first answer' });
    await call('POST', `${path}/reply`, account.keys.admin, { body: 'second answer' });
    const afterReplies = await stats();
    const incoming = await call('POST', `${path}/notes`, account.keys.admin, {
      body: 'the requester writes back',
      incoming: true,
      user_id: ticket.requester_id,
      private: false,
    });
    await call('PUT', path, account.keys.admin, { status: 4 });
    await call('PUT', path, account.keys.admin, { status: 2 });

    // Act
    const viewed = await call('GET', `${path}?include=stats`, account.keys.admin);
    const listed = await listedTickets(`requester_id=${ticket.requester_id}&include=stats`);

    // Assert
    expect(created).toMatchObject({ first_responded_at: null, status_updated_at: expect.any(String) });
    expect(afterNote).toEqual(created);
    expect(afterReplies.first_responded_at).toBe(reply.body.created_at);
    expect(afterReplies.agent_responded_at! > afterReplies.first_responded_at!).toBe(true);
    expect(viewed.body.stats).toMatchObject({
      first_responded_at: reply.body.created_at,
      requester_responded_at: incoming.body.created_at,
      resolved_at: expect.any(String),
      reopened_at: expect.any(String),
      pending_since: null,
    });
    expect(listed.byId.get(ticket.id)).toMatchObject({ stats: viewed.body.stats });
    expect(viewed.body.updated_at >= incoming.body.created_at).toBe(true);
  });

  it('refuses includes it does not know and parameters v2 does not have, naming them', async () => {
    // Act
    const wrongInclude = await call('GET', '/api/v2/tickets?include=requester,stars', account.keys.admin);
    const viewOnly = await call('GET', '/api/v2/tickets?include=conversations', account.keys.admin);
    const unknown = await call('GET', '/api/v2/tickets?colour=red', account.keys.admin);

    // Assess
    expect(wrongInclude.status).toBe(400);
    expect(wrongInclude.body.errors).toEqual([expect.objectContaining({ field: 'include' })]);
    expect(viewOnly.status).toBe(400);
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(unknown.body.errors)).toContain('colour');
  });
});

describe('contact list parameters of Freshdesk v2', () => {
  it('finds a contact by unique_external_id, through its changes', async () => {
    // Prepare
    const externalId = `crm-${randomUUID()}`;
    const contact = await call('POST', '/api/v2/contacts', account.keys.admin, {
      name: 'External',
      unique_external_id: externalId,
    });
    const find = (id: string) =>
      call('GET', `/api/v2/contacts?unique_external_id=${encodeURIComponent(id)}`, account.keys.admin);

    // Act
    const found = await find(externalId);
    await call('PUT', `/api/v2/contacts/${contact.body.id}`, account.keys.admin, {
      unique_external_id: `${externalId}-2`,
    });
    const old = await find(externalId);
    const renamed = await find(`${externalId}-2`);

    // Assess
    expect(found.status).toBe(200);
    expect(found.body.map((c: { id: number }) => c.id)).toEqual([contact.body.id]);
    expect(old.body).toEqual([]);
    expect(renamed.body.map((c: { id: number }) => c.id)).toEqual([contact.body.id]);
  });

  it('lists contacts by state: none verified or blocked here, every live one unverified', async () => {
    // Prepare
    const contact = await call('POST', '/api/v2/contacts', account.keys.admin, {
      name: 'Stateful',
      email: email(),
    });

    // Act
    const unverified = await call(
      'GET',
      '/api/v2/contacts?state=unverified&per_page=100',
      account.keys.admin,
    );
    const verified = await call('GET', '/api/v2/contacts?state=verified', account.keys.admin);
    const blocked = await call('GET', '/api/v2/contacts?state=blocked', account.keys.admin);
    const unknown = await call('GET', '/api/v2/contacts?state=sleepy', account.keys.admin);

    // Assess
    expect(unverified.body.map((c: { id: number }) => c.id)).toContain(contact.body.id);
    expect(verified.body).toEqual([]);
    expect(blocked.body).toEqual([]);
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([expect.objectContaining({ field: 'state' })]);
  });
});
