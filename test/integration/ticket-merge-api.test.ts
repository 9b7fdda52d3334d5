import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Principal } from '../../lambdas/domain/account.ts';
import type { RecordStore } from '../../lambdas/domain/records/record-store.ts';
import { TicketMerge } from '../../lambdas/domain/tickets/ticket-merge.ts';
import { DynamoRecordStore } from '../../lambdas/adapters/dynamo-record-store.ts';
import { createTestAccount, keyCaller, type TestAgent } from './account-fixture.ts';
import { emulatorDocumentClient } from './emulator-clients.ts';

/**
 * PUT /api/v2/tickets/merge over HTTP: v2's body, conversations moved to the primary, secondaries
 * closed with a note, the primary's note and CC, ticket scope, a second merge changing nothing, and a
 * merge cut short by a failed transaction finishing exactly once when sent again.
 */
const platform = inject('localPlatform');
const { url, table } = platform.regions.eea;
const client = emulatorDocumentClient(platform);
const call = keyCaller(url);

let accountId = '';
let admin: TestAgent;
let restricted: TestAgent;
let group = 0;

const newTicket = async (fields: Record<string, unknown>) => {
  const answer = await call(admin.key, 'POST', '/api/v2/tickets', {
    subject: 'S',
    description: 'D',
    ...fields,
  });
  if (answer.status !== 201) throw new Error(JSON.stringify(answer.body));
  return answer.body.id as number;
};
const conversationsOf = async (id: number) =>
  (await call(admin.key, 'GET', `/api/v2/tickets/${id}/conversations`)).body as {
    id: number;
    body_text: string;
    private: boolean;
  }[];

beforeAll(async () => {
  const account = await createTestAccount(client, table, 'eea', [
    { id: 901, role: 'admin' },
    { id: 902, role: 'agent' },
  ]);
  accountId = account.id;
  [admin, restricted] = account.agents as [TestAgent, TestAgent];
  group = (await call(admin.key, 'POST', '/api/v2/groups', { name: 'Merge A' })).body.id;
  await call(admin.key, 'PUT', `/api/v2/agents/${restricted.id}`, { ticket_scope: 2, group_ids: [group] });
});
afterAll(() => client.destroy());

describe('ticket merge: validation', () => {
  it.each([
    [{ ticket_ids: [1] }, 'primary_id'],
    [{ primary_id: 1 }, 'ticket_ids'],
    [{ primary_id: 1, ticket_ids: [1] }, 'ticket_ids'],
    [{ primary_id: 1, ticket_ids: [2], colour: 'red' }, 'colour'],
    [{ primary_id: 1, ticket_ids: [2], note_in_primary: { body: '' } }, 'note_in_primary.body'],
  ])('refuses %j naming %s', async (body, field) => {
    const answer = await call(admin.key, 'PUT', '/api/v2/tickets/merge', body);

    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
  });

  it('answers 404 for a ticket that does not exist, and changes nothing', async () => {
    const primary = await newTicket({ email: 'nf@example.test' });

    const answer = await call(admin.key, 'PUT', '/api/v2/tickets/merge', {
      primary_id: primary,
      ticket_ids: [987_654_321],
    });

    expect(answer.status).toBe(404);
    expect(await conversationsOf(primary)).toEqual([]);
  });
});

describe('ticket merge', () => {
  it("moves the secondaries' conversations, closes them with a note, notes the primary", async () => {
    // Prepare
    const primary = await newTicket({ email: 'first@example.test' });
    const second = await newTicket({ email: 'second@example.test', cc_emails: ['cc@example.test'] });
    const third = await newTicket({ email: 'first@example.test' });
    const reply = (await call(admin.key, 'POST', `/api/v2/tickets/${second}/reply`, { body: 'R2' })).body.id;
    const note = (await call(admin.key, 'POST', `/api/v2/tickets/${third}/notes`, { body: 'N3' })).body.id;

    // Act
    const answer = await call(admin.key, 'PUT', '/api/v2/tickets/merge', {
      primary_id: primary,
      ticket_ids: [second, third],
      convert_recepients_to_cc: true,
      note_in_primary: { body: 'Merged duplicates', private: false },
    });

    // Assess
    expect(answer.status, JSON.stringify(answer.body)).toBe(204);
    const onPrimary = await conversationsOf(primary);
    expect(onPrimary.map((c) => c.id)).toEqual(expect.arrayContaining([reply, note]));
    expect(onPrimary).toContainEqual(
      expect.objectContaining({ body_text: 'Merged duplicates', private: false }),
    );
    for (const secondary of [second, third]) {
      const ticket = (await call(admin.key, 'GET', `/api/v2/tickets/${secondary}`)).body;
      expect(ticket.status).toBe(5);
      expect(ticket).not.toHaveProperty('merged_into');
      expect((await conversationsOf(secondary)).map((c) => c.body_text)).toEqual([
        `This ticket is closed and merged into ticket ${primary}.`,
      ]);
    }
    const primaryView = (await call(admin.key, 'GET', `/api/v2/tickets/${primary}`)).body;
    expect(primaryView.cc_emails).toEqual(['second@example.test', 'cc@example.test']);
    const trail = await new DynamoRecordStore(client, table).auditTrail(
      accountId,
      { type: 'conversation', id: reply },
      5,
    );
    expect(trail[0]).toMatchObject({ operation: 'update', changedFields: ['ticket_id'] });
  });

  it('sent again, changes nothing: no second note', async () => {
    const primary = await newTicket({ email: 'again@example.test' });
    const secondary = await newTicket({ email: 'again@example.test' });
    const body = { primary_id: primary, ticket_ids: [secondary] };
    await call(admin.key, 'PUT', '/api/v2/tickets/merge', body);

    const again = await call(admin.key, 'PUT', '/api/v2/tickets/merge', body);

    expect(again.status).toBe(204);
    expect(await conversationsOf(primary)).toHaveLength(1);
    expect(await conversationsOf(secondary)).toHaveLength(1);
  });

  it('refuses a ticket merged into another primary (409)', async () => {
    const [a, b, c] = [
      await newTicket({ email: 'x@example.test' }),
      await newTicket({ email: 'x@example.test' }),
      await newTicket({ email: 'x@example.test' }),
    ];
    await call(admin.key, 'PUT', '/api/v2/tickets/merge', { primary_id: a, ticket_ids: [b] });

    const answer = await call(admin.key, 'PUT', '/api/v2/tickets/merge', { primary_id: c, ticket_ids: [b] });
    const intoMerged = await call(admin.key, 'PUT', '/api/v2/tickets/merge', {
      primary_id: b,
      ticket_ids: [c],
    });

    expect(answer.status).toBe(409);
    expect(intoMerged.status).toBe(409);
    expect(await conversationsOf(c)).toEqual([]);
  });
});

describe('ticket merge: scope', () => {
  it('answers 404 when a secondary is out of the caller’s scope, and changes nothing', async () => {
    // Prepare
    const primary = await newTicket({ email: 'scope@example.test', group_id: group });
    const outside = await newTicket({ email: 'scope@example.test' });
    await call(admin.key, 'POST', `/api/v2/tickets/${outside}/reply`, { body: 'Hidden' });

    // Act
    const answer = await call(restricted.key, 'PUT', '/api/v2/tickets/merge', {
      primary_id: primary,
      ticket_ids: [outside],
    });

    // Assess
    expect(answer.status).toBe(404);
    expect(await conversationsOf(primary)).toEqual([]);
    expect((await call(admin.key, 'GET', `/api/v2/tickets/${outside}`)).body.status).toBe(2);
  });

  it('merges tickets all within the scope', async () => {
    const primary = await newTicket({ email: 'in@example.test', group_id: group });
    const secondary = await newTicket({ email: 'in@example.test', group_id: group });

    const answer = await call(restricted.key, 'PUT', '/api/v2/tickets/merge', {
      primary_id: primary,
      ticket_ids: [secondary],
    });

    expect(answer.status).toBe(204);
  });
});

describe('ticket merge: cut short', () => {
  it('sent again after a failed transaction, finishes exactly once', async () => {
    // Prepare: three conversations moved one per transaction; the second transaction fails once.
    const primary = await newTicket({ email: 'cut@example.test' });
    const secondary = await newTicket({ email: 'cut@example.test' });
    for (const body of ['A', 'B', 'C'])
      await call(admin.key, 'POST', `/api/v2/tickets/${secondary}/reply`, { body });
    const store = new DynamoRecordStore(client, table);
    let commits = 0;
    const failing: RecordStore = Object.create(store, {
      commit: {
        value: async (changes: Parameters<RecordStore['commit']>[0]) => {
          commits += 1;
          if (commits === 2) throw new Error('injected failure');
          return store.commit(changes);
        },
      },
    });
    const principal = { accountId, agentId: admin.id } as Principal;
    let id = Date.now();
    const deps = (records: RecordStore) => ({ store: records, now: () => new Date(), newId: () => ++id });
    const input = { primary_id: primary, ticket_ids: [secondary] };

    // Act
    await expect(new TicketMerge(deps(failing), 1).merge(principal, input)).rejects.toThrow(
      'injected failure',
    );
    const between = await conversationsOf(primary);
    await new TicketMerge(deps(store), 1).merge(principal, input);

    // Assess
    expect(between).toHaveLength(1);
    const onPrimary = await conversationsOf(primary);
    expect(onPrimary.map((c) => c.body_text).sort()).toEqual(
      ['A', 'B', 'C', `Tickets ${secondary} were merged into this ticket.`].sort(),
    );
    expect((await conversationsOf(secondary)).map((c) => c.body_text)).toEqual([
      `This ticket is closed and merged into ticket ${primary}.`,
    ]);
  });
});
