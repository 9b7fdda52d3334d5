import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestAccount, keyCaller, linkedRecords, type TestAgent } from './account-fixture.ts';
import { emulatorDocumentClient } from './emulator-clients.ts';

/**
 * Ticket watchers over HTTP (v2): watch, unwatch, the watcher ids, bulk, `filter=watching` with paging,
 * ticket scope, malformed input, and the watch as the agent's subject link.
 */
const platform = inject('localPlatform');
const { url, table } = platform.regions.eea;
const client = emulatorDocumentClient(platform);
const call = keyCaller(url);
const v = '/api/v2';

let accountId = '';
let admin: TestAgent;
let colleague: TestAgent;
let restricted: TestAgent;
let inScope = 0;
let outOfScope = 0;

const newTicket = async (fields: Record<string, unknown> = {}) =>
  (
    await call(admin.key, 'POST', `${v}/tickets`, {
      subject: 'Watched',
      description: 'D',
      email: 'watched@example.test',
      ...fields,
    })
  ).body.id as number;
const watcherIds = async (key: string, ticket: number) =>
  (await call(key, 'GET', `${v}/tickets/${ticket}/watchers`)).body.watcher_ids as number[];
const watching = async (key: string, query = '') =>
  ((await call(key, 'GET', `${v}/tickets?filter=watching${query}`)).body as Array<{ id: number }>).map(
    (ticket) => ticket.id,
  );

beforeAll(async () => {
  const account = await createTestAccount(client, table, 'eea', [
    { id: 981, role: 'admin' },
    { id: 982, role: 'agent' },
    { id: 983, role: 'agent' },
  ]);
  accountId = account.id;
  [admin, colleague, restricted] = account.agents as [TestAgent, TestAgent, TestAgent];
  const group = (await call(admin.key, 'POST', `${v}/groups`, { name: 'Watchers' })).body.id;
  await call(admin.key, 'PUT', `${v}/agents/${restricted.id}`, { ticket_scope: 3, group_ids: [group] });
  inScope = await newTicket({ responder_id: restricted.id });
  outOfScope = await newTicket({ group_id: group });
});
afterAll(() => client.destroy());

describe('watching one ticket', () => {
  it('watches (twice: no change), lists the watcher ids, unwatches (twice: no change)', async () => {
    // Prepare
    const ticket = await newTicket();

    // Act
    const first = await call(colleague.key, 'POST', `${v}/tickets/${ticket}/watch`);
    const again = await call(colleague.key, 'POST', `${v}/tickets/${ticket}/watch`);
    const added = await call(admin.key, 'POST', `${v}/tickets/${ticket}/watch`, { user_id: restricted.id });
    const whileWatched = await watcherIds(admin.key, ticket);
    const unwatched = await call(colleague.key, 'PUT', `${v}/tickets/${ticket}/unwatch`);
    const unwatchedAgain = await call(colleague.key, 'PUT', `${v}/tickets/${ticket}/unwatch`);
    const after = await call(admin.key, 'GET', `${v}/tickets/${ticket}/watchers`);

    // Assess
    expect([first.status, again.status, added.status, unwatched.status, unwatchedAgain.status]).toEqual([
      204, 204, 204, 204, 204,
    ]);
    expect(whileWatched).toEqual([colleague.id, restricted.id]);
    expect(after.status).toBe(200);
    expect(after.body).toEqual({ watcher_ids: [restricted.id] });
  });

  it('links each watch to its agent as a subject (what erasure removes and export shows)', async () => {
    const ticket = await newTicket();
    const before = await linkedRecords(client, table, accountId, { kind: 'agent', id: colleague.id });

    await call(colleague.key, 'POST', `${v}/tickets/${ticket}/watch`);
    const after = await linkedRecords(client, table, accountId, { kind: 'agent', id: colleague.id });

    const watches = (links: string[]) => links.filter((link) => link.startsWith('ticket_watch#'));
    expect(watches(after)).toHaveLength(watches(before).length + 1);
  });

  it('answers 404 for a ticket that does not exist, 400 for a malformed body or an unknown agent', async () => {
    const ticket = await newTicket();

    const unknownTicket = await call(admin.key, 'POST', `${v}/tickets/987654321/watch`);
    const unknownWatchers = await call(admin.key, 'GET', `${v}/tickets/987654321/watchers`);
    const badUser = await call(admin.key, 'POST', `${v}/tickets/${ticket}/watch`, { user_id: 'me' });
    const unknownUser = await call(admin.key, 'POST', `${v}/tickets/${ticket}/watch`, { user_id: 987654321 });
    const unknownField = await call(admin.key, 'POST', `${v}/tickets/${ticket}/watch`, { colour: 'red' });

    expect(unknownTicket.status).toBe(404);
    expect(unknownWatchers.status).toBe(404);
    expect(badUser.status).toBe(400);
    expect(badUser.body.errors[0]).toMatchObject({ field: 'user_id', code: 'datatype_mismatch' });
    expect(unknownUser.status).toBe(400);
    expect(unknownUser.body.errors[0]).toMatchObject({ field: 'user_id', code: 'invalid_value' });
    expect(unknownField.status).toBe(400);
    expect(await watcherIds(admin.key, ticket)).toEqual([]);
  });
});

describe('ticket scope', () => {
  it('lets a scoped agent watch only tickets within their scope (404 otherwise)', async () => {
    const outside = await call(restricted.key, 'POST', `${v}/tickets/${outOfScope}/watch`);
    const outsideList = await call(restricted.key, 'GET', `${v}/tickets/${outOfScope}/watchers`);
    const outsideUnwatch = await call(restricted.key, 'PUT', `${v}/tickets/${outOfScope}/unwatch`);
    const inside = await call(restricted.key, 'POST', `${v}/tickets/${inScope}/watch`);

    expect([outside.status, outsideList.status, outsideUnwatch.status]).toEqual([404, 404, 404]);
    expect(inside.status).toBe(204);
    expect(await watcherIds(admin.key, outOfScope)).toEqual([]);
  });

  it("leaves out of filter=watching a watched ticket that left the agent's scope", async () => {
    // Prepare: watched while assigned to them, then assigned to someone else.
    const ticket = await newTicket({ responder_id: restricted.id });
    await call(restricted.key, 'POST', `${v}/tickets/${ticket}/watch`);
    const whileAssigned = await watching(restricted.key);

    // Act
    await call(admin.key, 'PUT', `${v}/tickets/${ticket}`, { responder_id: colleague.id });
    const afterwards = await watching(restricted.key);

    // Assess
    expect(whileAssigned).toContain(ticket);
    expect(afterwards).not.toContain(ticket);
  });
});

describe('filter=watching', () => {
  it("lists the caller's watched tickets, newest watch first, page by page", async () => {
    // Prepare: a fresh agent's own watches, and a ticket someone else watches.
    const watcher = (
      await call(admin.key, 'POST', `${v}/agents`, { email: 'watcher@example.test', ticket_scope: 1 })
    ).body.id as number;
    const [first, second, third, other] = [
      await newTicket(),
      await newTicket(),
      await newTicket(),
      await newTicket(),
    ];
    for (const ticket of [first, second, third]) {
      await call(admin.key, 'POST', `${v}/tickets/${ticket}/watch`, { user_id: watcher });
    }
    await call(colleague.key, 'POST', `${v}/tickets/${other}/watch`);
    await call(admin.key, 'POST', `${v}/tickets/${second}/watch`, { user_id: colleague.id });

    // Act
    const mine = await watching(colleague.key);

    // Assess
    expect(mine).toContain(other);
    expect(mine).toContain(second);
    expect(mine).not.toContain(first);
    expect(mine).not.toContain(third);
  });

  it('pages through the watched tickets with the link header', async () => {
    // Prepare
    const tickets = [await newTicket(), await newTicket(), await newTicket()];
    for (const ticket of tickets) await call(admin.key, 'POST', `${v}/tickets/${ticket}/watch`);

    // Act
    const first = await call(admin.key, 'GET', `${v}/tickets?filter=watching&per_page=2`);
    const link = first.headers.get('link') ?? '';
    const next = link.match(/<[^>]*(\/api\/v2\/tickets\?[^>]*)>/)?.[1] ?? '';
    const second = await call(admin.key, 'GET', next);

    // Assess
    expect(first.body.map((ticket: { id: number }) => ticket.id)).toEqual([tickets[2], tickets[1]]);
    expect(next).toContain('filter=watching');
    expect(second.body.map((ticket: { id: number }) => ticket.id)).toEqual([tickets[0]]);
  });
});

describe('bulk_watch and bulk_unwatch', () => {
  it('watches and unwatches several tickets', async () => {
    const tickets = [await newTicket(), await newTicket()];

    const watched = await call(colleague.key, 'POST', `${v}/tickets/bulk_watch`, { ids: tickets });
    const whileWatched = await Promise.all(tickets.map((ticket) => watcherIds(admin.key, ticket)));
    const unwatched = await call(colleague.key, 'PUT', `${v}/tickets/bulk_unwatch`, { ids: tickets });
    const after = await Promise.all(tickets.map((ticket) => watcherIds(admin.key, ticket)));

    expect(watched.status).toBe(204);
    expect(whileWatched).toEqual([[colleague.id], [colleague.id]]);
    expect(unwatched.status).toBe(204);
    expect(after).toEqual([[], []]);
  });

  it('changes nothing when one ticket is missing or out of scope (404)', async () => {
    const ticket = await newTicket({ responder_id: restricted.id });

    const missing = await call(colleague.key, 'POST', `${v}/tickets/bulk_watch`, {
      ids: [ticket, 987654321],
    });
    const outside = await call(restricted.key, 'POST', `${v}/tickets/bulk_watch`, {
      ids: [ticket, outOfScope],
    });

    expect(missing.status).toBe(404);
    expect(outside.status).toBe(404);
    expect(await watcherIds(admin.key, ticket)).toEqual([]);
  });

  it.each([
    [{}, 'ids'],
    [{ ids: [] }, 'ids'],
    [{ ids: Array.from({ length: 101 }, (_, i) => i + 1) }, 'ids'],
    [{ ids: ['1'] }, 'ids.0'],
    [{ ids: [1], colour: 'red' }, 'colour'],
  ])('refuses %j naming %s', async (body, field) => {
    const answer = await call(admin.key, 'POST', `${v}/tickets/bulk_watch`, body);

    expect(answer.status).toBe(400);
    expect(answer.body.errors[0]).toMatchObject({ field });
  });
});
