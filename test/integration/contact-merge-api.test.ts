import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DynamoRecordStore } from '../../lambdas/adapters/dynamo-record-store.ts';
import type { Principal } from '../../lambdas/domain/account.ts';
import { ContactMerge } from '../../lambdas/domain/contacts/contact-merge.ts';
import type { RecordStore } from '../../lambdas/domain/records/record-store.ts';
import type { RecordRef } from '../../lambdas/domain/records/record.ts';
import { createTestAccount, keyCaller, linkedRecords, type TestAgent } from './account-fixture.ts';
import { emulatorDocumentClient } from './emulator-clients.ts';

/**
 * POST /api/v2/contacts/merge on the local platform: one person, one data subject. Everything linked
 * to the secondaries moves to the primary (tickets, conversations, calls, chats, ratings), an export of
 * the primary holds it all, the secondaries are left as ids only; refusals under a legal hold or an open
 * privacy request; ticket scope; a merge cut short by a failed transaction finishing exactly once.
 */
const platform = inject('localPlatform');
const { url, table } = platform.regions.us;
const client = emulatorDocumentClient(platform);
const store = new DynamoRecordStore(client, table);
const call = keyCaller(url);

let accountId = '';
let admin: TestAgent;
let scoped: TestAgent;

beforeAll(async () => {
  const account = await createTestAccount(client, table, 'us', [
    { id: 951, role: 'admin' },
    // An agent holds contacts.delete; with group scope they do not see every ticket.
    { id: 952, role: 'agent' },
  ]);
  accountId = account.id;
  [admin, scoped] = account.agents as [TestAgent, TestAgent];
  const group = (await call(admin.key, 'POST', '/api/v2/groups', { name: 'Merge scope' })).body.id;
  await call(admin.key, 'PUT', `/api/v2/agents/${scoped.id}`, { ticket_scope: 2, group_ids: [group] });
});
afterAll(() => client.destroy());

const made = async (path: string, body: unknown) => {
  const answer = await call(admin.key, 'POST', path, body);
  if (answer.status !== 201) throw new Error(`${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body.id as number;
};

/** A contact whose every text carries `marker`, with a ticket, a reply, a rating, a call and a chat. */
async function personWithHistory(marker: string, phone: string) {
  const contact = await made('/api/v2/contacts', {
    name: `Name ${marker}`,
    email: `${marker}@example.test`,
    phone,
  });
  const ticket = await made('/api/v2/tickets', {
    subject: `Subject ${marker}`,
    description: 'D',
    requester_id: contact,
  });
  const reply = await made(`/api/v2/tickets/${ticket}/notes`, {
    body: `Reply ${marker}`,
    user_id: contact,
    incoming: true,
  });
  const rating = await made(`/api/v2/tickets/${ticket}/satisfaction_ratings`, {
    ratings: { default_question: 103 },
    feedback: `Feedback ${marker}`,
  });
  const callId = await made('/api/v2/calls', {
    direction: 'incoming',
    contact_id: contact,
    started_at: '2026-11-23T10:00:00Z',
    duration_seconds: 42,
  });
  const chat = await made('/api/v2/chats', { contact_id: contact, started_at: '2026-11-23T09:00:00Z' });
  const message = await made(`/api/v2/chats/${chat}/messages`, {
    body: `Chat ${marker}`,
    actor_type: 'contact',
  });
  return { contact, ticket, reply, rating, call: callId, chat, message };
}

const refsOf = (history: Awaited<ReturnType<typeof personWithHistory>>) => [
  `ticket#${history.ticket}`,
  `conversation#${history.reply}`,
  `satisfaction_rating#${history.rating}`,
  `call#${history.call}`,
  `chat#${history.chat}`,
  `chat_message#${history.message}`,
];

/** Polls a privacy request until its workflow is done. */
async function finished(id: number) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const request = await call(admin.key, 'GET', `/api/v2/privacy/requests/${id}`);
    if (['completed', 'failed'].includes(request.body.status) || Date.now() > deadline) return request.body;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('contact merge', () => {
  it('moves everything to the primary: one data subject, whom an export finds whole', async () => {
    // Prepare
    const marker = `p${randomUUID().slice(0, 8)}`;
    const secondMarker = `s${randomUUID().slice(0, 8)}`;
    const primary = await personWithHistory(marker, '+1 555 0100');
    const secondary = await personWithHistory(secondMarker, '+1 555 0199');

    // Act
    const answer = await call(admin.key, 'POST', '/api/v2/contacts/merge', {
      primary_contact_id: primary.contact,
      secondary_contact_ids: [secondary.contact],
      contact: { phone: '+1 555 0199', other_emails: [`${secondMarker}@example.test`] },
    });

    // Assess: the secondary is gone as a contact, its lookups with it; the primary keeps what was chosen.
    expect(answer.status, JSON.stringify(answer.body)).toBe(204);
    expect((await call(admin.key, 'GET', `/api/v2/contacts/${secondary.contact}`)).status).toBe(404);
    const merged = (await call(admin.key, 'GET', `/api/v2/contacts/${primary.contact}`)).body;
    expect(merged).toMatchObject({ phone: '+1 555 0199', other_emails: [`${secondMarker}@example.test`] });
    const byPhone = await call(admin.key, 'GET', `/api/v2/contacts?phone=${encodeURIComponent('+15550199')}`);
    expect(byPhone.body.map((c: { id: number }) => c.id)).toEqual([primary.contact]);
    const byOldEmail = await call(admin.key, 'GET', `/api/v2/contacts?email=${secondMarker}@example.test`);
    expect(byOldEmail.body).toEqual([]);
    // Its e-mail is free: a new contact may take it.
    expect(
      (
        await call(admin.key, 'POST', '/api/v2/contacts', {
          name: 'New',
          email: `${secondMarker}@example.test`,
        })
      ).status,
    ).toBe(201);
    // Everything linked to it is the primary's now, fields, links and listings alike.
    expect(await linkedRecords(client, table, accountId, { kind: 'contact', id: secondary.contact })).toEqual(
      [],
    );
    const links = await linkedRecords(client, table, accountId, { kind: 'contact', id: primary.contact });
    expect(links).toEqual(expect.arrayContaining([...refsOf(primary), ...refsOf(secondary)]));
    const tickets = await call(admin.key, 'GET', `/api/v2/tickets?requester_id=${primary.contact}`);
    expect(tickets.body.map((t: { id: number }) => t.id).sort()).toEqual(
      [primary.ticket, secondary.ticket].sort(),
    );
    expect((await call(admin.key, 'GET', `/api/v2/calls/${secondary.call}`)).body.contact_id).toBe(
      primary.contact,
    );
    const reply = await store.get<{ user_id: number; requester_id: number }>(accountId, {
      type: 'conversation',
      id: secondary.reply,
    });
    expect(reply?.fields).toMatchObject({ user_id: primary.contact, requester_id: primary.contact });
    // The secondary is left as ids only: no personal data, no claims.
    const stub = await store.get(accountId, { type: 'contact', id: secondary.contact });
    expect(stub?.fields).toEqual({ merged_into: primary.contact });
    expect(stub?.subjects).toEqual([]);
    expect(stub?.uniqueValues).toBeUndefined();
    // Each moved record audited by field names.
    const trail = await store.auditTrail(accountId, { type: 'call', id: secondary.call }, 5);
    expect(trail[0]).toMatchObject({ operation: 'update', changedFields: ['contact_id'] });

    // Act: an export of the primary.
    const request = await made('/api/v2/privacy/requests', {
      type: 'export',
      subject: { type: 'contact', id: primary.contact },
      channel: 'email',
    });
    await call(admin.key, 'POST', `/api/v2/privacy/requests/${request}/verify`, {
      method: 'email_confirmation',
    });
    const done = await finished(request);

    // Assess: both people's histories, as one subject's.
    expect(done.status).toBe('completed');
    expect(done.result.counts).toEqual({
      profile: 1,
      tickets: 2,
      conversations: 2,
      satisfaction_ratings: 2,
      calls: 2,
      chats: 2,
      chat_messages: 2,
    });
    const texts: string[] = [];
    for (const file of done.result.files as { name: string; url: string }[]) {
      if (file.name.endsWith('.json')) texts.push(await (await fetch(file.url)).text());
    }
    const all = texts.join('\n');
    for (const text of [
      `Subject ${secondMarker}`,
      `Reply ${secondMarker}`,
      `Feedback ${secondMarker}`,
      `Chat ${secondMarker}`,
    ]) {
      expect(all).toContain(text);
    }
    expect(all).not.toContain(`Name ${secondMarker}`);
  });

  it('sent again, changes nothing', async () => {
    const primary = await made('/api/v2/contacts', { name: 'A', email: `a-${randomUUID()}@example.test` });
    const secondary = await made('/api/v2/contacts', { name: 'B', email: `b-${randomUUID()}@example.test` });
    const body = { primary_contact_id: primary, secondary_contact_ids: [secondary] };
    await call(admin.key, 'POST', '/api/v2/contacts/merge', body);
    const before = await store.get(accountId, { type: 'contact', id: secondary });

    const again = await call(admin.key, 'POST', '/api/v2/contacts/merge', body);

    expect(again.status).toBe(204);
    expect(await store.get(accountId, { type: 'contact', id: secondary })).toEqual(before);
  });
});

describe('contact merge: refusals', () => {
  const pair = async () =>
    [
      await made('/api/v2/contacts', { name: 'A', email: `a-${randomUUID()}@example.test` }),
      await made('/api/v2/contacts', { name: 'B', email: `b-${randomUUID()}@example.test` }),
    ] as const;

  it.each([
    [{ secondary_contact_ids: [2] }, 'primary_contact_id'],
    [{ primary_contact_id: 1, secondary_contact_ids: [1] }, 'secondary_contact_ids'],
    [{ primary_contact_id: 1, secondary_contact_ids: [2, 2] }, 'secondary_contact_ids'],
    [{ primary_contact_id: 1, secondary_contact_ids: [2], contact: { name: 'X' } }, 'contact.name'],
  ])('refuses %j naming %s', async (body, field) => {
    const answer = await call(admin.key, 'POST', '/api/v2/contacts/merge', body);

    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
  });

  it('refuses a kept value none of the contacts holds (400), and changes nothing', async () => {
    const [primary, secondary] = await pair();

    const answer = await call(admin.key, 'POST', '/api/v2/contacts/merge', {
      primary_contact_id: primary,
      secondary_contact_ids: [secondary],
      contact: { email: 'someone-else@example.test' },
    });

    expect(answer.status).toBe(400);
    expect(answer.body.errors[0]).toMatchObject({ field: 'contact.email' });
    expect((await call(admin.key, 'GET', `/api/v2/contacts/${secondary}`)).status).toBe(200);
  });

  it('refuses while a legal hold covers a secondary (409), and changes nothing', async () => {
    const [primary, secondary] = await pair();
    await made('/api/v2/legal_holds', { target_type: 'contact', target_id: secondary, reason: 'Litigation' });

    const answer = await call(admin.key, 'POST', '/api/v2/contacts/merge', {
      primary_contact_id: primary,
      secondary_contact_ids: [secondary],
    });

    expect(answer.status).toBe(409);
    expect(JSON.stringify(answer.body)).toMatch(/legal hold/);
    expect((await call(admin.key, 'GET', `/api/v2/contacts/${secondary}`)).status).toBe(200);
  });

  it('refuses while a privacy request about a secondary is open (409), and changes nothing', async () => {
    const [primary, secondary] = await pair();
    await made('/api/v2/privacy/requests', {
      type: 'export',
      subject: { type: 'contact', id: secondary },
      channel: 'email',
    });

    const answer = await call(admin.key, 'POST', '/api/v2/contacts/merge', {
      primary_contact_id: primary,
      secondary_contact_ids: [secondary],
    });

    expect(answer.status).toBe(409);
    expect(JSON.stringify(answer.body)).toMatch(/privacy request/);
    expect((await call(admin.key, 'GET', `/api/v2/contacts/${secondary}`)).status).toBe(200);
  });

  it('refuses a caller who does not see every ticket (403), and changes nothing', async () => {
    const [primary, secondary] = await pair();

    const answer = await call(scoped.key, 'POST', '/api/v2/contacts/merge', {
      primary_contact_id: primary,
      secondary_contact_ids: [secondary],
    });

    expect(answer.status).toBe(403);
    expect((await call(admin.key, 'GET', `/api/v2/contacts/${secondary}`)).status).toBe(200);
  });

  it('answers 404 for a contact that does not exist', async () => {
    const [primary] = await pair();

    const answer = await call(admin.key, 'POST', '/api/v2/contacts/merge', {
      primary_contact_id: primary,
      secondary_contact_ids: [987_654_321],
    });

    expect(answer.status).toBe(404);
  });
});

describe('contact merge: cut short', () => {
  it('sent again after a failed transaction, finishes exactly once', async () => {
    // Prepare: a secondary with several linked records, moved one per transaction; the fourth fails once.
    const primary = await made('/api/v2/contacts', { name: 'A', email: `a-${randomUUID()}@example.test` });
    const secondary = await personWithHistory(`c${randomUUID().slice(0, 8)}`, '+1 555 0142');
    let commits = 0;
    const failing: RecordStore = Object.create(store, {
      commit: {
        value: async (changes: Parameters<RecordStore['commit']>[0]) => {
          commits += 1;
          if (commits === 4) throw new Error('injected failure');
          return store.commit(changes);
        },
      },
    });
    const principal = { accountId, agentId: admin.id } as Principal;
    const deps = (records: RecordStore) => ({ store: records, now: () => new Date(), newId: () => 0 });
    const input = { primary_contact_id: primary, secondary_contact_ids: [secondary.contact] };

    // Act
    await expect(new ContactMerge(deps(failing), 1).merge(principal, input)).rejects.toThrow(
      'injected failure',
    );
    const between = await linkedRecords(client, table, accountId, { kind: 'contact', id: primary });
    await new ContactMerge(deps(store), 1).merge(principal, input);

    // Assess: part moved before the failure, all after, each record rewritten exactly once.
    expect(between.length).toBeGreaterThan(1);
    expect(between.length).toBeLessThan(refsOf(secondary).length + 1);
    const links = await linkedRecords(client, table, accountId, { kind: 'contact', id: primary });
    expect(links.sort()).toEqual([`contact#${primary}`, ...refsOf(secondary)].sort());
    expect(await linkedRecords(client, table, accountId, { kind: 'contact', id: secondary.contact })).toEqual(
      [],
    );
    for (const ref of refsOf(secondary)) {
      const [type, id] = ref.split('#');
      const trail = await store.auditTrail(accountId, { type, id: Number(id) } as RecordRef, 20);
      const moves = ['requester_id', 'contact_id', 'user_id', 'actor_id', 'subjects'];
      const merges = trail.filter(
        (entry) => entry.operation === 'update' && entry.changedFields.some((field) => moves.includes(field)),
      );
      expect(merges, ref).toHaveLength(1);
    }
  });
});

describe('contact merge: time budget', () => {
  it('answers in_progress when its budget is spent, and the same request continues it', async () => {
    // Prepare: a budget spent after every transaction of one record.
    const primary = await made('/api/v2/contacts', { name: 'A', email: `a-${randomUUID()}@example.test` });
    const secondary = await personWithHistory(`t${randomUUID().slice(0, 8)}`, '+1 555 0143');
    const principal = { accountId, agentId: admin.id } as Principal;
    const merge = new ContactMerge({ store, now: () => new Date(), newId: () => 0 }, 1, 0);
    const input = { primary_contact_id: primary, secondary_contact_ids: [secondary.contact] };

    // Act
    const outcomes: string[] = [];
    for (let n = 0; n < 20 && outcomes.at(-1) !== 'done'; n++)
      outcomes.push(await merge.merge(principal, input));

    // Assess: one record per request, then done; everything moved.
    expect(outcomes).toEqual([...refsOf(secondary).map(() => 'in_progress'), 'done']);
    const links = await linkedRecords(client, table, accountId, { kind: 'contact', id: primary });
    expect(links.sort()).toEqual([`contact#${primary}`, ...refsOf(secondary)].sort());
    expect((await store.get(accountId, { type: 'contact', id: secondary.contact }))?.fields).toEqual({
      merged_into: primary,
    });
  });
});
