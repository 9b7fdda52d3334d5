import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { requesterRoutes } from '../../lambdas/http/requester-routes.ts';
import { emulatorDocumentClient } from './emulator-clients.ts';
import { basicAuth } from './http-client.ts';
import { createTestAccount, type TestAccount } from './test-accounts.ts';

/**
 * What a requester (a contact with a portal token) sees and may write, route by route of the requester
 * allow-list, against what an agent's key sees of the same records: public conversations only, without
 * bcc/notify e-mails nor the files of private notes; no agent-internal ticket, contact or rating
 * fields; custom fields as their `displayed_for_customers` / `customers_can_edit` settings say.
 * docs/api.md "Roles"; docs/requester-access.md.
 */
const platform = inject('localPlatform');
const { url, table } = platform.regions.eea;
const client = emulatorDocumentClient(platform);
let account: TestAccount;
let me: number;
let myTicket: number;
let token: string;

type Json = Record<string, unknown>;
type Answer = { status: number; headers: Headers; body: any }; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Calls the API as the requester (the portal token) or with an agent's key; JSON or multipart bodies. */
async function send(
  credential: { token: string } | { key: string },
  method: string,
  path: string,
  body?: unknown,
) {
  const json = body !== undefined && !(body instanceof FormData);
  const response = await fetch(path.startsWith('http') ? path : `${url}${path}`, {
    method,
    headers: {
      authorization: 'token' in credential ? `Bearer ${credential.token}` : basicAuth(credential.key),
      ...(json ? { 'content-type': 'application/json' } : {}),
    },
    body: json ? JSON.stringify(body) : (body as FormData | undefined),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}
const asRequester = (method: string, path: string, body?: unknown): Promise<Answer> =>
  send({ token }, method, path, body);
const asAgent = (method: string, path: string, body?: unknown): Promise<Answer> =>
  send({ key: account.keys.agent }, method, path, body);
const asAdmin = (method: string, path: string, body?: unknown): Promise<Answer> =>
  send({ key: account.keys.admin }, method, path, body);

const withFile = (fields: Json, name: string) => {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) data.append(key, String(value));
  data.append('attachments[]', new Blob([Buffer.from(`bytes of ${name}`)], { type: 'text/plain' }), name);
  return data;
};

/** Every page of a list, following the `link` header as a client does. */
async function allPages(get: (path: string) => Promise<Answer>, first: string) {
  const pages: Answer[] = [];
  for (let next: string | undefined = first; next;) {
    const page = await get(next);
    pages.push(page);
    next = page.headers.get('link')?.match(/<([^>]+)>/)?.[1];
  }
  return pages;
}

const ids = (records: Array<{ id: number }>) => records.map((record) => record.id);

/** Ticket fields: shown and editable, shown only, hidden from customers. */
const ticketFields = {
  editable: `cf_order_${randomUUID().slice(0, 6)}`,
  shownOnly: `cf_warranty_${randomUUID().slice(0, 6)}`,
  hidden: `cf_fraud_${randomUUID().slice(0, 6)}`,
};
/** Contact fields: shown and editable, shown only, hidden from customers. */
const contactFields = {
  editable: `nickname_${randomUUID().slice(0, 6)}`,
  shownOnly: `loyalty_${randomUUID().slice(0, 6)}`,
  hidden: `risk_${randomUUID().slice(0, 6)}`,
};
/** Keys of a ticket the helpdesk keeps to itself (v2 shows them to agents). */
const internalTicketKeys = [
  'tags',
  'group_id',
  'responder_id',
  'due_by',
  'fr_due_by',
  'is_escalated',
  'spam',
];

async function defineFields(kind: 'ticket' | 'contact', names: Record<keyof typeof ticketFields, string>) {
  const settings = {
    editable: {},
    shownOnly: { customers_can_edit: false },
    hidden: { [kind === 'ticket' ? 'displayed_to_customers' : 'displayed_for_customers']: false },
  };
  for (const [which, name] of Object.entries(names) as Array<[keyof typeof settings, string]>) {
    const label = name.replace(/^cf_/, '');
    const created = await asAdmin('POST', `/api/v2/admin/${kind}_fields`, {
      label,
      label_for_customers: label,
      type: 'custom_text',
      ...settings[which],
    });
    expect(created.status, name).toBe(201);
    expect(created.body.name).toBe(name);
  }
}

const customValues = (names: Record<string, string>) =>
  Object.fromEntries(Object.values(names).map((name) => [name, `value of ${name}`]));

beforeAll(async () => {
  account = await createTestAccount(client, table, 'eea');
  await defineFields('ticket', ticketFields);
  await defineFields('contact', contactFields);
  me = (
    await asAdmin('POST', '/api/v2/contacts', {
      name: 'Requester',
      email: `me-${randomUUID()}@example.test`,
      phone: '+49 30 1',
      tags: ['difficult'],
      description: 'Shouts on the phone',
      unique_external_id: `crm-${randomUUID()}`,
      custom_fields: customValues(contactFields),
    })
  ).body.id;
  myTicket = (
    await asAdmin('POST', '/api/v2/tickets', {
      subject: 'Help',
      description: 'Please',
      requester_id: me,
      responder_id: 902,
      group_id: 7,
      tags: ['refund-abuse'],
      due_by: '2030-01-01T00:00:00Z',
      custom_fields: customValues(ticketFields),
    })
  ).body.id;
  const issued = await asAdmin('POST', `/api/v2/contacts/${me}/portal_token`);
  expect(issued.status).toBe(201);
  token = issued.body.token;
});
afterAll(() => client.destroy());

/** The routes below, one describe each: a route added to the allow-list without its test fails here. */
const testedRoutes = [
  'GET /api/v2/contacts/{id}',
  'PUT /api/v2/contacts/{id}',
  'GET /api/v2/tickets',
  'POST /api/v2/tickets',
  'GET /api/v2/tickets/{id}',
  'GET /api/v2/tickets/{id}/conversations',
  'POST /api/v2/tickets/{id}/reply',
  'POST /api/v2/tickets/{id}/satisfaction_ratings',
];

it('tests every route a requester may call', () => {
  expect([...requesterRoutes].sort()).toEqual([...testedRoutes].sort());
});

describe('GET /api/v2/tickets/{id}/conversations', () => {
  it('shows a requester public conversations only, without bcc or notify e-mails or private files', async () => {
    // Prepare
    const ticket = (
      await asAdmin('POST', '/api/v2/tickets', { subject: 'Q', description: 'D', requester_id: me })
    ).body.id;
    const reply = await asAgent('POST', `/api/v2/tickets/${ticket}/reply`, {
      body: 'We are on it',
      cc_emails: ['cc@example.test'],
      bcc_emails: ['boss@example.test'],
    });
    const privateNote = await asAgent(
      'POST',
      `/api/v2/tickets/${ticket}/notes`,
      withFile({ body: 'Customer is lying', 'notify_emails[]': 'fraud@example.test' }, 'evidence.txt'),
    );
    const publicNote = await asAgent(
      'POST',
      `/api/v2/tickets/${ticket}/notes`,
      withFile(
        { body: 'Here is the manual', private: 'false', 'notify_emails[]': 'team@example.test' },
        'manual.txt',
      ),
    );
    const myReply = await asRequester('POST', `/api/v2/tickets/${ticket}/reply`, { body: 'Thanks' });
    expect([reply, privateNote, publicNote, myReply].map((answer) => answer.status)).toEqual([
      201, 201, 201, 201,
    ]);
    const privateFile = privateNote.body.attachments[0];

    // Act
    const agentView = await asAgent('GET', `/api/v2/tickets/${ticket}/conversations`);
    const requesterView = await asRequester('GET', `/api/v2/tickets/${ticket}/conversations`);
    const privateFileAsRequester = await asRequester('GET', `/api/v2/attachments/${privateFile.id}`);
    const privateFileAsAgent = await asAgent('GET', `/api/v2/attachments/${privateFile.id}`);

    // Assess
    expect(ids(agentView.body)).toEqual(ids([reply.body, privateNote.body, publicNote.body, myReply.body]));
    expect(agentView.body[0].bcc_emails).toEqual(['boss@example.test']);
    expect(agentView.body[1]).toMatchObject({ private: true, notify_emails: ['fraud@example.test'] });
    expect(agentView.body[1].attachments).toEqual([expect.objectContaining({ name: 'evidence.txt' })]);
    expect(requesterView.status).toBe(200);
    expect(ids(requesterView.body)).toEqual(ids([reply.body, publicNote.body, myReply.body]));
    for (const conversation of requesterView.body) {
      expect(conversation).not.toHaveProperty('bcc_emails');
      expect(conversation).not.toHaveProperty('notify_emails');
      expect(conversation.private).toBe(false);
    }
    expect(requesterView.body[0].cc_emails).toEqual(['cc@example.test']);
    expect(requesterView.body[1].attachments).toEqual([expect.objectContaining({ name: 'manual.txt' })]);
    const shown = JSON.stringify(requesterView.body);
    for (const secret of ['Customer is lying', 'evidence.txt', 'fraud@example.test', 'boss@example.test']) {
      expect(shown).not.toContain(secret);
    }
    expect(privateFileAsRequester.status).toBe(403);
    expect(privateFileAsAgent.status).toBe(200);
  });

  it('pages over public conversations only: every page full, no hint of the private notes', async () => {
    // Prepare
    const ticket = (
      await asAdmin('POST', '/api/v2/tickets', { subject: 'Paging', description: 'D', requester_id: me })
    ).body.id;
    const publicOnes: number[] = [];
    for (const index of [1, 2, 3]) {
      for (const note of ['first', 'second']) {
        await asAgent('POST', `/api/v2/tickets/${ticket}/notes`, { body: `Private ${note} before ${index}` });
      }
      publicOnes.push(
        (await asAgent('POST', `/api/v2/tickets/${ticket}/reply`, { body: `Reply ${index}` })).body.id,
      );
    }
    const path = `/api/v2/tickets/${ticket}/conversations?per_page=2`;

    // Act
    const requesterPages = await allPages((next) => asRequester('GET', next), path);
    const agentPages = await allPages((next) => asAgent('GET', next), path);

    // Assess
    expect(requesterPages.map((page) => page.status)).toEqual([200, 200]);
    expect(requesterPages.map((page) => page.body.length)).toEqual([2, 1]);
    expect(requesterPages.flatMap((page) => ids(page.body))).toEqual(publicOnes);
    expect(agentPages.map((page) => page.body.length)).toEqual([2, 2, 2, 2, 1]);
  });

  it('answers 404 for the conversations of their ticket once it is deleted', async () => {
    // Prepare
    const ticket = (
      await asAdmin('POST', '/api/v2/tickets', { subject: 'Spam', description: 'D', requester_id: me })
    ).body.id;
    await asAgent('POST', `/api/v2/tickets/${ticket}/reply`, { body: 'Before deletion' });
    await asAdmin('DELETE', `/api/v2/tickets/${ticket}`);

    // Act
    const requesterView = await asRequester('GET', `/api/v2/tickets/${ticket}/conversations`);
    const agentView = await asAgent('GET', `/api/v2/tickets/${ticket}/conversations`);

    // Assess
    expect(requesterView.status).toBe(404);
    expect(agentView.status).toBe(200);
  });
});

describe('GET /api/v2/tickets/{id}', () => {
  it('hides the helpdesk-internal fields and the custom fields not displayed to customers', async () => {
    // Act
    const agentView = await asAgent('GET', `/api/v2/tickets/${myTicket}`);
    const requesterView = await asRequester('GET', `/api/v2/tickets/${myTicket}`);

    // Assess
    expect(agentView.body).toMatchObject({ responder_id: 902, group_id: 7, tags: ['refund-abuse'] });
    expect(Object.keys(agentView.body)).toEqual(expect.arrayContaining(internalTicketKeys));
    expect(agentView.body.custom_fields).toEqual(customValues(ticketFields));
    expect(requesterView.status).toBe(200);
    expect(requesterView.body).toMatchObject({ id: myTicket, subject: 'Help', status: 2, requester_id: me });
    for (const key of internalTicketKeys) expect(requesterView.body, key).not.toHaveProperty(key);
    expect(requesterView.body.custom_fields).toEqual({
      [ticketFields.editable]: `value of ${ticketFields.editable}`,
      [ticketFields.shownOnly]: `value of ${ticketFields.shownOnly}`,
    });
  });

  it('shows the agent once an admin displays the built-in agent field to customers', async () => {
    // Prepare
    const ticket = (
      await asAdmin('POST', '/api/v2/tickets', {
        subject: 'Assigned',
        description: 'D',
        requester_id: me,
        responder_id: 902,
      })
    ).body.id;
    const before = await asRequester('GET', `/api/v2/tickets/${ticket}`);
    const shown = await asAdmin('PUT', '/api/v2/admin/ticket_fields/8', { displayed_to_customers: true });

    // Act
    const after = await asRequester('GET', `/api/v2/tickets/${ticket}`);
    await asAdmin('PUT', '/api/v2/admin/ticket_fields/8', { displayed_to_customers: false });

    // Assess
    expect(before.body).not.toHaveProperty('responder_id');
    expect(shown.body).toMatchObject({ name: 'agent', displayed_to_customers: true });
    expect(after.body.responder_id).toBe(902);
    expect(after.body).not.toHaveProperty('group_id');
  });
});

describe('GET /api/v2/tickets', () => {
  it('lists their tickets without the helpdesk-internal fields and hidden custom fields', async () => {
    // Act
    const agentView = await asAgent('GET', `/api/v2/tickets?requester_id=${me}`);
    const requesterView = await asRequester('GET', '/api/v2/tickets');

    // Assess
    expect(ids(requesterView.body)).toEqual(ids(agentView.body));
    const agentTicket = agentView.body.find((ticket: Json) => ticket.id === myTicket);
    const requesterTicket = requesterView.body.find((ticket: Json) => ticket.id === myTicket);
    expect(agentTicket).toMatchObject({ tags: ['refund-abuse'], responder_id: 902 });
    expect(agentTicket.custom_fields).toHaveProperty(ticketFields.hidden);
    for (const key of internalTicketKeys) expect(requesterTicket, key).not.toHaveProperty(key);
    expect(requesterTicket.custom_fields).not.toHaveProperty(ticketFields.hidden);
    expect(requesterTicket.custom_fields).toHaveProperty(ticketFields.shownOnly);
  });
});

describe('POST /api/v2/tickets', () => {
  it('creates with the fields customers may edit, and answers the requester view', async () => {
    // Act
    const created = await asRequester('POST', '/api/v2/tickets', {
      subject: 'Mine',
      description: 'New',
      custom_fields: { [ticketFields.editable]: 'A-1' },
    });
    const asStored = await asAgent('GET', `/api/v2/tickets/${created.body.id}`);

    // Assess
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      requester_id: me,
      custom_fields: { [ticketFields.editable]: 'A-1' },
    });
    for (const key of internalTicketKeys) expect(created.body, key).not.toHaveProperty(key);
    expect(asStored.body).toMatchObject({ tags: [], responder_id: null });
  });

  it('refuses with 403 naming the field a custom field customers may not edit or see; writes nothing', async () => {
    // Prepare
    const count = async () =>
      (await asAgent('GET', `/api/v2/tickets?requester_id=${me}&per_page=100`)).body.length;
    const before = await count();

    // Act
    const shownOnly = await asRequester('POST', '/api/v2/tickets', {
      subject: 'Sneaky',
      description: 'D',
      custom_fields: { [ticketFields.editable]: 'ok', [ticketFields.shownOnly]: 'lifetime' },
    });
    const hidden = await asRequester('POST', '/api/v2/tickets', {
      subject: 'Sneaky',
      description: 'D',
      custom_fields: { [ticketFields.hidden]: 'no' },
    });

    // Assess
    expect(shownOnly.status).toBe(403);
    expect(shownOnly.body).toMatchObject({
      description: expect.any(String),
      errors: [{ field: `custom_fields.${ticketFields.shownOnly}`, code: 'access_denied' }],
    });
    expect(hidden.status).toBe(403);
    expect(hidden.body.errors[0]).toMatchObject({
      field: `custom_fields.${ticketFields.hidden}`,
      code: 'access_denied',
    });
    expect(await count()).toBe(before);
  });

  it('refuses with 403 a built-in field an admin made read-only for customers', async () => {
    // Prepare
    await asAdmin('PUT', '/api/v2/admin/ticket_fields/3', { customers_can_edit: false });

    // Act
    const typed = await asRequester('POST', '/api/v2/tickets', {
      subject: 'S',
      description: 'D',
      type: 'Question',
    });
    const untyped = await asRequester('POST', '/api/v2/tickets', {
      subject: 'S',
      description: 'D',
      priority: 3,
    });
    await asAdmin('PUT', '/api/v2/admin/ticket_fields/3', { customers_can_edit: true });

    // Assess
    expect(typed.status).toBe(403);
    expect(typed.body.errors[0]).toMatchObject({ field: 'type', code: 'access_denied' });
    expect(untyped.status).toBe(201);
  });
});

describe('POST /api/v2/tickets/{id}/reply', () => {
  it('answers the reply as a requester sees it', async () => {
    // Act
    const mine = await asRequester('POST', `/api/v2/tickets/${myTicket}/reply`, {
      body: 'Any news?',
      cc_emails: ['friend@example.test'],
    });
    const agents = await asAgent('POST', `/api/v2/tickets/${myTicket}/reply`, { body: 'Soon' });

    // Assess
    expect(mine.status).toBe(201);
    expect(mine.body).toMatchObject({ user_id: me, private: false, cc_emails: ['friend@example.test'] });
    expect(mine.body).not.toHaveProperty('bcc_emails');
    expect(mine.body).not.toHaveProperty('notify_emails');
    expect(agents.body).toHaveProperty('bcc_emails', []);
  });
});

describe('POST /api/v2/tickets/{id}/satisfaction_ratings', () => {
  it('answers the rating without the agent and group rated', async () => {
    // Act
    const rated = await asRequester('POST', `/api/v2/tickets/${myTicket}/satisfaction_ratings`, {
      ratings: { default_question: 103 },
      feedback: 'Great',
    });
    const agentView = await asAgent('GET', `/api/v2/tickets/${myTicket}/satisfaction_ratings`);

    // Assess
    expect(rated.status).toBe(201);
    expect(rated.body).toMatchObject({ user_id: me, ticket_id: myTicket, feedback: 'Great' });
    expect(rated.body).not.toHaveProperty('agent_id');
    expect(rated.body).not.toHaveProperty('group_id');
    expect(agentView.body.find((rating: Json) => rating.id === rated.body.id)).toMatchObject({
      agent_id: 902,
      group_id: 7,
    });
  });
});

describe('GET /api/v2/contacts/{id}', () => {
  it('hides the helpdesk-internal fields and the custom fields not displayed to customers', async () => {
    // Act
    const agentView = await asAgent('GET', `/api/v2/contacts/${me}`);
    const requesterView = await asRequester('GET', `/api/v2/contacts/${me}`);

    // Assess
    expect(agentView.body).toMatchObject({ tags: ['difficult'], description: 'Shouts on the phone' });
    expect(agentView.body.custom_fields).toEqual(customValues(contactFields));
    expect(requesterView.status).toBe(200);
    expect(requesterView.body).toMatchObject({ id: me, name: 'Requester', phone: '+49 30 1' });
    for (const key of ['tags', 'description', 'unique_external_id']) {
      expect(requesterView.body, key).not.toHaveProperty(key);
    }
    expect(requesterView.body.custom_fields).toEqual({
      [contactFields.editable]: `value of ${contactFields.editable}`,
      [contactFields.shownOnly]: `value of ${contactFields.shownOnly}`,
    });
  });

  it('hides a built-in field once an admin stops displaying it to customers; agents still see it', async () => {
    // Prepare
    await asAdmin('PUT', '/api/v2/admin/contact_fields/4', { displayed_for_customers: false });

    // Act
    const requesterView = await asRequester('GET', `/api/v2/contacts/${me}`);
    const agentView = await asAgent('GET', `/api/v2/contacts/${me}`);
    const write = await asRequester('PUT', `/api/v2/contacts/${me}`, { phone: '+49 30 9' });
    await asAdmin('PUT', '/api/v2/admin/contact_fields/4', { displayed_for_customers: true });

    // Assess
    expect(requesterView.body).not.toHaveProperty('phone');
    expect(agentView.body.phone).toBe('+49 30 1');
    expect(write.status).toBe(403);
    expect(write.body.errors[0]).toMatchObject({ field: 'phone', code: 'access_denied' });
  });
});

describe('PUT /api/v2/contacts/{id}', () => {
  it('changes what customers may edit and answers the requester view', async () => {
    // Act
    const changed = await asRequester('PUT', `/api/v2/contacts/${me}`, {
      job_title: 'Engineer',
      custom_fields: { [contactFields.editable]: 'Req' },
    });

    // Assess
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ job_title: 'Engineer' });
    expect(changed.body.custom_fields[contactFields.editable]).toBe('Req');
    expect(changed.body.custom_fields).not.toHaveProperty(contactFields.hidden);
    expect(changed.body).not.toHaveProperty('tags');
  });

  it.each([
    [
      'a custom field shown but not editable',
      { custom_fields: { [contactFields.shownOnly]: 'Gold' } },
      `custom_fields.${contactFields.shownOnly}`,
    ],
    [
      'a custom field not displayed to customers',
      { custom_fields: { [contactFields.hidden]: 'low' } },
      `custom_fields.${contactFields.hidden}`,
    ],
    ['a built-in field not displayed to customers', { description: 'I am nice' }, 'description'],
  ])('refuses %s with 403 naming it; nothing written', async (_case, body, field) => {
    // Prepare
    const before = await asAdmin('GET', `/api/v2/contacts/${me}`);

    // Act
    const refused = await asRequester('PUT', `/api/v2/contacts/${me}`, { name: 'Renamed', ...body });

    // Assess
    expect(refused.status).toBe(403);
    expect(refused.body.errors).toEqual([expect.objectContaining({ field, code: 'access_denied' })]);
    const after = await asAdmin('GET', `/api/v2/contacts/${me}`);
    expect(after.headers.get('etag')).toBe(before.headers.get('etag'));
  });

  it('refuses a built-in field an admin made read-only for customers', async () => {
    // Prepare
    await asAdmin('PUT', '/api/v2/admin/contact_fields/2', { customers_can_edit: false });

    // Act
    const refused = await asRequester('PUT', `/api/v2/contacts/${me}`, { job_title: 'CEO' });
    const byAgent = await asAgent('PUT', `/api/v2/contacts/${me}`, { job_title: 'Engineer II' });
    await asAdmin('PUT', '/api/v2/admin/contact_fields/2', { customers_can_edit: true });

    // Assess
    expect(refused.status).toBe(403);
    expect(refused.body.errors[0]).toMatchObject({ field: 'job_title', code: 'access_denied' });
    expect(byAgent.status).toBe(200);
  });
});
