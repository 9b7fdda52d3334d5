import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { emulatorDocumentClient } from './emulator-clients.ts';
import { createTestAccount } from './account-fixture.ts';
import { apiCaller } from './test-accounts.ts';

const platform = inject('localPlatform');
const { url, table } = platform.regions.eea;
const client = emulatorDocumentClient(platform);
const call = apiCaller(url);
/** An agent with restricted ticket scope: they see only the tickets assigned to them. */
const agentId = 902;

interface ListedTicket {
  id: number;
  status: number;
  due_by: string | null;
  created_at: string;
  updated_at: string;
  requester_id: number;
}

let account: { keys: { admin: string; agent: string } };
/** Every ticket of the account, as the unordered list shows them. */
let tickets: ListedTicket[];
let requesterId: number;

// A fresh account of its own, so the orders asserted are of exactly these tickets.
beforeAll(async () => {
  const agents = await createTestAccount(client, table, 'eea', [
    { id: 900, role: 'admin' },
    { id: agentId, role: 'agent', fields: { ticket_scope: 3 } },
  ]);
  account = { keys: { admin: agents.agents[0]?.key ?? '', agent: agents.agents[1]?.key ?? '' } };
  const requester = await call('POST', '/api/v2/contacts', account.keys.admin, {
    name: 'Ordered Requester',
    email: `o-${randomUUID()}@example.test`,
  });
  requesterId = requester.body.id;
  const made: Record<string, unknown>[] = [
    { status: 2, due_by: '2031-03-01T10:00:00Z', requester_id: requesterId },
    { status: 3, due_by: null },
    { status: 2, due_by: '2031-01-01T10:00:00Z', responder_id: agentId },
    { status: 4, due_by: '2031-03-01T10:00:00Z', requester_id: requesterId },
    { status: 2, due_by: null, requester_id: requesterId },
    { status: 5, due_by: '2030-06-01T10:00:00Z' },
    { status: 2, due_by: '2031-02-01T09:00:00+02:00', responder_id: agentId },
  ];
  const ids: number[] = [];
  for (const fields of made) {
    const created = await call('POST', '/api/v2/tickets', account.keys.admin, {
      subject: 'Ordered',
      description: 'In order',
      ...(fields.requester_id ? {} : { email: `o-${randomUUID()}@example.test` }),
      ...fields,
    });
    expect(created.status).toBe(201);
    ids.push(created.body.id);
  }
  // Changed after creation: the last change no longer follows creation.
  for (const id of [ids[2], ids[0]]) {
    expect((await call('PUT', `/api/v2/tickets/${id}`, account.keys.admin, { priority: 3 })).status).toBe(
      200,
    );
  }
  const all = await call('GET', '/api/v2/tickets?per_page=100', account.keys.admin);
  tickets = all.body;
  expect(tickets).toHaveLength(made.length);
});
afterAll(() => client.destroy());

/** Follows the `link` header from the first page to the last: each page's ticket ids. */
async function pages(query: string, key = account.keys.admin): Promise<number[][]> {
  const seen: number[][] = [];
  let path: string | undefined = `/api/v2/tickets?${query}`;
  while (path) {
    const response = await call('GET', path, key);
    expect(response.status).toBe(200);
    seen.push((response.body as ListedTicket[]).map((ticket) => ticket.id));
    const next = response.headers.get('link')?.match(/<([^>]+)>; rel="next"/)?.[1];
    path = next ? next.slice(url.length) : undefined;
    expect(seen.length).toBeLessThan(20);
  }
  return seen;
}

type Key = string | number;
/** `tickets` sorted by `key`, then by id, descending or ascending; `null` keys last descending. */
function expected(
  key: (ticket: ListedTicket) => Key | null,
  type: 'asc' | 'desc',
  keep: (ticket: ListedTicket) => boolean = () => true,
): number[] {
  const compare = (left: ListedTicket, right: ListedTicket) => {
    const [a, b] = [key(left), key(right)];
    if (a === null || b === null) return a === b ? left.id - right.id : a === null ? -1 : 1;
    return a < b ? -1 : a > b ? 1 : left.id - right.id;
  };
  const ascending = tickets.filter(keep).sort(compare);
  return (type === 'asc' ? ascending : ascending.reverse()).map((ticket) => ticket.id);
}

const orders: Record<string, (ticket: ListedTicket) => Key | null> = {
  created_at: (ticket) => ticket.created_at,
  updated_at: (ticket) => ticket.updated_at,
  status: (ticket) => ticket.status,
  due_by: (ticket) => (ticket.due_by === null ? null : new Date(ticket.due_by).toISOString()),
};

describe('ticket list order_by and order_type', () => {
  it.each(Object.keys(orders).flatMap((field) => [`${field} asc`, `${field} desc`]))(
    'lists by %s, page after page through the link header',
    async (order) => {
      // Prepare
      const [field, type] = order.split(' ') as [string, 'asc' | 'desc'];

      // Act
      const byCursor = await pages(`order_by=${field}&order_type=${type}&per_page=2`);
      const second = await call(
        'GET',
        `/api/v2/tickets?order_by=${field}&order_type=${type}&per_page=2&page=2`,
        account.keys.admin,
      );

      // Assess
      const ordered = expected(orders[field] as (ticket: ListedTicket) => Key | null, type);
      expect(byCursor.flat()).toEqual(ordered);
      expect(byCursor.slice(0, -1).every((page) => page.length === 2)).toBe(true);
      expect(second.body.map((ticket: ListedTicket) => ticket.id)).toEqual(ordered.slice(2, 4));
    },
  );

  it('orders by created_at, newest first, when only order_type is left out', async () => {
    // Act
    const listed = await pages('order_by=created_at&per_page=3');

    // Assess
    expect(listed.flat()).toEqual(expected(orders.created_at as (t: ListedTicket) => Key, 'desc'));
  });

  it('combines an order with a requester, a predefined filter, updated_since and the ticket scope', async () => {
    // Prepare
    const mine = (ticket: ListedTicket) => ticket.requester_id === requesterId;
    const since = [...tickets].sort((a, b) => (a.updated_at < b.updated_at ? -1 : 1))[3]?.updated_at ?? '';
    const assigned = new Set(
      (await call('GET', '/api/v2/tickets?per_page=100', account.keys.agent)).body.map(
        (ticket: ListedTicket) => ticket.id,
      ),
    );
    // Open, and within the agent's restricted scope: assigned to them.
    const newAndMyOpen = (ticket: ListedTicket) => ticket.status === 2 && assigned.has(ticket.id);

    // Act
    const byRequester = await pages(`requester_id=${requesterId}&order_by=due_by&order_type=asc&per_page=1`);
    const requesterByCreation = await pages(`requester_id=${requesterId}&order_type=asc&per_page=2`);
    const open = await pages(
      'filter=new_and_my_open&order_by=due_by&order_type=desc&per_page=2',
      account.keys.agent,
    );
    const recent = await pages(
      `updated_since=${encodeURIComponent(since)}&order_by=status&order_type=asc&per_page=2`,
    );

    // Assess
    expect(byRequester.flat()).toEqual(expected(orders.due_by as never, 'asc', mine));
    expect(requesterByCreation.flat()).toEqual(expected(orders.created_at as never, 'asc', mine));
    expect(assigned.size).toBe(2);
    expect(open.flat()).toHaveLength(2);
    expect(open.flat()).toEqual(expected(orders.due_by as never, 'desc', newAndMyOpen));
    expect(recent.flat()).toEqual(
      expected(orders.status as never, 'asc', (ticket) => ticket.updated_at >= since),
    );
    expect(recent.flat()).toHaveLength(4);
  });

  it('refuses an unknown order, an order the trash does not have and a cursor of another order', async () => {
    // Prepare
    const first = await call('GET', '/api/v2/tickets?order_by=status&per_page=2', account.keys.admin);
    const link = first.headers.get('link')?.match(/<([^>]+)>; rel="next"/)?.[1] ?? '';
    const cursor = new URL(link).searchParams.get('cursor') ?? '';

    // Act
    const unknownField = await call('GET', '/api/v2/tickets?order_by=priority', account.keys.admin);
    const unknownType = await call('GET', '/api/v2/tickets?order_type=up', account.keys.admin);
    const trash = await call('GET', '/api/v2/tickets?filter=deleted&order_by=created_at', account.keys.admin);
    const trashByChange = await call(
      'GET',
      '/api/v2/tickets?filter=deleted&order_by=updated_at&order_type=asc',
      account.keys.admin,
    );
    const otherOrder = await call(
      'GET',
      `/api/v2/tickets?order_by=due_by&per_page=2&cursor=${cursor}`,
      account.keys.admin,
    );

    // Assess
    expect(cursor).not.toBe('');
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.errors).toEqual([expect.objectContaining({ field: 'order_by' })]);
    expect(unknownType.status).toBe(400);
    expect(unknownType.body.errors).toEqual([expect.objectContaining({ field: 'order_type' })]);
    expect(trash.status).toBe(400);
    expect(trash.body.errors).toEqual([expect.objectContaining({ field: 'order_by' })]);
    expect(trashByChange.status).toBe(200);
    expect(otherOrder.status).toBe(400);
    expect(otherOrder.body.errors).toEqual([expect.objectContaining({ field: 'cursor' })]);
  });

  it('leaves a deleted ticket out of every order', async () => {
    // Prepare
    const gone = tickets[0] as ListedTicket;
    expect((await call('DELETE', `/api/v2/tickets/${gone.id}`, account.keys.admin)).status).toBe(204);

    // Act
    const listed = await Promise.all(
      Object.keys(orders).map(async (field) => (await pages(`order_by=${field}&per_page=100`)).flat()),
    );

    // Assess
    for (const ids of listed) expect(ids).not.toContain(gone.id);
    expect((await call('PUT', `/api/v2/tickets/${gone.id}/restore`, account.keys.admin)).status).toBe(204);
  });

  it("applies updated_since under a requester, and lists a requester's deleted tickets in the trash", async () => {
    // Prepare: the requester's tickets as they are now (earlier tests changed some), the newest change
    const theirs = (await call('GET', `/api/v2/tickets?requester_id=${requesterId}`, account.keys.admin))
      .body as ListedTicket[];
    const since = theirs.map((ticket) => ticket.updated_at).sort()[theirs.length - 1] ?? '';
    const gone = theirs.find((ticket) => ticket.updated_at < since) as ListedTicket;
    expect(theirs.length).toBeGreaterThan(2);

    // Act
    const recent = await call(
      'GET',
      `/api/v2/tickets?requester_id=${requesterId}&updated_since=${encodeURIComponent(since)}`,
      account.keys.admin,
    );
    expect((await call('DELETE', `/api/v2/tickets/${gone.id}`, account.keys.admin)).status).toBe(204);
    const trash = await call(
      'GET',
      `/api/v2/tickets?filter=deleted&requester_id=${requesterId}`,
      account.keys.admin,
    );
    expect((await call('PUT', `/api/v2/tickets/${gone.id}/restore`, account.keys.admin)).status).toBe(204);

    // Assess: only the ticket changed since; in the trash only the one deleted, not their live ones
    expect(recent.status).toBe(200);
    expect((recent.body as ListedTicket[]).map((ticket) => ticket.id)).toEqual(
      theirs.filter((ticket) => ticket.updated_at >= since).map((ticket) => ticket.id),
    );
    expect(recent.body).toHaveLength(1);
    expect(trash.status).toBe(200);
    expect((trash.body as ListedTicket[]).map((ticket) => ticket.id)).toEqual([gone.id]);
  });
});
