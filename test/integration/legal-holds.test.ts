import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { type RecordItem, fromItem } from '../../lambdas/adapters/record-items.ts';
import { trashPk, trashSk } from '../../lambdas/adapters/record-keys.ts';
import { heldTrashKeyOf, trashKeyOf } from '../../lambdas/domain/privacy/erasure-objects.ts';
import type { RecordRef } from '../../lambdas/domain/records/record.ts';
import { retention } from '../../lib/residency/index.ts';
import { createTestAccount } from './account-fixture.ts';
import { emulatorDocumentClient, emulatorS3Client } from './emulator-clients.ts';
import { apiCaller, completed, type PrivacyRequestView, privacyRequestOnceDone } from './test-accounts.ts';
import { trashPurgeWatch } from './trash-purge-watch.ts';

const platform = inject('localPlatform');
const region = 'us' as const;
const { url, table, logFile, buckets } = platform.regions[region];
const client = emulatorDocumentClient(platform);
const s3 = emulatorS3Client(platform);
afterAll(() => {
  client.destroy();
  s3.destroy();
});

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

/** A file on the ticket, uploaded; answers the attachment's id and the file's text. */
async function uploadedFile(admin: Account['admin'], ticket: number) {
  const text = `File ${randomUUID()}`;
  const attachment = await admin('POST', `/api/v2/tickets/${ticket}/attachments`, {
    name: 'file.txt',
    content_type: 'text/plain',
    size: text.length,
  });
  expect(attachment.status, JSON.stringify(attachment.body)).toBe(201);
  const { upload_url, upload_headers } = attachment.body as {
    upload_url: string;
    upload_headers: Record<string, string>;
  };
  expect((await fetch(upload_url, { method: 'PUT', headers: upload_headers, body: text })).status).toBe(200);
  return { id: attachment.body.id as number, text };
}

/** A soft erasure's trash entry of the record, as stored (undefined once purged). */
async function trashEntry(accountId: string, requestId: number, ref: RecordRef) {
  const { Item } = await client.send(
    new GetCommand({ TableName: table, Key: { pk: trashPk(accountId, requestId), sk: trashSk(ref) } }),
  );
  return Item;
}

/** Whether the trash bucket holds the key. */
async function inTrashBucket(key: string): Promise<boolean> {
  try {
    await s3.send(new HeadObjectCommand({ Bucket: buckets.trash, Key: key }));
    return true;
  } catch {
    return false;
  }
}

/** The soft erasures whose trash purge the deadline watch would start with its clock at `at` (ISO). */
async function dueRequestIdsAt(at: string) {
  const watch = trashPurgeWatch(client, new Date(Date.parse(at) + 60_000));
  try {
    return await watch.dueRequestIds();
  } finally {
    watch.close();
  }
}

/** Runs the deadline watch with its clock at `at` (ISO); answers how many purges it started. */
async function purgeWatchAt(at: string) {
  const watch = trashPurgeWatch(client, new Date(Date.parse(at) + 60_000));
  try {
    return await watch.deadlines.startDuePurges();
  } finally {
    watch.close();
  }
}

type TrashView = {
  state: string;
  purge_due_at: string;
  legal_hold?: { next_purge_at: string; counts: Record<string, number>; files: number };
};
const trashOf = (request: PrivacyRequestView) => request.trash as TrashView;

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
      // The held ticket still needs the subject's key: it is kept, and the certificate says why.
      subject_key: { destroyed_at: null, unreadable_in_backups_from: null, kept_because: 'legal_hold' },
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

  it("keeps a soft erasure's trash a later hold covers past its 60 days, and purges it once released", async () => {
    // Prepare: the contact is soft-erased first, then held while in the trash.
    const acc = await account();
    const { contact, tickets } = await contactWithTickets(acc.admin);
    const { id: attachment } = await uploadedFile(acc.admin, tickets[0] ?? 0);
    const deleted = await acc.admin('DELETE', `/api/v2/contacts/${contact}`);
    const softId = Number(deleted.headers.get('location')?.split('/').pop());
    const soft = await privacyRequestOnceDone(url, acc.adminKey, `${requests}/${softId}`, completed);
    const hold = await acc.admin('POST', holds, { target_type: 'contact', target_id: contact, reason: 'r' });
    const attachmentRef: RecordRef = { type: 'attachment', id: attachment };
    const before = await trashEntry(acc.id, softId, attachmentRef);
    const object = { bucket: 'attachments' as const, key: '' };
    object.key = (fromItem(before?.record_item as RecordItem).fields as { object_key: string }).object_key;

    // Act: the purge after the 60 days, then (hold released) the next run a day later.
    const started = await purgeWatchAt(trashOf(soft).purge_due_at);
    const kept = await privacyRequestOnceDone(
      url,
      acc.adminKey,
      `${requests}/${softId}`,
      (r) => trashOf(r).state === 'held_by_legal_hold',
    );
    const keptEntry = await trashEntry(acc.id, softId, attachmentRef);
    const keptObjects = {
      trash: await inTrashBucket(trashKeyOf(acc.id, softId, object)),
      held: await inTrashBucket(heldTrashKeyOf(acc.id, softId, object)),
    };
    const nextPurgeAt = trashOf(kept).legal_hold?.next_purge_at ?? '';
    const dueEarly = await dueRequestIdsAt(new Date(Date.parse(nextPurgeAt) - 120_000).toISOString());
    const released = await acc.admin('DELETE', `${holds}/${hold.body.id}`);
    const startedAgain = await purgeWatchAt(nextPurgeAt);
    const purged = await privacyRequestOnceDone(
      url,
      acc.adminKey,
      `${requests}/${softId}`,
      (r) => trashOf(r).state === 'purged',
    );

    // Assess: every entry kept under the hold, its expiry gone and its copy out of the lifecycle's prefix.
    expect(hold.status, JSON.stringify(hold.body)).toBe(201);
    expect(before?.expires_at).toEqual(expect.any(Number));
    expect(started).toBeGreaterThanOrEqual(1);
    expect(kept.trash).toMatchObject({
      state: 'held_by_legal_hold',
      purged_at: null,
      legal_hold: {
        counts: { attachment: 1, contact: 1, conversation: 2, ticket: 2 },
        holds: [{ hold_id: hold.body.id, target_type: 'contact', target_id: contact }],
        files: 1,
        runs: 1,
      },
    });
    expect((kept.certificate as { purged_at: unknown }).purged_at).toBeNull();
    expect(keptEntry).toBeDefined();
    expect(keptEntry?.expires_at).toBeUndefined();
    expect(keptObjects).toEqual({ trash: false, held: true });
    // Other tests' soft erasures of the region may be due before this one: only this one's is asked.
    expect(dueEarly).not.toContain(softId);
    expect(released.status).toBe(200);
    expect(startedAgain).toBeGreaterThanOrEqual(1);
    expect(purged.trash).toMatchObject({ state: 'purged' });
    expect((purged.certificate as { executions: string[] }).executions).toEqual([
      `privacy-${acc.id}-${softId}`,
      `privacy-${acc.id}-${softId}-purge-1`,
      `privacy-${acc.id}-${softId}-purge-r1-1`,
    ]);
    expect(await trashEntry(acc.id, softId, attachmentRef)).toBeUndefined();
    expect(await trashEntry(acc.id, softId, { type: 'contact', id: contact })).toBeUndefined();
    expect(await inTrashBucket(heldTrashKeyOf(acc.id, softId, object))).toBe(false);
  });

  it('purges the unheld rest of a trash, and a restore brings back what a hold kept, file and all', async () => {
    // Prepare: one of the soft-erased contact's tickets is held while in the trash.
    const acc = await account();
    const { contact, tickets } = await contactWithTickets(acc.admin);
    const [heldTicket = 0, freeTicket = 0] = tickets;
    const { id: attachment, text } = await uploadedFile(acc.admin, heldTicket);
    const deleted = await acc.admin('DELETE', `/api/v2/contacts/${contact}`);
    const softId = Number(deleted.headers.get('location')?.split('/').pop());
    const soft = await privacyRequestOnceDone(url, acc.adminKey, `${requests}/${softId}`, completed);
    const hold = await acc.admin('POST', holds, {
      target_type: 'ticket',
      target_id: heldTicket,
      reason: 'r',
    });

    // Act
    await purgeWatchAt(trashOf(soft).purge_due_at);
    const kept = await privacyRequestOnceDone(
      url,
      acc.adminKey,
      `${requests}/${softId}`,
      (r) => trashOf(r).state === 'held_by_legal_hold',
    );
    const restore = await acc.admin('POST', `${requests}/${softId}/restore`);
    const restored = await privacyRequestOnceDone(
      url,
      acc.adminKey,
      `${requests}/${softId}`,
      (r) => r.status === 'restored' || r.status === 'failed',
    );
    const file = await acc.admin('GET', `/api/v2/attachments/${attachment}`);
    const bytes = await (await fetch(String(file.body.attachment_url))).text();

    // Assess: the held ticket (its note and file) came back; the contact and the other ticket are gone.
    expect(hold.status, JSON.stringify(hold.body)).toBe(201);
    expect(trashOf(kept).legal_hold).toMatchObject({
      counts: { attachment: 1, conversation: 1, ticket: 1 },
      files: 1,
    });
    expect(restore.status).toBe(202);
    expect(restored.status, JSON.stringify(restored)).toBe('restored');
    expect((await acc.admin('GET', `/api/v2/tickets/${heldTicket}`)).status).toBe(200);
    expect(file.body).toMatchObject({ state: 'stored' });
    expect(bytes).toBe(text);
    expect((await acc.admin('GET', `/api/v2/tickets/${freeTicket}`)).status).toBe(404);
    expect((await acc.admin('GET', `/api/v2/contacts/${contact}`)).status).toBe(404);
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
