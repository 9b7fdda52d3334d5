import { randomUUID } from 'node:crypto';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { recordPk } from '../../lambdas/adapters/record-keys.ts';
import { subjectKeyPk } from '../../lib/platform/subject-key-table-design.ts';
import type { RecordRef } from '../../lambdas/domain/records/record.ts';
import { createTestAccount as createAccountWithAgents, linkedRecords } from './account-fixture.ts';
import { trashPurgeWatch } from './trash-purge-watch.ts';
import { openedItem } from './opened-items.ts';
import { emulatorDocumentClient, emulatorS3Client } from './emulator-clients.ts';
import {
  apiCaller,
  completed,
  erasedAgent,
  type PrivacyRequestView,
  privacyRequestOnceDone,
} from './test-accounts.ts';

const platform = inject('localPlatform');
const region = 'us' as const;
const { url, table, buckets } = platform.regions[region];
const client = emulatorDocumentClient(platform);
const s3 = emulatorS3Client(platform);
afterAll(() => {
  client.destroy();
  s3.destroy();
});

const requests = '/api/v2/privacy/requests';
const dayMs = 24 * 60 * 60 * 1000;
/** The subject's item in the region's subject-key table: its key, or its tombstone once destroyed. */
const subjectKeyItem = async (accountId: string, subject: { kind: string; id: number }) =>
  (
    await client.send(
      new GetCommand({
        TableName: platform.regions[region].subjectKeyTable,
        Key: { pk: subjectKeyPk(accountId, subject) },
        ConsistentRead: true,
      }),
    )
  ).Item;
const newMarker = () => `mk${randomUUID().replaceAll('-', '')}`;
const digits = (marker: string) =>
  marker
    .replace(/[^0-9]/g, '')
    .padEnd(7, '0')
    .slice(0, 7);

async function accountWithAgent(agentMarker?: string) {
  // The agent behind the plain key (id 901), with a profile whose every field carries the marker.
  const marked = agentMarker
    ? {
        name: `Agent ${agentMarker}`,
        email: `${agentMarker}@agents.example.test`,
        job_title: `Title ${agentMarker}`,
        signature: `Sig ${agentMarker}`,
      }
    : undefined;
  const made = await createAccountWithAgents(client, table, region, [
    { id: 900, role: 'admin' },
    { id: 901, role: 'agent', fields: marked },
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
type Account = Awaited<ReturnType<typeof accountWithAgent>>;

/** PUTs `text` to a presigned upload with the headers signed into it. */
async function upload(target: { upload_url: string; upload_headers: Record<string, string> }, text: string) {
  const put = await fetch(target.upload_url, { method: 'PUT', headers: target.upload_headers, body: text });
  expect(put.status).toBe(200);
}

/** A contact and everything the issue lists as linked data, every text and file carrying `marker`. */
async function seedContact(account: Account, marker: string) {
  const contact = await account.admin('POST', '/api/v2/contacts', {
    name: `Name ${marker}`,
    email: `${marker}@example.test`,
    phone: `+1555${digits(marker)}`,
    job_title: `Job ${marker}`,
  });
  const ticket = await account.admin('POST', '/api/v2/tickets', {
    subject: `Subject ${marker}`,
    description: `<p>Description ${marker}</p>`,
    requester_id: contact.body.id,
  });
  const t = ticket.body.id as number;
  const answers = [
    contact,
    ticket,
    await account.admin('POST', `/api/v2/tickets/${t}/reply`, { body: `Reply ${marker}` }),
    await account.agent('POST', `/api/v2/tickets/${t}/notes`, { body: `Note ${marker}` }),
    await account.agent('POST', `/api/v2/tickets/${t}/huddle`, { body: `Huddle ${marker}` }),
    await account.admin('POST', `/api/v2/tickets/${t}/satisfaction_ratings`, {
      ratings: { default_question: 103 },
      feedback: `Feedback ${marker}`,
    }),
    await account.admin('POST', '/api/v2/integration_links', {
      app: 'crm',
      external_id: `X-${marker}`,
      external_url: `https://crm.example.test/${marker}`,
      record_type: 'contact',
      record_id: contact.body.id,
    }),
  ];
  const attachment = await account.admin('POST', `/api/v2/tickets/${t}/attachments`, {
    name: `file-${marker}.txt`,
    content_type: 'text/plain',
    size: `File ${marker}`.length,
  });
  await upload(attachment.body, `File ${marker}`);
  const call = await account.admin('POST', '/api/v2/calls', {
    direction: 'incoming',
    contact_id: contact.body.id,
    phone_number: `+1555${digits(marker)}`,
    started_at: '2026-11-23T10:00:00Z',
    duration_seconds: 42,
  });
  await upload(call.body.recording, `Recording ${marker}`);
  const chat = await account.admin('POST', '/api/v2/chats', {
    contact_id: contact.body.id,
    started_at: '2026-11-23T09:00:00Z',
  });
  const message = await account.admin('POST', `/api/v2/chats/${chat.body.id}/messages`, {
    body: `Chat ${marker}`,
    actor_type: 'contact',
  });
  for (const answer of [...answers, attachment, call, chat, message]) {
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  }
  return { contact: contact.body.id as number, ticket: t, attachment: attachment.body.id as number };
}

/** Waits for a request's workflow to get where `done` says (or fail). */
const waitFor = (account: Account, id: number, done: (request: PrivacyRequestView) => boolean) =>
  privacyRequestOnceDone(url, account.adminKey, `${requests}/${id}`, done);
const requestIdOf = (answer: { headers: Headers }) =>
  Number(answer.headers.get('location')?.split('/').pop());

/** Every item of the region's table and every object in its buckets, as text, for marker sweeps. */
async function regionText(): Promise<string> {
  const parts: string[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: table, ExclusiveStartKey: startKey }));
    // Each item as the platform reads it: a subject's sealed fields are looked for opened.
    for (const item of page.Items ?? []) parts.push(JSON.stringify(await openedItem(client, table, item)));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  for (const bucket of Object.values(buckets)) {
    let token: string | undefined;
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
      for (const object of page.Contents ?? []) {
        const body = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: object.Key }));
        parts.push(object.Key ?? '', await (body.Body?.transformToString() ?? ''));
      }
      token = page.NextContinuationToken;
    } while (token);
  }
  return parts.join('\n');
}

/** The exact table items and object bytes of a subject's linked records (for byte-identical restores). */
async function snapshot(accountId: string, contactId: number) {
  const refs = (await linkedRecords(client, table, accountId, { kind: 'contact', id: contactId })).map(
    (text): RecordRef => {
      const [type, id] = text.split('#');
      return { type: type as RecordRef['type'], id: Number(id) };
    },
  );
  const items: Record<string, unknown> = {};
  const objects: Record<string, string> = {};
  for (const ref of refs) {
    const { Item } = await client.send(
      new GetCommand({ TableName: table, Key: { pk: recordPk(accountId, ref), sk: 'RECORD' } }),
    );
    items[`${ref.type}#${ref.id}`] = Item;
    const fields = (Item?.fields ?? {}) as { object_key?: string; recording_key?: string };
    const key = fields.object_key ?? fields.recording_key;
    const bucket = fields.object_key ? buckets.attachments : buckets.recordings;
    if (key && bucket) {
      const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      objects[key] = `${object.ContentType}|${await object.Body?.transformToString()}`;
    }
  }
  return { refs: refs.length, items, objects };
}

describe('erasure of data subjects on the local platform', () => {
  it("erases a contact permanently: no table item or object of the region holds their markers; another contact's data is intact", async () => {
    // Prepare
    const account = await accountWithAgent();
    const marker = newMarker();
    const otherMarker = newMarker();
    const subject = await seedContact(account, marker);
    const other = await seedContact(account, otherMarker);
    // An earlier export of the subject: its bundle copies their data into the exports bucket.
    const exported = await account.agent('POST', requests, {
      type: 'export',
      subject: { type: 'contact', id: subject.contact },
      channel: 'email',
    });
    await account.admin('POST', `${requests}/${exported.body.id}/verify`, { method: 'email_confirmation' });
    const exportDone = await waitFor(account, exported.body.id, completed);
    expect(exportDone.result).toMatchObject({ withdrawn: null, download_url: expect.any(String) });
    expect(await regionText()).toContain(marker);

    // Act
    const created = await account.agent('POST', requests, {
      type: 'erasure',
      mode: 'permanent',
      subject: { type: 'contact', id: subject.contact },
      channel: 'email',
    });
    const untouched = await account.admin('GET', `/api/v2/contacts/${subject.contact}`);
    const byAgent = await account.agent('POST', `${requests}/${created.body.id}/verify`, {
      method: 'email_confirmation',
    });
    await account.admin('POST', `${requests}/${created.body.id}/verify`, { method: 'email_confirmation' });
    const again = await account.admin('POST', `${requests}/${created.body.id}/verify`, {
      method: 'email_confirmation',
    });
    const done = await waitFor(account, created.body.id, completed);

    // Assess: unverified touched nothing; verified twice ran once; nothing of the subject is left.
    expect(untouched.status).toBe(200);
    expect(byAgent.status).toBe(403);
    expect(again.status).toBe(200);
    expect(done).toMatchObject({
      status: 'completed',
      execution_name: `privacy-${account.id}-${created.body.id}`,
    });
    const certificate = done.certificate as Record<string, unknown>;
    expect(certificate).toMatchObject({
      request_id: created.body.id,
      mode: 'permanent',
      executions: [`privacy-${account.id}-${created.body.id}`],
      counts: {
        erased: {
          attachment: 1,
          call: 1,
          chat: 1,
          chat_message: 1,
          contact: 1,
          conversation: 2,
          huddle: 1,
          integration_link: 1,
          satisfaction_rating: 1,
          ticket: 1,
        },
        anonymised: {},
        files: 2,
        export_bundles: 1,
      },
    });
    expect(String(certificate.subject_reference)).toMatch(/^[0-9a-f]{32}$/);
    // The subject's key is destroyed: a tombstone without key material, its time on the certificate.
    const subjectKey = certificate.subject_key as Record<string, string | null>;
    const tombstone = await subjectKeyItem(account.id, { kind: 'contact', id: subject.contact });
    expect(tombstone).toMatchObject({ destroyed_at: subjectKey.destroyed_at });
    expect(tombstone).not.toHaveProperty('wrapped_key');
    expect(Date.parse(String(subjectKey.unreadable_in_backups_from))).toBe(
      Date.parse(String(subjectKey.destroyed_at)) + dayMs,
    );
    expect(subjectKey.kept_because).toBeNull();
    const withdrawn = await account.admin('GET', `${requests}/${exported.body.id}`);
    expect(withdrawn.body).toMatchObject({
      status: 'completed',
      result: {
        download_url: null,
        files: expect.arrayContaining([expect.objectContaining({ url: null })]),
        withdrawn: { by_request: created.body.id },
        notice: expect.stringContaining(`erasure of the subject (request ${created.body.id})`),
      },
    });
    expect((await account.admin('GET', `${requests}/${exported.body.id}/files`)).status).toBe(409);
    expect(JSON.stringify(done)).not.toContain(marker);
    const everything = await regionText();
    expect(everything).not.toContain(marker);
    expect(everything).toContain(otherMarker);
    expect((await account.admin('GET', `/api/v2/contacts/${subject.contact}`)).status).toBe(404);
    expect((await account.admin('GET', `/api/v2/tickets/${subject.ticket}`)).status).toBe(404);
    expect((await account.admin('GET', `/api/v2/tickets/${other.ticket}`)).status).toBe(200);
    const audit = await account.admin(
      'GET',
      `/api/v2/audit_log?record_type=ticket&record_id=${subject.ticket}`,
    );
    expect(audit.body[0]).toMatchObject({
      operation: 'delete',
      actor: { type: 'system', id: 'privacy-erasure-workflow' },
    });
  });

  it('soft-erases a contact through DELETE and restores every item and object byte for byte through PUT …/restore', async () => {
    // Prepare
    const account = await accountWithAgent();
    const marker = newMarker();
    const subject = await seedContact(account, marker);
    const before = await snapshot(account.id, subject.contact);

    // Act
    const refused = await account.agent('DELETE', `/api/v2/contacts/${subject.contact}`);
    const deleted = await account.admin('DELETE', `/api/v2/contacts/${subject.contact}`);
    const request = await waitFor(account, requestIdOf(deleted), completed);
    const whileTrashed = {
      contact: (await account.admin('GET', `/api/v2/contacts/${subject.contact}`)).status,
      ticket: (await account.admin('GET', `/api/v2/tickets/${subject.ticket}`)).status,
      attachment: (await account.admin('GET', `/api/v2/attachments/${subject.attachment}`)).status,
      byEmail: (await account.admin('GET', `/api/v2/contacts?email=${marker}%40example.test`)).body,
    };
    const restored = await account.admin('PUT', `/api/v2/contacts/${subject.contact}/restore`);
    const after = await waitFor(account, requestIdOf(deleted), (r) => r.status === 'restored');

    // Assess
    expect(refused.status).toBe(403);
    expect(deleted.status).toBe(204);
    // A soft erasure keeps the key: the trash stays restorable until its purge.
    expect(request.certificate).toMatchObject({
      subject_key: { destroyed_at: null, unreadable_in_backups_from: null, kept_because: 'restorable' },
    });
    expect(
      (await subjectKeyItem(account.id, { kind: 'contact', id: subject.contact }))?.destroyed_at,
    ).toBeUndefined();
    expect(request).toMatchObject({ status: 'completed', mode: 'soft', verification_method: 'admin_action' });
    expect((request.trash as { state: string }).state).toBe('held');
    expect(whileTrashed).toEqual({ contact: 404, ticket: 404, attachment: 404, byEmail: [] });
    expect(restored.status).toBe(204);
    expect(after, JSON.stringify(after)).toMatchObject({ status: 'restored', trash: { state: 'restored' } });
    expect(await snapshot(account.id, subject.contact)).toEqual(before);
    expect(before.refs).toBeGreaterThanOrEqual(10);
  });

  it('purges a soft erasure once its 60 days are over, leaving what a permanent erasure leaves', async () => {
    // Prepare
    const account = await accountWithAgent();
    const marker = newMarker();
    const otherMarker = newMarker();
    const subject = await seedContact(account, marker);
    await seedContact(account, otherMarker);
    const deleted = await account.admin('DELETE', `/api/v2/contacts/${subject.contact}`);
    const request = await waitFor(account, requestIdOf(deleted), completed);
    const purgeDue = Date.parse(String(request.trash?.purge_due_at));
    expect(await regionText()).toContain(marker);

    // Act: the deadline watch a minute before the 60 days, then a minute after.
    const early = trashPurgeWatch(client, new Date(purgeDue - 60_000));
    // Other tests' soft erasures of the region may be due before this one: only this one's is asked.
    const dueEarly = await early.dueRequestIds();
    early.close();
    const due = trashPurgeWatch(client, new Date(purgeDue + 60_000));
    const startedDue = await due.deadlines.startDuePurges();
    due.close();
    const purged = await waitFor(
      account,
      requestIdOf(deleted),
      (r) => (r.trash as { state: string }).state === 'purged',
    );
    const restore = await account.admin('PUT', `/api/v2/contacts/${subject.contact}/restore`);

    // Assess
    expect(dueEarly).not.toContain(requestIdOf(deleted));
    expect(startedDue).toBeGreaterThanOrEqual(1);
    expect(purged).toMatchObject({ status: 'completed', trash: { state: 'purged' } });
    // The purge ends the subject for good: their key goes with it.
    const purgedKey = (purged.certificate as { subject_key: { destroyed_at: string } }).subject_key;
    expect(purgedKey).toMatchObject({ destroyed_at: expect.any(String), kept_because: null });
    expect(await subjectKeyItem(account.id, { kind: 'contact', id: subject.contact })).toMatchObject({
      destroyed_at: purgedKey.destroyed_at,
    });
    expect((purged.certificate as { executions: string[] }).executions).toEqual([
      `privacy-${account.id}-${requestIdOf(deleted)}`,
      `privacy-${account.id}-${requestIdOf(deleted)}-purge-1`,
    ]);
    const everything = await regionText();
    expect(everything).not.toContain(marker);
    expect(everything).toContain(otherMarker);
    expect(restore.status).toBe(404);
  });

  it('erases an agent: contributions stay with a placeholder, no agent marker is left anywhere', async () => {
    // Prepare: the agent (id 901) replies, posts a note and a huddle message on a contact's ticket.
    const agentMarker = newMarker();
    const account = await accountWithAgent(agentMarker);
    const subject = await seedContact(account, newMarker());
    const reply = await account.agent('POST', `/api/v2/tickets/${subject.ticket}/reply`, {
      body: 'Agent reply',
      from_email: `${agentMarker}@agents.example.test`,
    });
    expect(reply.status).toBe(201);
    expect(await regionText()).toContain(agentMarker);

    // Act
    const done = await erasedAgent(url, account.adminKey, 901);

    // Assess
    expect(done).toMatchObject({ status: 'completed', mode: 'permanent' });
    expect((done.certificate as { counts: unknown }).counts).toMatchObject({
      erased: { agent: 1 },
      anonymised: { conversation: 2, huddle: 1 },
    });
    expect((await account.admin('GET', '/api/v2/agents/901')).status).toBe(404);
    const conversations = await account.admin('GET', `/api/v2/tickets/${subject.ticket}/conversations`);
    const byAgent = conversations.body.filter((c: { user_id: number }) => c.user_id === 901);
    expect(byAgent.map((c: { author_placeholder: string }) => c.author_placeholder)).toEqual([
      'Deleted agent 901',
      'Deleted agent 901',
    ]);
    expect(byAgent.map((c: { body: string }) => c.body).sort()).toEqual(
      ['Agent reply', expect.stringContaining('Note')].sort(),
    );
    const huddle = await account.admin('GET', `/api/v2/tickets/${subject.ticket}/huddle`);
    expect(huddle.body[0]).toMatchObject({ agent_id: 901, author_placeholder: 'Deleted agent 901' });
    expect(await regionText()).not.toContain(agentMarker);
  });

  it("answers 404 for another account's subject, and records a soft erasure of an agent", async () => {
    const owner = await accountWithAgent();
    const stranger = await accountWithAgent();
    const subject = await seedContact(owner, newMarker());

    const foreignDelete = await stranger.admin('DELETE', `/api/v2/contacts/${subject.contact}`);
    const foreignRequest = await stranger.agent('POST', requests, {
      type: 'erasure',
      mode: 'permanent',
      subject: { type: 'contact', id: subject.contact },
      channel: 'email',
    });
    const softAgent = await owner.agent('POST', requests, {
      type: 'erasure',
      mode: 'soft',
      subject: { type: 'agent', id: 901 },
      channel: 'email',
    });

    expect(foreignDelete.status).toBe(404);
    expect(foreignRequest.status).toBe(404);
    expect(softAgent.status).toBe(201);
    expect((await owner.admin('GET', `/api/v2/contacts/${subject.contact}`)).status).toBe(200);
  });
});
