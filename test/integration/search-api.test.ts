import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DynamoErasureStore } from '../../lambdas/adapters/dynamo-erasure-store.ts';
import { DynamoRecordStore } from '../../lambdas/adapters/dynamo-record-store.ts';
import { createTestAccount, keyCaller, ticketCreator, type TestAgent } from './account-fixture.ts';
import { emulatorDocumentClient } from './emulator-clients.ts';

/**
 * Filter search over HTTP (docs/search.md): `GET /api/v2/search/{tickets,contacts,companies}` answer
 * `{"results", "total"}` from the lookup items written with each record, follow updates, soft deletes
 * and restores, respect ticket scope, and refuse malformed queries with the position of the error.
 */
const platform = inject('localPlatform');
const { url, table } = platform.regions.eea;
const client = emulatorDocumentClient(platform);
const call = keyCaller(url);

let accountId: string;
let admin: TestAgent;
let grouped: TestAgent;
let groupA: number;
let groupB: number;
const tickets = { urgentA: 0, openB: 0, dueSoon: 0, pointed: 0 };

const search = (key: string, resource: string, query: string, page?: number) =>
  call(
    key,
    'GET',
    `/api/v2/search/${resource}?query=${encodeURIComponent(`"${query}"`)}${page ? `&page=${page}` : ''}`,
  );
const found = async (query: string, key = admin.key) => {
  const answer = await search(key, 'tickets', query);
  expect(answer.status).toBe(200);
  return (answer.body.results as Array<{ id: number }>).map((ticket) => ticket.id).sort((a, b) => a - b);
};
const sorted = (...values: number[]) => [...values].sort((a, b) => a - b);

const newTicket = ticketCreator(call, () => admin.key, 'search-requester@example.test');

beforeAll(async () => {
  const account = await createTestAccount(client, table, 'eea', [
    { id: 801, role: 'admin' },
    { id: 802, role: 'agent' },
  ]);
  [admin, grouped] = account.agents as [TestAgent, TestAgent];
  accountId = account.id;
  groupA = (await call(admin.key, 'POST', '/api/v2/groups', { name: 'Search A' })).body.id;
  groupB = (await call(admin.key, 'POST', '/api/v2/groups', { name: 'Search B' })).body.id;
  expect(
    (await call(admin.key, 'PUT', `/api/v2/agents/${grouped.id}`, { ticket_scope: 2, group_ids: [groupA] }))
      .status,
  ).toBe(200);
  const field = await call(admin.key, 'POST', '/api/v2/admin/ticket_fields', {
    label: 'Story points',
    type: 'custom_number',
  });
  expect(field.status).toBe(201);
  tickets.urgentA = await newTicket({
    group_id: groupA,
    priority: 4,
    tags: ['Refund', 'vip'],
    type: 'Question',
  });
  tickets.openB = await newTicket({ group_id: groupB, priority: 2, responder_id: admin.id });
  tickets.dueSoon = await newTicket({ priority: 3, due_by: '2030-10-03T12:00:00Z', type: 'Problem' });
  tickets.pointed = await newTicket({ priority: 1, custom_fields: { cf_story_points: 8 } });
});
afterAll(() => client.destroy());

describe('GET /api/v2/search/tickets', () => {
  it('serves the docs examples: equality, ranges, AND binding tighter than OR, parentheses', async () => {
    expect(await found('priority:4')).toEqual([tickets.urgentA]);
    expect(await found(`priority:>3 AND group_id:${groupA} AND status:2`)).toEqual([tickets.urgentA]);
    expect(await found(`priority:1 OR priority:2 AND group_id:${groupB}`)).toEqual(
      sorted(tickets.openB, tickets.pointed),
    );
    expect(await found(`(type:'question' OR type:'Problem') AND priority:<2`)).toEqual([]);
    expect(await found(`(type:'question' OR type:'Problem') AND priority:>4`)).toEqual([tickets.urgentA]);
  });

  it('finds dates by day and by range, tags by any of them, null for no value', async () => {
    expect(await found(`due_by:'2030-10-03'`)).toEqual([tickets.dueSoon]);
    expect(await found(`due_by:>'2030-10-01' AND due_by:<'2030-10-07'`)).toEqual([tickets.dueSoon]);
    expect(await found(`due_by:>'2030-10-04'`)).toEqual([]);
    expect(await found(`tag:'refund'`)).toEqual([tickets.urgentA]);
    expect(await found(`tag:'vip' AND tag:'REFUND'`)).toEqual([tickets.urgentA]);
    expect(await found(`agent_id:null AND group_id:null`)).toEqual(sorted(tickets.dueSoon, tickets.pointed));
    expect(await found(`agent_id:${admin.id}`)).toEqual([tickets.openB]);
    expect(await found(`created_at:>'2000-01-01'`)).toHaveLength(4);
  });

  it('finds custom fields by their name, with or without cf_', async () => {
    expect(await found('story_points:>5')).toEqual([tickets.pointed]);
    expect(await found('cf_story_points:8')).toEqual([tickets.pointed]);
    expect(await found('story_points:<7')).toEqual([]);
  });

  it('shows tickets as the list does, and counts only what a scoped agent may see', async () => {
    const answer = await search(admin.key, 'tickets', `group_id:${groupA} OR group_id:${groupB}`);
    expect(answer.body.total).toBe(2);
    expect(answer.body.results[0]).toMatchObject({ id: tickets.openB, group_id: groupB, priority: 2 });
    expect(answer.body.results[0]).not.toHaveProperty('description');

    const scoped = await search(grouped.key, 'tickets', `group_id:${groupA} OR group_id:${groupB}`);
    expect(scoped.body).toMatchObject({ total: 1, results: [{ id: tickets.urgentA }] });
  });

  it('follows updates, soft deletes and restores', async () => {
    const id = await newTicket({ priority: 2, tags: ['moving'] });
    expect(await found(`tag:'moving'`)).toEqual([id]);

    expect(
      (await call(admin.key, 'PUT', `/api/v2/tickets/${id}`, { tags: ['moved'], status: 3 })).status,
    ).toBe(200);
    expect(await found(`tag:'moving'`)).toEqual([]);
    expect(await found(`tag:'moved' AND status:3`)).toEqual([id]);

    expect((await call(admin.key, 'DELETE', `/api/v2/tickets/${id}`)).status).toBe(204);
    expect(await found(`tag:'moved'`)).toEqual([]);

    expect((await call(admin.key, 'PUT', `/api/v2/tickets/${id}/restore`)).status).toBe(204);
    expect(await found(`tag:'moved' AND status:3`)).toEqual([id]);
    expect(await found(`updated_at:>'2000-01-01' AND tag:'moved'`)).toEqual([id]);
  });

  it('follows updates through the pair lookups: agent and group, status and priority', async () => {
    const id = await newTicket({ group_id: groupB, priority: 4, responder_id: admin.id });
    const pairQuery = (status: number) =>
      `agent_id:${admin.id} AND group_id:${groupB} AND status:${status} AND priority:4`;
    expect(await found(pairQuery(2))).toEqual([id]);

    expect(
      (await call(admin.key, 'PUT', `/api/v2/tickets/${id}`, { status: 3, group_id: groupA })).status,
    ).toBe(200);
    expect(await found(pairQuery(2))).toEqual([]);
    expect(await found(pairQuery(3))).toEqual([]);
    expect(await found(`agent_id:${admin.id} AND group_id:${groupA} AND status:3 AND priority:4`)).toEqual([
      id,
    ]);
    expect(await found(`agent_id:null AND group_id:${groupA} AND priority:4`)).toEqual(
      await found(`agent_id:null AND group_id:${groupA} AND priority:>3 AND priority:<4`),
    );
  });

  it('follows erasure: trashed records hold no lookups, restored ones hold them again', async () => {
    const id = await newTicket({ tags: ['erased'] });
    const store = new DynamoRecordStore(client, table);
    const erasure = new DynamoErasureStore(client, table);
    const record = await store.get(accountId, { type: 'ticket', id });
    const audit = (operation: 'delete' | 'restore') => ({
      at: new Date().toISOString(),
      actor: { type: 'system' as const, id: 'search-test' },
      operation,
      record: { type: 'ticket' as const, id },
      changedFields: [],
    });
    await erasure.moveToTrash(record!, 9001, audit('delete'), '2099-01-01T00:00:00.000Z');
    expect((await search(admin.key, 'tickets', `tag:'erased'`)).body).toEqual({ results: [], total: 0 });

    const trashed = await erasure.trashed(accountId, 9001, { type: 'ticket', id });
    await erasure.restoreFromTrash(trashed!, 9001, audit('restore'));
    expect(await found(`tag:'erased'`)).toEqual([id]);
  });

  it('pages by 30, pages 1 to 10, total over all pages', async () => {
    const created = await Promise.all(Array.from({ length: 32 }, () => newTicket({ tags: ['bulk'] })));
    const first = await search(admin.key, 'tickets', `tag:'bulk'`);
    const second = await search(admin.key, 'tickets', `tag:'bulk'`, 2);

    expect(first.body.total).toBe(32);
    expect(first.body.results).toHaveLength(30);
    expect(second.body.results).toHaveLength(2);
    const all = [...first.body.results, ...second.body.results].map((ticket: { id: number }) => ticket.id);
    expect(all).toEqual([...created].sort((a, b) => b - a));
    expect((await search(admin.key, 'tickets', `tag:'bulk'`, 11)).status).toBe(400);
  });

  it('refuses a malformed query with v2 400 naming the position', async () => {
    const answer = await search(admin.key, 'tickets', 'priority:3 AND');
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      description: 'Validation failed',
      errors: [{ field: 'query', message: expect.stringMatching(/at position 14$/), code: 'invalid_value' }],
    });
    const unquoted = await call(admin.key, 'GET', '/api/v2/search/tickets?query=priority:3');
    expect(unquoted.status).toBe(400);
    expect((await call(admin.key, 'GET', '/api/v2/search/tickets')).status).toBe(400);
    expect((await search(admin.key, 'tickets', 'requester_id:3')).body.errors[0].message).toBe(
      "Unknown field 'requester_id' for tickets at position 0",
    );
  });
});

describe('GET /api/v2/search/contacts and /search/companies', () => {
  it('finds contacts by e-mail, phone digits and company, as the contact list shows them', async () => {
    const company = await call(admin.key, 'POST', '/api/v2/companies', {
      name: 'Search Corp',
      domains: ['search.example', 'Other.Example'],
    });
    const contact = await call(admin.key, 'POST', '/api/v2/contacts', {
      name: 'Searched Person',
      email: 'Searched@Example.test',
      phone: '+49 30 555 0100',
      company_id: company.body.id,
    });
    expect(contact.status).toBe(201);

    const byEmail = await search(admin.key, 'contacts', `email:'searched@example.test'`);
    expect(byEmail.body).toMatchObject({
      total: 1,
      results: [{ id: contact.body.id, name: 'Searched Person' }],
    });
    const byPhone = await search(
      admin.key,
      'contacts',
      `phone:'+4930 5550100' AND company_id:${company.body.id}`,
    );
    expect(byPhone.body.total).toBe(1);
    expect((await search(admin.key, 'contacts', `mobile:null AND active:false`)).body.total).toBeGreaterThan(
      0,
    );

    const companies = await search(
      admin.key,
      'companies',
      `domain:'other.example' AND created_at:>'2000-01-01'`,
    );
    expect(companies.body).toMatchObject({
      total: 1,
      results: [{ id: company.body.id, name: 'Search Corp' }],
    });
    expect((await search(admin.key, 'companies', `name:'x'`)).status).toBe(400);
  });
});
