import { createHash, randomUUID } from 'node:crypto';
import { ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { DynamoRecordStore } from '../../lambdas/adapters/dynamo-record-store.ts';
import {
  derivePrivacyRequest,
  type PrivacyRequestFields,
  privacyRequestRef,
  type StoredPrivacyRequest,
} from '../../lambdas/domain/privacy/privacy-request.ts';
import { localCredentials } from '../../local/local-credentials.ts';
import type { HostingRegionKey } from '../../lib/residency/index.ts';
import { emulatorDocumentClient } from './emulator-clients.ts';
import { apiCaller, createTestAccount } from './test-accounts.ts';

const platform = inject('localPlatform');
const client = emulatorDocumentClient(platform);
afterAll(() => client.destroy());

const path = '/api/v2/privacy/requests';
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** A fresh account of `region` with an admin and a plain agent, and a caller of its API. */
async function accountIn(region: HostingRegionKey) {
  const { url, table } = platform.regions[region];
  const account = await createTestAccount(client, table, region, ['admin', 'agent']);
  const call = apiCaller(url);
  return {
    id: account.id,
    admin: (method: string, route: string, body?: unknown) => call(method, route, account.keys.admin, body),
    agent: (method: string, route: string, body?: unknown) => call(method, route, account.keys.agent, body),
  };
}
type Account = Awaited<ReturnType<typeof accountIn>>;

/** Polls the request until its workflow has finished (or the deadline passes). */
async function finished(account: Account, id: number, deadlineMs = 20_000) {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const request = await account.admin('GET', `${path}/${id}`);
    if (['completed', 'failed'].includes(request.body.status) || Date.now() > deadline) return request;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The bytes behind a download URL, served as an attachment of `contentType`. */
async function download(url: string, contentType: string): Promise<Buffer> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-disposition')).toBe('attachment');
  expect(response.headers.get('content-type')).toBe(contentType);
  return Buffer.from(await response.arrayBuffer());
}

/** A contact with a ticket whose every text carries `marker`. */
async function contactWithTicket(account: Account, marker: string) {
  const contact = await account.admin('POST', '/api/v2/contacts', {
    name: `Name ${marker}`,
    email: `${marker}@example.test`,
  });
  const ticket = await account.admin('POST', '/api/v2/tickets', {
    subject: `Subject ${marker}`,
    description: `<p>Description ${marker}</p>`,
    requester_id: contact.body.id,
  });
  expect([contact.status, ticket.status]).toEqual([201, 201]);
  return { contact: contact.body.id as number, ticket: ticket.body.id as number };
}

async function verifiedExport(account: Account, contactId: number) {
  const created = await account.agent('POST', path, {
    type: 'export',
    subject: { type: 'contact', id: contactId },
    channel: 'email',
  });
  expect(created.status).toBe(201);
  const verified = await account.admin('POST', `${path}/${created.body.id}/verify`, {
    method: 'email_confirmation',
  });
  expect(verified.status).toBe(200);
  return created.body.id as number;
}

describe('privacy requests API', () => {
  it("exports every item of a contact's data, and nothing of another contact's, as JSON and CSV with a manifest", async () => {
    // Prepare: two contacts in one US account; every text of the subject carries the subject's marker.
    const account = await accountIn('us');
    const marker = `m${randomUUID().replaceAll('-', '')}`;
    const otherMarker = `o${randomUUID().replaceAll('-', '')}`;
    const subject = await contactWithTicket(account, marker);
    await contactWithTicket(account, otherMarker);
    const reply = await account.admin('POST', `/api/v2/tickets/${subject.ticket}/reply`, {
      body: `Reply ${marker}`,
    });
    const rating = await account.admin('POST', `/api/v2/tickets/${subject.ticket}/satisfaction_ratings`, {
      ratings: { default_question: 103 },
      feedback: `Feedback ${marker}`,
    });
    const call = await account.admin('POST', '/api/v2/calls', {
      direction: 'incoming',
      contact_id: subject.contact,
      phone_number: `+1555${marker.slice(1, 8).replace(/[a-f]/g, '0')}`,
      started_at: '2026-11-23T10:00:00Z',
      duration_seconds: 42,
    });
    const chat = await account.admin('POST', '/api/v2/chats', {
      contact_id: subject.contact,
      started_at: '2026-11-23T09:00:00Z',
    });
    const message = await account.admin('POST', `/api/v2/chats/${chat.body.id}/messages`, {
      body: `Chat ${marker}`,
      actor_type: 'contact',
    });
    expect([reply.status, rating.status, call.status, chat.status, message.status]).toEqual([
      201, 201, 201, 201, 201,
    ]);

    // Act
    const created = await account.agent('POST', path, {
      type: 'export',
      subject: { type: 'contact', id: subject.contact },
      channel: 'web_form',
      note: 'Asked through the portal',
    });
    const byAgent = await account.agent('POST', `${path}/${created.body.id}/verify`, {
      method: 'email_confirmation',
    });
    const beforeVerify = await account.admin('GET', `${path}/${created.body.id}`);
    const verified = await account.admin('POST', `${path}/${created.body.id}/verify`, {
      method: 'email_confirmation',
    });
    const done = await finished(account, created.body.id);

    // Assess: the request's lifecycle as the API shows it.
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ type: 'export', status: 'pending_verification', overdue: false });
    expect(byAgent.status).toBe(403);
    expect(beforeVerify.body).toMatchObject({
      status: 'pending_verification',
      subject: { type: 'contact', id: subject.contact },
      channel: 'web_form',
    });
    expect(verified.body).toMatchObject({
      status: 'verified',
      verification_method: 'email_confirmation',
      execution_name: `privacy-${account.id}-${created.body.id}`,
    });
    expect(done.body.status).toBe('completed');
    const { result } = done.body;
    expect(result.counts).toEqual({
      profile: 1,
      tickets: 1,
      conversations: 1,
      satisfaction_ratings: 1,
      calls: 1,
      chats: 1,
      chat_messages: 1,
    });
    // Each read's URLs live an hour at most, within the 7-day download period.
    expect(Date.parse(result.download_expires_at)).toBeLessThanOrEqual(Date.now() + 3600 * 1000);
    expect(Date.parse(result.download_expires_at)).toBeLessThan(Date.parse(result.available_until));

    // Assess: the bundle, downloaded through the URLs, matches its manifest and holds the subject's data only.
    const manifestBytes = await download(result.download_url, 'application/json');
    expect(sha256(manifestBytes)).toBe(result.manifest_sha256);
    const manifest = JSON.parse(manifestBytes.toString('utf8'));
    expect(manifest.files).toHaveLength(14);
    const texts: string[] = [];
    for (const file of manifest.files) {
      const url = result.files.find((f: { name: string }) => f.name === file.name).url;
      const bytes = await download(url, file.format === 'csv' ? 'text/csv' : 'application/json');
      expect({ name: file.name, sha256: sha256(bytes), bytes: bytes.length }).toEqual({
        name: file.name,
        sha256: file.sha256,
        bytes: file.bytes,
      });
      texts.push(bytes.toString('utf8'));
      if (file.format === 'json') expect(JSON.parse(bytes.toString('utf8'))).toHaveLength(file.count);
      if (file.format === 'csv')
        expect(bytes.toString('utf8').trimEnd().split('\r\n')).toHaveLength(file.count + 1);
    }
    const all = texts.join('\n');
    for (const text of [
      `Name ${marker}`,
      `Subject ${marker}`,
      `Reply ${marker}`,
      `Feedback ${marker}`,
      `Chat ${marker}`,
    ]) {
      expect(all).toContain(text);
    }
    expect(all).toContain(`"id":${call.body.id}`);
    expect(all).not.toContain(otherMarker);
    const tickets = JSON.parse(
      texts[manifest.files.findIndex((f: { name: string }) => f.name === 'tickets.json')] ?? '',
    );
    expect(tickets.map((t: { id: number }) => t.id)).toEqual([subject.ticket]);
  });

  it('runs one execution however often the request is verified, named after the request', async () => {
    const account = await accountIn('us');
    const { contact } = await contactWithTicket(account, `v${randomUUID()}`);
    const id = await verifiedExport(account, contact);

    const again = await account.admin('POST', `${path}/${id}/verify`, { method: 'account_login' });
    const done = await finished(account, id);
    const afterDone = await account.admin('POST', `${path}/${id}/verify`, { method: 'account_login' });
    const workflows = platform.workflows.us;
    const sfn = new SFNClient({
      endpoint: workflows?.url,
      region: 'us-east-1',
      credentials: localCredentials,
    });
    const machine = workflows?.stateMachines.find((arn) =>
      arn.endsWith(':stateMachine:helpdesk-us-privacy-export'),
    );
    const { executions = [] } = await sfn.send(new ListExecutionsCommand({ stateMachineArn: machine }));
    sfn.destroy();

    expect(again.status).toBe(200);
    expect(afterDone.status).toBe(200);
    expect(afterDone.body.status).toBe('completed');
    expect(afterDone.body.verification_method).toBe('email_confirmation');
    expect(done.body.status).toBe('completed');
    expect(executions.filter((execution) => execution.name === `privacy-${account.id}-${id}`)).toHaveLength(
      1,
    );
  });

  it.each(['eea', 'in', 'au'] as const)('exports in the %s region with its own workflow', async (region) => {
    const account = await accountIn(region);
    const marker = `r${randomUUID()}`;
    const { contact, ticket } = await contactWithTicket(account, marker);

    const done = await finished(account, await verifiedExport(account, contact));

    expect(done.body.status).toBe('completed');
    expect(done.body.result.counts).toEqual({ profile: 1, tickets: 1 });
    const tickets = done.body.result.files.find((f: { name: string }) => f.name === 'tickets.json');
    const exported = JSON.parse((await download(tickets.url, 'application/json')).toString('utf8'));
    expect(exported).toMatchObject([{ id: ticket, subject: `Subject ${marker}` }]);
  });

  it("shows other agents a request's status and dates only; its subject, result and files are for admins", async () => {
    // Prepare: a completed export, recorded by a plain agent.
    const account = await accountIn('us');
    const { contact } = await contactWithTicket(account, `r${randomUUID()}`);
    const id = await verifiedExport(account, contact);
    expect((await finished(account, id)).body.status).toBe('completed');

    // Act
    const read = await account.agent('GET', `${path}/${id}`);
    const list = await account.agent('GET', path);
    const files = await account.agent('GET', `${path}/${id}/files`);
    const adminRead = await account.admin('GET', `${path}/${id}`);
    const adminFiles = await account.admin('GET', `${path}/${id}/files`);

    // Assess: no subject, note, result nor URL reaches the agent; the admin has them all.
    const statusView = {
      id,
      type: 'export',
      status: 'completed',
      overdue: false,
      received_at: expect.any(String),
      due_at: expect.any(String),
      verified_at: expect.any(String),
      started_at: expect.any(String),
      completed_at: expect.any(String),
      rejected_at: null,
      created_at: expect.any(String),
      updated_at: expect.any(String),
    };
    expect(read.status).toBe(200);
    expect(read.body).toStrictEqual(statusView);
    expect(list.body).toStrictEqual([statusView]);
    expect(JSON.stringify([read.body, list.body])).not.toMatch(/https?:|X-Amz/);
    expect(files.status).toBe(403);
    expect(files.body.errors?.[0]?.message ?? files.body.message).toMatch(/administrator/);
    expect(adminRead.body).toMatchObject({
      subject: { type: 'contact', id: contact },
      result: { download_url: expect.any(String) },
    });
    expect(adminFiles.status).toBe(200);
  });

  it('runs the requests of two accounts that have the same id, each in its own execution', async () => {
    // Prepare: account B gets a pending request with the very id of account A's (ids are per account).
    const [a, b] = [await accountIn('us'), await accountIn('us')];
    const subjectA = await contactWithTicket(a, `a${randomUUID()}`);
    const subjectB = await contactWithTicket(b, `b${randomUUID()}`);
    const created = await a.agent('POST', path, {
      type: 'export',
      subject: { type: 'contact', id: subjectA.contact },
      channel: 'email',
    });
    const id = created.body.id as number;
    const store = new DynamoRecordStore(client, platform.regions.us.table);
    const ref = privacyRequestRef(id);
    const original = (await store.get<PrivacyRequestFields>(a.id, ref)) as StoredPrivacyRequest;
    const copy = derivePrivacyRequest({
      ...original,
      accountId: b.id,
      fields: { ...original.fields, subject_id: subjectB.contact },
    });
    await store.create(copy, {
      at: copy.createdAt,
      actor: { type: 'system', id: 'test' },
      operation: 'create',
      record: ref,
      changedFields: ['type'],
    });

    // Act
    for (const account of [a, b])
      await account.admin('POST', `${path}/${id}/verify`, { method: 'email_confirmation' });
    const [doneA, doneB] = [await finished(a, id), await finished(b, id)];

    // Assess: both ran (on today's main B's start met A's execution name and never ran).
    expect([doneA.body.status, doneB.body.status]).toEqual(['completed', 'completed']);
    expect(doneA.body.execution_name).toBe(`privacy-${a.id}-${id}`);
    expect(doneB.body.execution_name).toBe(`privacy-${b.id}-${id}`);
  }, 60_000);

  it('names the subject by e-mail at intake and keeps only the id', async () => {
    const account = await accountIn('us');
    const marker = `e${randomUUID()}`;
    const { contact } = await contactWithTicket(account, marker);

    const created = await account.agent('POST', path, {
      type: 'erasure',
      mode: 'soft',
      subject: { type: 'contact', email: `${marker.toUpperCase()}@EXAMPLE.TEST` },
      channel: 'letter',
    });
    const read = await account.admin('GET', `${path}/${created.body.id}`);

    expect(created.status).toBe(201);
    expect(read.body).toMatchObject({
      type: 'erasure',
      mode: 'soft',
      subject: { type: 'contact', id: contact },
    });
    expect(JSON.stringify(read.body).toLowerCase()).not.toContain(marker.toLowerCase());
    expect(Date.parse(read.body.due_at)).toBeGreaterThan(Date.parse(read.body.received_at) + 27 * 86_400_000);
  });

  it('lets only an admin reject a request, which then cannot be verified', async () => {
    const account = await accountIn('us');
    const { contact } = await contactWithTicket(account, `j${randomUUID()}`);
    const created = await account.agent('POST', path, {
      type: 'export',
      subject: { type: 'contact', id: contact },
      channel: 'phone',
    });

    const byAgent = await account.agent('POST', `${path}/${created.body.id}/reject`, {
      reason: 'Not the person',
    });
    const rejected = await account.admin('POST', `${path}/${created.body.id}/reject`, {
      reason: 'Not the person',
    });
    const verify = await account.admin('POST', `${path}/${created.body.id}/verify`, { method: 'other' });
    const rejectedList = await account.agent('GET', `${path}?status=rejected`);
    const pendingList = await account.agent('GET', `${path}?status=pending_verification`);

    expect(byAgent.status).toBe(403);
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({ status: 'rejected', rejection_reason: 'Not the person' });
    expect(verify.status).toBe(409);
    expect(rejectedList.body.map((r: { id: number }) => r.id)).toEqual([created.body.id]);
    expect(pendingList.body).toEqual([]);
  });

  it('lists requests by type, status and overdue, page by page', async () => {
    const account = await accountIn('us');
    const { contact } = await contactWithTicket(account, `l${randomUUID()}`);
    const make = (type: 'export' | 'erasure') =>
      account.agent('POST', path, {
        type,
        ...(type === 'erasure' && { mode: 'soft' }),
        subject: { type: 'contact', id: contact },
        channel: 'email',
      });
    const ids = [
      (await make('export')).body.id,
      (await make('erasure')).body.id,
      (await make('erasure')).body.id,
    ];

    const erasures = await account.agent('GET', `${path}?type=erasure`);
    const firstPage = await account.agent('GET', `${path}?per_page=2`);
    const secondPage = await account.agent('GET', `${path}?per_page=2&page=2`);
    const overdue = await account.agent('GET', `${path}?overdue=true`);
    const notOverdue = await account.agent('GET', `${path}?overdue=false&type=export`);

    expect(erasures.body.map((r: { id: number }) => r.id).sort()).toEqual([ids[1], ids[2]].sort());
    expect(firstPage.body).toHaveLength(2);
    expect(firstPage.headers.get('link')).toMatch(/page=2/);
    expect(secondPage.body).toHaveLength(1);
    expect(overdue.body).toEqual([]);
    expect(notOverdue.body.map((r: { id: number }) => r.id)).toEqual([ids[0]]);
  });

  it('answers 400 naming the field for invalid requests, and stores nothing', async () => {
    const account = await accountIn('us');
    const { contact } = await contactWithTicket(account, `b${randomUUID()}`);
    const subject = { type: 'contact', id: contact };
    const cases: [unknown, string][] = [
      [{ subject, channel: 'email' }, 'type'],
      [{ type: 'export', subject, channel: 'email', mode: 'soft' }, 'mode'],
      [{ type: 'erasure', subject, channel: 'email' }, 'mode'],
      [
        { type: 'export', subject: { type: 'contact', id: contact, email: 'a@b.test' }, channel: 'email' },
        'subject.id',
      ],
      [{ type: 'export', subject: { type: 'agent', email: 'a@b.test' }, channel: 'email' }, 'subject.email'],
      [{ type: 'export', subject, channel: 'pigeon' }, 'channel'],
      [{ type: 'export', subject, channel: 'email', accountId: 'x' }, 'accountId'],
    ];

    for (const [body, field] of cases) {
      const response = await account.agent('POST', path, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    const created = await account.agent('POST', path, { type: 'export', subject, channel: 'email' });
    const badMethod = await account.admin('POST', `${path}/${created.body.id}/verify`, { method: 'vibes' });
    const blankReason = await account.admin('POST', `${path}/${created.body.id}/reject`, { reason: '  ' });
    const list = await account.agent('GET', path);

    expect(badMethod.status).toBe(400);
    expect(blankReason.status).toBe(400);
    expect(list.body.map((r: { id: number }) => r.id)).toEqual([created.body.id]);
    expect((await account.agent('GET', `${path}?status=done`)).status).toBe(400);
  });

  it("answers 404 for another account's subjects and requests", async () => {
    const mine = await accountIn('us');
    const theirs = await accountIn('us');
    const { contact } = await contactWithTicket(theirs, `c${randomUUID()}`);
    const theirRequest = await theirs.agent('POST', path, {
      type: 'export',
      subject: { type: 'contact', id: contact },
      channel: 'email',
    });

    const forTheirContact = await mine.agent('POST', path, {
      type: 'export',
      subject: { type: 'contact', id: contact },
      channel: 'email',
    });
    const read = await mine.admin('GET', `${path}/${theirRequest.body.id}`);
    const verify = await mine.admin('POST', `${path}/${theirRequest.body.id}/verify`, { method: 'other' });
    const byUnknownEmail = await mine.agent('POST', path, {
      type: 'export',
      subject: { type: 'contact', email: `nobody-${randomUUID()}@example.test` },
      channel: 'email',
    });

    expect([forTheirContact.status, read.status, verify.status, byUnknownEmail.status]).toEqual([
      404, 404, 404, 404,
    ]);
    expect((await theirs.agent('GET', `${path}/${theirRequest.body.id}`)).body.status).toBe(
      'pending_verification',
    );
  });
});
