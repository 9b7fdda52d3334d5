import { beforeAll, afterAll, describe, expect, inject, it } from 'vitest';
import type { Role } from '../../lambdas/domain/account.ts';
import { createTestAccount, keyCaller, ticketCreator, type TestAgent } from './account-fixture.ts';
import { emulatorDocumentClient } from './emulator-clients.ts';

/**
 * Freshdesk v2 `ticket_scope` over HTTP: group-scoped agents see and change only the tickets of their
 * groups and those assigned to them, restricted agents only those assigned to them; anything else is
 * 404 as another account's id would be, and lists hold only in-scope tickets. The local API reads the
 * scope on every request (TICKET_SCOPE_CACHE_SECONDS is 0 in tests; 5 s deployed).
 */
const platform = inject('localPlatform');
const { url, table } = platform.regions.eea;
const client = emulatorDocumentClient(platform);
const call = keyCaller(url);

const agents: ReadonlyArray<{ id: number; role: Role }> = [
  { id: 701, role: 'admin' },
  { id: 702, role: 'agent' },
  { id: 703, role: 'agent' },
  { id: 704, role: 'supervisor' },
  { id: 705, role: 'agent' },
];
let admin: TestAgent;
let grouped: TestAgent;
let restricted: TestAgent;
let supervisor: TestAgent;
/** Holds a custom role that may view and edit tickets, with group scope on group A. */
let customScoped: TestAgent;
let groupA: number;
let groupB: number;
/** inA: group A; ownB: group B, assigned to the restricted agent; mine: assigned to the grouped agent. */
const tickets = { inA: 0, ownB: 0, mine: 0, otherB: 0 };

const ids = (body: Array<{ id: number }>) => body.map((record) => record.id).sort((a, b) => a - b);
const sorted = (...values: number[]) => [...values].sort((a, b) => a - b);

async function setScope(agentId: number, changes: { ticket_scope?: number; group_ids?: number[] }) {
  const updated = await call(admin.key, 'PUT', `/api/v2/agents/${agentId}`, changes);
  expect(updated.status).toBe(200);
}

const newTicket = ticketCreator(call, () => admin.key, 'scope-requester@example.test');

beforeAll(async () => {
  const account = await createTestAccount(client, table, 'eea', agents);
  [admin, grouped, restricted, supervisor, customScoped] = account.agents as [
    TestAgent,
    TestAgent,
    TestAgent,
    TestAgent,
    TestAgent,
  ];
  groupA = (await call(admin.key, 'POST', '/api/v2/groups', { name: 'Scope A' })).body.id;
  groupB = (await call(admin.key, 'POST', '/api/v2/groups', { name: 'Scope B' })).body.id;
  await setScope(grouped.id, { ticket_scope: 2, group_ids: [groupA] });
  await setScope(restricted.id, { ticket_scope: 3, group_ids: [groupA] });
  tickets.inA = await newTicket({ group_id: groupA });
  tickets.ownB = await newTicket({ group_id: groupB, responder_id: restricted.id });
  tickets.mine = await newTicket({ responder_id: grouped.id });
  tickets.otherB = await newTicket({ group_id: groupB });
});
afterAll(() => client.destroy());

describe('ticket scope: group', () => {
  it('lists only the tickets of the agent groups and those assigned to them', async () => {
    const listed = await call(grouped.key, 'GET', '/api/v2/tickets');

    expect(listed.status).toBe(200);
    expect(ids(listed.body)).toEqual(sorted(tickets.inA, tickets.mine));
  });

  it('keeps per_page honest: full pages and a next link only while in-scope tickets remain', async () => {
    const first = await call(grouped.key, 'GET', '/api/v2/tickets?per_page=1');
    const second = await call(grouped.key, 'GET', '/api/v2/tickets?per_page=1&page=2');
    const third = await call(grouped.key, 'GET', '/api/v2/tickets?per_page=1&page=3');

    expect(first.body.map((t: { id: number }) => t.id)).toEqual([tickets.mine]);
    expect(first.headers.get('link')).toContain('page=2');
    expect(second.body.map((t: { id: number }) => t.id)).toEqual([tickets.inA]);
    expect(second.headers.get('link')).toBeNull();
    expect(third.body).toEqual([]);
  });

  it('answers 404 for an out-of-scope ticket and everything hanging off it, and changes nothing', async () => {
    const id = tickets.otherB;
    const before = await call(admin.key, 'GET', `/api/v2/tickets/${id}`);
    const attempts = await Promise.all([
      call(grouped.key, 'GET', `/api/v2/tickets/${id}`),
      call(grouped.key, 'PUT', `/api/v2/tickets/${id}`, { priority: 4 }),
      call(grouped.key, 'DELETE', `/api/v2/tickets/${id}`),
      call(grouped.key, 'PUT', `/api/v2/tickets/${id}/restore`),
      call(grouped.key, 'GET', `/api/v2/tickets/${id}/conversations`),
      call(grouped.key, 'POST', `/api/v2/tickets/${id}/reply`, { body: 'No' }),
      call(grouped.key, 'POST', `/api/v2/tickets/${id}/notes`, { body: 'No' }),
      call(grouped.key, 'GET', `/api/v2/tickets/${id}/huddle`),
      call(grouped.key, 'POST', `/api/v2/tickets/${id}/huddle`, { body: 'No' }),
      call(grouped.key, 'GET', `/api/v2/tickets/${id}/satisfaction_ratings`),
      call(grouped.key, 'POST', `/api/v2/tickets/${id}/satisfaction_ratings`, {
        ratings: { default_question: 103 },
      }),
      call(grouped.key, 'POST', `/api/v2/tickets/${id}/attachments`, {
        name: 'a.txt',
        content_type: 'text/plain',
        size: 3,
      }),
    ]);

    expect(attempts.map((attempt) => attempt.status)).toEqual(attempts.map(() => 404));
    expect(attempts[0]?.body).toMatchObject({ errors: [{ code: 'not_found' }] });
    const after = await call(admin.key, 'GET', `/api/v2/tickets/${id}`);
    expect(after.headers.get('etag')).toBe(before.headers.get('etag'));
    const conversations = await call(admin.key, 'GET', `/api/v2/tickets/${id}/conversations`);
    expect(conversations.body).toEqual([]);
  });

  it('answers 404 for conversations, huddle messages and attachments of an out-of-scope ticket', async () => {
    const id = tickets.otherB;
    const reply = await call(admin.key, 'POST', `/api/v2/tickets/${id}/reply`, { body: 'Admin reply' });
    const huddle = await call(admin.key, 'POST', `/api/v2/tickets/${id}/huddle`, { body: 'Admin huddle' });
    const attachment = await call(admin.key, 'POST', `/api/v2/tickets/${id}/attachments`, {
      name: 'a.txt',
      content_type: 'text/plain',
      size: 3,
    });
    expect([reply.status, huddle.status, attachment.status]).toEqual([201, 201, 201]);

    const attempts = await Promise.all([
      call(grouped.key, 'PUT', `/api/v2/conversations/${reply.body.id}`, { body: 'Changed' }),
      call(grouped.key, 'DELETE', `/api/v2/conversations/${reply.body.id}`),
      call(grouped.key, 'DELETE', `/api/v2/huddle_messages/${huddle.body.id}`),
      call(grouped.key, 'GET', `/api/v2/attachments/${attachment.body.id}`),
      call(grouped.key, 'DELETE', `/api/v2/attachments/${attachment.body.id}`),
    ]);

    expect(attempts.map((attempt) => attempt.status)).toEqual([404, 404, 404, 404, 404]);
    const conversations = await call(admin.key, 'GET', `/api/v2/tickets/${id}/conversations`);
    expect(conversations.body.map((c: { body: string }) => c.body)).toEqual(['Admin reply']);
    expect((await call(admin.key, 'GET', `/api/v2/attachments/${attachment.body.id}`)).status).toBe(200);
  });

  it('works in-scope tickets: view, update, reply, huddle', async () => {
    const id = tickets.inA;
    const viewed = await call(grouped.key, 'GET', `/api/v2/tickets/${id}`);
    const updated = await call(grouped.key, 'PUT', `/api/v2/tickets/${id}`, { priority: 3 });
    const reply = await call(grouped.key, 'POST', `/api/v2/tickets/${id}/reply`, { body: 'On it' });
    const huddle = await call(grouped.key, 'POST', `/api/v2/tickets/${id}/huddle`, { body: 'Mine' });
    const edited = await call(grouped.key, 'PUT', `/api/v2/conversations/${reply.body.id}`, { body: 'Done' });

    expect([viewed.status, updated.status, reply.status, huddle.status, edited.status]).toEqual([
      200, 200, 201, 201, 200,
    ]);
    expect(updated.body.priority).toBe(3);
  });

  it('lists only the satisfaction ratings of in-scope tickets', async () => {
    for (const id of [tickets.inA, tickets.otherB]) {
      const rated = await call(admin.key, 'POST', `/api/v2/tickets/${id}/satisfaction_ratings`, {
        ratings: { default_question: 102 },
      });
      expect(rated.status).toBe(201);
    }

    const asGrouped = await call(grouped.key, 'GET', '/api/v2/surveys/satisfaction_ratings');
    const asAdmin = await call(admin.key, 'GET', '/api/v2/surveys/satisfaction_ratings');

    expect(asGrouped.body.map((r: { ticket_id: number }) => r.ticket_id)).toEqual([tickets.inA]);
    expect(sorted(...asAdmin.body.map((r: { ticket_id: number }) => r.ticket_id))).toEqual(
      sorted(tickets.inA, tickets.otherB),
    );
  });
});

describe('ticket scope: restricted', () => {
  it('shows only the tickets assigned to the agent, whatever their groups', async () => {
    const listed = await call(restricted.key, 'GET', '/api/v2/tickets');
    const own = await call(restricted.key, 'GET', `/api/v2/tickets/${tickets.ownB}`);
    const ofGroup = await call(restricted.key, 'GET', `/api/v2/tickets/${tickets.inA}`);
    const byRequester = await call(
      restricted.key,
      'GET',
      `/api/v2/tickets?email=scope-requester@example.test`,
    );

    expect(ids(listed.body)).toEqual([tickets.ownB]);
    expect(own.status).toBe(200);
    expect(ofGroup.status).toBe(404);
    expect(ids(byRequester.body)).toEqual([tickets.ownB]);
  });
});

describe('ticket scope changes', () => {
  it('take effect on the next request once the scope cache time has passed (0 s in tests)', async () => {
    await setScope(grouped.id, { group_ids: [groupB] });
    const moved = await call(grouped.key, 'GET', '/api/v2/tickets');
    expect(ids(moved.body)).toEqual(sorted(tickets.ownB, tickets.mine, tickets.otherB));
    expect((await call(grouped.key, 'GET', `/api/v2/tickets/${tickets.inA}`)).status).toBe(404);

    await setScope(grouped.id, { ticket_scope: 1 });
    const global = await call(grouped.key, 'GET', '/api/v2/tickets');
    expect(ids(global.body)).toEqual(sorted(...Object.values(tickets)));

    await setScope(grouped.id, { ticket_scope: 2, group_ids: [groupA] });
  });

  it('never narrow administrators: an admin is global whatever their profile says', async () => {
    await setScope(admin.id, { ticket_scope: 3, group_ids: [] });
    const listed = await call(admin.key, 'GET', '/api/v2/tickets');
    await setScope(admin.id, { ticket_scope: 1 });

    expect(ids(listed.body)).toEqual(sorted(...Object.values(tickets)));
  });
});

describe('supervisors', () => {
  it('have global scope by default', async () => {
    const listed = await call(supervisor.key, 'GET', '/api/v2/tickets');

    expect(ids(listed.body)).toEqual(sorted(...Object.values(tickets)));
  });

  it('cannot change account settings: admin-only routes answer 403 and change nothing', async () => {
    const contact = await call(admin.key, 'POST', '/api/v2/contacts', {
      name: 'Supervised',
      email: 'supervised@example.test',
    });
    const attempts = await Promise.all([
      call(supervisor.key, 'POST', '/api/v2/groups', { name: 'Not allowed' }),
      call(supervisor.key, 'PUT', `/api/v2/groups/${groupA}`, { name: 'Renamed' }),
      call(supervisor.key, 'PUT', `/api/v2/agents/${grouped.id}`, { ticket_scope: 1 }),
      call(supervisor.key, 'PUT', `/api/v2/agents/${supervisor.id}`, { role: 'admin' }),
      call(supervisor.key, 'POST', '/api/v2/admin/ticket_fields', { label: 'Nope', type: 'custom_text' }),
      call(supervisor.key, 'PUT', `/api/v2/contacts/${contact.body.id}/make_agent`),
      call(supervisor.key, 'POST', `/api/v2/contacts/${contact.body.id}/portal_token`),
      call(supervisor.key, 'GET', '/api/v2/audit_log?since=2020-01-01T00:00:00Z'),
    ]);

    expect(attempts.map((attempt) => attempt.status)).toEqual(attempts.map(() => 403));
    const groups = await call(admin.key, 'GET', '/api/v2/groups');
    expect(groups.body.map((g: { name: string }) => g.name).sort()).toEqual(['Scope A', 'Scope B']);
    const agent = await call(admin.key, 'GET', `/api/v2/agents/${grouped.id}`);
    expect(agent.body.ticket_scope).toBe(2);
    const self = await call(admin.key, 'GET', `/api/v2/agents/${supervisor.id}`);
    expect(self.body.role_ids).toEqual([3]);
  });
});

describe('ticket scope: custom roles', () => {
  it('keeps the profile scope for a custom role: its permissions never widen which tickets it sees', async () => {
    // Prepare
    const role = await call(admin.key, 'POST', '/api/v2/roles', {
      name: 'Scoped ticket worker',
      permissions: ['tickets.view', 'tickets.edit', 'conversations.view'],
    });
    expect(role.status).toBe(201);
    await setScope(customScoped.id, { ticket_scope: 2, group_ids: [groupA] });
    const assigned = await call(admin.key, 'PUT', `/api/v2/agents/${customScoped.id}`, {
      role_ids: [role.body.id],
    });
    expect(assigned.status).toBe(200);

    // Act
    const listed = await call(customScoped.key, 'GET', '/api/v2/tickets');
    const inScope = await call(customScoped.key, 'PUT', `/api/v2/tickets/${tickets.inA}`, { priority: 2 });
    const outOfScope = await call(customScoped.key, 'GET', `/api/v2/tickets/${tickets.otherB}`);
    const notPermitted = await call(customScoped.key, 'DELETE', `/api/v2/tickets/${tickets.inA}`);

    // Assess
    expect(ids(listed.body)).toEqual(sorted(tickets.inA));
    expect(inScope.status).toBe(200);
    expect(outOfScope.status).toBe(404);
    expect(notPermitted.status).toBe(403);
  });
});
