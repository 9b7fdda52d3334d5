import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { trashPk, trashSk } from '../../lambdas/adapters/record-keys.ts';
import { retention } from '../../lib/residency/index.ts';
import { createTestAccount } from './account-fixture.ts';
import { emulatorDocumentClient } from './emulator-clients.ts';
import { apiCaller, completed, type PrivacyRequestView, privacyRequestOnceDone } from './test-accounts.ts';

const platform = inject('localPlatform');
const region = 'us' as const;
const { url, table, logFile } = platform.regions[region];
const client = emulatorDocumentClient(platform);
afterAll(() => client.destroy());

const holds = '/api/v2/legal_holds';
const requests = '/api/v2/privacy/requests';

async function account() {
  const made = await createTestAccount(client, table, region, [
    { id: 900, role: 'admin' },
    { id: 901, role: 'agent' },
  ]);
  const [adminKey = '', agentKey = ''] = made.agents.map(({ key }) => key);
  const call = apiCaller(url);
  return {
    id: made.id,
    adminKey,
    admin: (method: string, path: string, body?: unknown) => call(method, path, adminKey, body),
    agent: (method: string, path: string, body?: unknown) => call(method, path, agentKey, body),
  };
}
type Account = Awaited<ReturnType<typeof account>>;

/** A contact with two tickets, each with a note. */
async function contactWithTickets(admin: Account['admin']) {
  const marker = `mk${randomUUID().replaceAll('-', '')}`;
  const contact = await admin('POST', '/api/v2/contacts', {
    name: `Name ${marker}`,
    email: `${marker}@example.test`,
  });
  const tickets: number[] = [];
  for (const n of [1, 2]) {
    const ticket = await admin('POST', '/api/v2/tickets', {
      subject: `Ticket ${n} ${marker}`,
      description: `About ${marker}`,
      email: `${marker}@example.test`,
      priority: 1,
      status: 2,
    });
    expect(ticket.status).toBe(201);
    const note = await admin('POST', `/api/v2/tickets/${ticket.body.id}/notes`, { body: `Note ${marker}` });
    expect(note.status).toBe(201);
    tickets.push(ticket.body.id as number);
  }
  return { contact: contact.body.id as number, tickets };
}

/** A permanent erasure of the contact, verified; answers the request once done. */
async function erased(acc: Account, contact: number) {
  const created = await acc.admin('POST', requests, {
    type: 'erasure',
    mode: 'permanent',
    subject: { type: 'contact', id: contact },
    channel: 'email',
  });
  const preview = await acc.admin('GET', `${requests}/${created.body.id}/preview`);
  await acc.admin('POST', `${requests}/${created.body.id}/verify`, { method: 'email_confirmation' });
  const done = await privacyRequestOnceDone(url, acc.adminKey, `${requests}/${created.body.id}`, completed);
  return { preview, done: done as PrivacyRequestView & { certificate: Record<string, unknown> } };
}

describe('legal holds', () => {
  it('are placed, listed, read and released by admins only; the reason stays out of the audit log', async () => {
    // Prepare
    const acc = await account();
    const { contact } = await contactWithTickets(acc.admin);
    const reason = `Litigation ${randomUUID()}`;

    // Act
    const byAgent = await acc.agent('POST', holds, { target_type: 'contact', target_id: contact, reason });
    const placed = await acc.admin('POST', holds, { target_type: 'contact', target_id: contact, reason });
    const second = await acc.admin('POST', holds, { target_type: 'contact', target_id: contact, reason });
    const refused = await acc.admin('POST', holds, {
      target_type: 'account',
      reason,
      ends_at: '2001-01-01T00:00:00Z',
    });
    const listed = await acc.admin('GET', holds);
    const released = await acc.admin('DELETE', `${holds}/${placed.body.id}`);
    const again = await acc.admin('POST', holds, { target_type: 'contact', target_id: contact, reason: 'y' });
    const audit = await acc.admin(
      'GET',
      `/api/v2/audit_log?record_type=legal_hold&record_id=${placed.body.id}`,
    );

    // Assess
    expect(byAgent.status).toBe(403);
    expect(placed.status).toBe(201);
    expect(placed.body).toMatchObject({
      target_type: 'contact',
      target_id: contact,
      reason,
      ends_at: null,
      status: 'active',
      placed_by: 900,
    });
    expect(second.status).toBe(409);
    expect(refused.status).toBe(400);
    expect(JSON.stringify([second.body, refused.body])).not.toContain(reason);
    expect(readFileSync(logFile, 'utf8')).not.toContain(reason);
    expect(listed.body).toEqual([expect.objectContaining({ id: placed.body.id, status: 'active' })]);
    expect(released.status).toBe(200);
    expect(released.body).toMatchObject({ status: 'released', released_by: 900 });
    expect(again.status).toBe(201);
    expect(audit.status).toBe(200);
    expect(JSON.stringify(audit.body)).not.toContain(reason);
    expect(audit.body).toEqual([
      expect.objectContaining({ operation: 'update', changed_fields: ['released_at', 'released_by'] }),
      expect.objectContaining({ operation: 'create' }),
    ]);
  });

  it('refuses bad holds with 400 naming the field', async () => {
    // Prepare
    const acc = await account();

    // Act
    const accountWithId = await acc.admin('POST', holds, {
      target_type: 'account',
      target_id: 1,
      reason: 'r',
    });
    const noReason = await acc.admin('POST', holds, { target_type: 'account', reason: ' ' });
    const unknown = await acc.admin('POST', holds, {
      target_type: 'ticket',
      target_id: 999_999,
      reason: 'r',
    });
    const past = await acc.admin('POST', holds, {
      target_type: 'account',
      reason: 'r',
      ends_at: '2000-01-01T00:00:00Z',
    });

    // Assess
    for (const [answer, field] of [
      [accountWithId, 'target_id'],
      [noReason, 'reason'],
      [unknown, 'target_id'],
      [past, 'ends_at'],
    ] as const) {
      expect(answer.status).toBe(400);
      expect(answer.body.errors).toEqual([expect.objectContaining({ field })]);
    }
  });

  it('keeps a held ticket through an erasure that removes the rest; preview and certificate say so', async () => {
    // Prepare
    const acc = await account();
    const { contact, tickets } = await contactWithTickets(acc.admin);
    const [heldTicket, freeTicket] = tickets;
    const hold = await acc.admin('POST', holds, {
      target_type: 'ticket',
      target_id: heldTicket,
      reason: 'Court order',
    });

    // Act
    const { preview, done } = await erased(acc, contact);

    // Assess: the held ticket and its note stay; everything else of the contact is gone.
    const heldUnder = {
      counts: { conversation: 1, ticket: 1 },
      holds: [
        {
          hold_id: hold.body.id,
          target_type: 'ticket',
          target_id: heldTicket,
          counts: { conversation: 1, ticket: 1 },
        },
      ],
    };
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({
      mode: 'permanent',
      status: 'pending_verification',
      counts: { remove: { contact: 1, conversation: 1, ticket: 1 }, anonymise: {} },
      held: heldUnder,
    });
    expect(done.status).toBe('completed');
    expect(done.certificate).toMatchObject({
      counts: { erased: { contact: 1, conversation: 1, ticket: 1 } },
      held: heldUnder,
      backups: { point_in_time_recovery_days: 35, aws_backup_days: 35 },
    });
    expect((await acc.admin('GET', `/api/v2/tickets/${heldTicket}`)).status).toBe(200);
    expect((await acc.admin('GET', `/api/v2/tickets/${freeTicket}`)).status).toBe(404);
    expect((await acc.admin('GET', `/api/v2/contacts/${contact}`)).status).toBe(404);
  });

  it('keeps everything of a held contact, and everything when the account is held, until released', async () => {
    // Prepare
    const acc = await account();
    const first = await contactWithTickets(acc.admin);
    const second = await contactWithTickets(acc.admin);
    const contactHold = await acc.admin('POST', holds, {
      target_type: 'contact',
      target_id: first.contact,
      reason: 'r',
    });
    const accountHold = await acc.admin('POST', holds, { target_type: 'account', reason: 'r' });

    // Act
    const { done: heldContact } = await erased(acc, first.contact);
    await acc.admin('DELETE', `${holds}/${accountHold.body.id}`);
    const { done: afterRelease } = await erased(acc, second.contact);

    // Assess
    expect(heldContact.certificate).toMatchObject({
      counts: { erased: {} },
      held: {
        counts: { contact: 1, conversation: 2, ticket: 2 },
        holds: [expect.objectContaining({ hold_id: accountHold.body.id })],
      },
    });
    expect((await acc.admin('GET', `/api/v2/contacts/${first.contact}`)).status).toBe(200);
    expect(afterRelease.certificate).toMatchObject({
      counts: { erased: { contact: 1, conversation: 2, ticket: 2 } },
      held: { counts: {}, holds: [] },
    });
    expect(contactHold.status).toBe(201);
  });

  it("leaves an earlier soft erasure's held trash entries in place when a permanent erasure purges the rest", async () => {
    // Prepare: a reply by another contact on the subject's ticket holds both contacts' data.
    const acc = await account();
    const { contact, tickets } = await contactWithTickets(acc.admin);
    const other = await acc.admin('POST', '/api/v2/contacts', {
      name: 'Other',
      email: `o${randomUUID()}@example.test`,
    });
    const reply = await acc.admin('POST', `/api/v2/tickets/${tickets[0]}/reply`, {
      body: 'Both',
      user_id: other.body.id,
    });
    const deleted = await acc.admin('DELETE', `/api/v2/contacts/${contact}`);
    const softId = Number(deleted.headers.get('location')?.split('/').pop());
    await privacyRequestOnceDone(url, acc.adminKey, `${requests}/${softId}`, completed);
    const hold = await acc.admin('POST', holds, {
      target_type: 'contact',
      target_id: other.body.id,
      reason: 'r',
    });

    // Act
    const hardDeleted = await acc.admin('DELETE', `/api/v2/contacts/${contact}/hard_delete`);
    const hardId = Number(hardDeleted.headers.get('location')?.split('/').pop());
    const done = await privacyRequestOnceDone(url, acc.adminKey, `${requests}/${hardId}`, completed);
    const earlier = await acc.admin('GET', `${requests}/${softId}`);
    const { Item: kept } = await client.send(
      new GetCommand({
        TableName: table,
        Key: { pk: trashPk(acc.id, softId), sk: trashSk({ type: 'conversation', id: reply.body.id }) },
      }),
    );

    // Assess: the held reply stays in the earlier trash, which is not purged; the certificate says so.
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    expect(hold.status).toBe(201);
    expect(done.certificate).toMatchObject({
      held: { counts: { conversation: 1 }, holds: [expect.objectContaining({ hold_id: hold.body.id })] },
    });
    expect(earlier.body.trash).toMatchObject({ state: 'held' });
    expect(kept).toBeDefined();
  });

  it("previews an agent's erasure as anonymised contributions, for admins only, and refuses an export's", async () => {
    // Prepare
    const acc = await account();
    const { tickets } = await contactWithTickets(acc.admin);
    const reply = await acc.agent('POST', `/api/v2/tickets/${tickets[0]}/notes`, { body: 'An agent note' });
    const erasure = await acc.admin('POST', requests, {
      type: 'erasure',
      mode: 'permanent',
      subject: { type: 'agent', id: 901 },
      channel: 'email',
    });
    const exported = await acc.admin('POST', requests, {
      type: 'export',
      subject: { type: 'agent', id: 901 },
      channel: 'email',
    });

    // Act
    const preview = await acc.admin('GET', `${requests}/${erasure.body.id}/preview`);
    const byAgent = await acc.agent('GET', `${requests}/${erasure.body.id}/preview`);
    const ofExport = await acc.admin('GET', `${requests}/${exported.body.id}/preview`);
    const after = await acc.admin('GET', `${requests}/${erasure.body.id}`);

    // Assess: nothing changed; the profile would go, the note would stay anonymised.
    expect(reply.status).toBe(201);
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({
      request_id: erasure.body.id,
      counts: { remove: { agent: 1 }, anonymise: { conversation: 1 } },
      held: { counts: {}, holds: [] },
    });
    expect(byAgent.status).toBe(403);
    expect(ofExport.status).toBe(409);
    expect(after.body.status).toBe('pending_verification');
  });

  it('says in the certificate how long backups keep copies: the catalogue number', () => {
    expect(retention.backupDays).toBe(35);
  });
});
