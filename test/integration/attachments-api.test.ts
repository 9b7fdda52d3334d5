import { randomBytes, randomUUID } from 'node:crypto';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { emulatorDocumentClient, emulatorS3Client } from './emulator-clients.ts';
import { basicAuth } from './http-client.ts';
import { accountCaller, createUsAccount, subjectLinks, type TestAccount } from './admin-test-account.ts';

const platform = inject('localPlatform');
const { url, table, buckets } = platform.regions.us;
const client = emulatorDocumentClient(platform);
const s3 = emulatorS3Client(platform);
const call = accountCaller(url);
let account: TestAccount;
let other: TestAccount;

beforeAll(async () => {
  account = await createUsAccount(client, table, 81);
  other = await createUsAccount(client, table, 82);
});
afterAll(() => {
  client.destroy();
  s3.destroy();
});

interface Attachment {
  id: number;
  name: string;
  content_type: string;
  size: number;
  attachment_url: string | null;
}

const form = (fields: Record<string, string | string[]>, files: Array<[string, Buffer, string]> = []) => {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) {
    for (const item of Array.isArray(value) ? value : [value]) data.append(name, item);
  }
  for (const [name, bytes, type] of files) data.append('attachments[]', new Blob([bytes], { type }), name);
  return data;
};
const newTicketForm = (files: Array<[string, Buffer, string]> = [], extra: Record<string, string> = {}) =>
  form(
    { email: `a-${randomUUID()}@example.test`, subject: 'With files', description: 'See attached', ...extra },
    files,
  );
const ticketWithOneFile = () =>
  call(account, 'POST', '/api/v2/tickets', newTicketForm([['a.txt', Buffer.from('a'), 'text/plain']]));
const download = async (attachment: Attachment) =>
  Buffer.from(await (await fetch(attachment.attachment_url ?? '')).arrayBuffer());
const objectKeys = async (prefix: string) =>
  (await s3.send(new ListObjectsV2Command({ Bucket: buckets.attachments, Prefix: prefix }))).Contents?.map(
    (object) => object.Key,
  ) ?? [];

describe('attachments API', () => {
  it('creates a ticket from multipart/form-data with files in attachments[], served byte for byte', async () => {
    // Prepare
    const pdf = randomBytes(200 * 1024);
    const text = Buffer.from('line one\r\n--boundary-like--\r\n');

    // Act
    const created = await call(
      account,
      'POST',
      '/api/v2/tickets',
      newTicketForm(
        [
          ['invoice 2026.pdf', pdf, 'application/pdf'],
          ['notes.txt', text, 'text/plain'],
        ],
        { priority: '3' },
      ),
    );
    const viewed = await call(account, 'GET', `/api/v2/tickets/${created.body.id}`);

    // Assess
    expect(created.status).toBe(201);
    expect(created.body.priority).toBe(3);
    const attachments = created.body.attachments as Attachment[];
    expect(attachments.map(({ name, content_type, size }) => ({ name, content_type, size }))).toEqual([
      { name: 'invoice 2026.pdf', content_type: 'application/pdf', size: pdf.length },
      { name: 'notes.txt', content_type: 'text/plain', size: text.length },
    ]);
    expect((await download(attachments[0]!)).equals(pdf)).toBe(true);
    expect((await download(attachments[1]!)).equals(text)).toBe(true);
    expect((viewed.body.attachments as Attachment[]).map((a) => a.id)).toEqual(attachments.map((a) => a.id));
    expect((await download(viewed.body.attachments[0])).equals(pdf)).toBe(true);
    const prefix = `accounts/${account.id}/tickets/${created.body.id}/attachments/`;
    expect((await objectKeys(prefix)).sort()).toEqual(attachments.map((a) => `${prefix}${a.id}`).sort());
    for (const subject of [`contact#${created.body.requester_id}`, 'agent#81']) {
      expect(await subjectLinks(client, table, account.id, subject)).toEqual(
        expect.arrayContaining(attachments.map((a) => ({ record_type: 'attachment', record_id: a.id }))),
      );
    }
  });

  it('keeps files of replies and notes with their conversation, not on the ticket', async () => {
    // Prepare
    const ticket = await call(account, 'POST', '/api/v2/tickets', newTicketForm());
    const replyBytes = randomBytes(1024);
    const noteBytes = randomBytes(2048);

    // Act
    const reply = await call(
      account,
      'POST',
      `/api/v2/tickets/${ticket.body.id}/reply`,
      form({ body: 'Here you go', 'cc_emails[]': ['cc@example.test'] }, [['r.bin', replyBytes, 'image/png']]),
    );
    const note = await call(
      account,
      'POST',
      `/api/v2/tickets/${ticket.body.id}/notes`,
      form({ body: 'Internal', private: 'false' }, [['n.bin', noteBytes, 'application/zip']]),
    );
    const conversations = await call(account, 'GET', `/api/v2/tickets/${ticket.body.id}/conversations`);
    const viewed = await call(account, 'GET', `/api/v2/tickets/${ticket.body.id}`);

    // Assess
    expect(reply.status).toBe(201);
    expect(reply.body.cc_emails).toEqual(['cc@example.test']);
    expect(note.body.private).toBe(false);
    expect(ticket.body.attachments).toEqual([]);
    expect(viewed.body.attachments).toEqual([]);
    const listed = conversations.body as Array<{ id: number; attachments: Attachment[] }>;
    expect(listed.map((c) => [c.id, c.attachments.map((a) => a.name)])).toEqual([
      [reply.body.id, ['r.bin']],
      [note.body.id, ['n.bin']],
    ]);
    expect((await download(listed[0]!.attachments[0]!)).equals(replyBytes)).toBe(true);
    expect((await download(note.body.attachments[0])).equals(noteBytes)).toBe(true);
    const links = await subjectLinks(client, table, account.id, `contact#${ticket.body.requester_id}`);
    expect(links).toContainEqual({ record_type: 'attachment', record_id: reply.body.attachments[0].id });
  });

  it('takes a large file through a presigned upload, visible once the announced bytes are there', async () => {
    // Prepare
    const ticket = await call(account, 'POST', '/api/v2/tickets', newTicketForm());
    const big = randomBytes(5 * 1024 * 1024);

    // Act
    const announced = await call(account, 'POST', `/api/v2/tickets/${ticket.body.id}/attachments`, {
      name: 'capture.mp4',
      content_type: 'video/mp4',
      size: big.length,
    });
    const before = await call(account, 'GET', `/api/v2/attachments/${announced.body.id}`);
    const put = (bytes: Buffer, headers: Record<string, string>) =>
      fetch(announced.body.upload_url, { method: 'PUT', headers, body: bytes });
    // Another size: AWS refuses it (the URL signs Content-Length), s3rver stores it; the API shows nothing.
    await put(big.subarray(0, 1000), { 'Content-Type': 'video/mp4' });
    const partial = await call(account, 'GET', `/api/v2/tickets/${ticket.body.id}`);
    const uploaded = await put(big, announced.body.upload_headers);
    const after = await call(account, 'GET', `/api/v2/attachments/${announced.body.id}`);
    const viewed = await call(account, 'GET', `/api/v2/tickets/${ticket.body.id}`);
    const served = await fetch(after.body.attachment_url);

    // Assess
    expect(announced.status).toBe(201);
    expect(announced.body).toMatchObject({
      name: 'capture.mp4',
      size: big.length,
      attachment_url: null,
      upload_headers: { 'Content-Type': 'video/mp4', 'Content-Length': String(big.length) },
    });
    expect(announced.body.upload_url).not.toContain('capture');
    expect(new URL(announced.body.upload_url).searchParams.get('X-Amz-SignedHeaders')).toBe(
      'content-length;content-type;host',
    );
    expect(before.body).toMatchObject({ state: 'awaiting_upload', attachment_url: null });
    expect(partial.body.attachments).toEqual([]);
    expect(uploaded.status).toBe(200);
    expect(after.body.state).toBe('stored');
    expect(viewed.body.attachments.map((a: Attachment) => a.id)).toEqual([announced.body.id]);
    expect(served.headers.get('content-disposition')).toBe('attachment');
    expect(served.headers.get('content-type')).toBe('video/mp4');
    expect(Buffer.from(await served.arrayBuffer()).equals(big)).toBe(true);
    expect(after.body.attachment_url).not.toContain('capture');
  });

  it('deletes an attachment: gone from the ticket and not found after', async () => {
    const ticket = await ticketWithOneFile();
    const id = ticket.body.attachments[0].id;

    const deleted = await call(account, 'DELETE', `/api/v2/attachments/${id}`);

    expect(deleted.status).toBe(204);
    expect((await call(account, 'GET', `/api/v2/tickets/${ticket.body.id}`)).body.attachments).toEqual([]);
    expect((await call(account, 'GET', `/api/v2/attachments/${id}`)).status).toBe(404);
    expect((await call(account, 'DELETE', `/api/v2/attachments/${id}`)).status).toBe(404);
  });

  it('answers an oversize multipart body 413 (ours in the v2 error format; past 6 MB the gateway) and writes nothing', async () => {
    // Prepare
    const email = `big-${randomUUID()}@example.test`;
    const keysBefore = await objectKeys(`accounts/${account.id}/`);
    const send = (size: number) =>
      call(
        account,
        'POST',
        '/api/v2/tickets',
        form({ email, subject: 'Big', description: 'x' }, [
          ['big.bin', Buffer.alloc(size, 7), 'application/octet-stream'],
        ]),
      );

    // Act
    const ours = await send(4_300_000);
    const gateway = await send(7_000_000);

    // Assess
    expect(ours.status).toBe(413);
    expect(ours.body).toMatchObject({ code: 'payload_too_large', errors: [{ code: 'payload_too_large' }] });
    expect(gateway.status).toBe(413);
    expect((await call(account, 'GET', `/api/v2/tickets?email=${encodeURIComponent(email)}`)).body).toEqual(
      [],
    );
    expect(await objectKeys(`accounts/${account.id}/`)).toEqual(keysBefore);
  });

  it('answers malformed multipart bodies and invalid fields with 400 naming the field, and writes nothing', async () => {
    // Prepare
    const email = `bad-${randomUUID()}@example.test`;
    const keysBefore = await objectKeys(`accounts/${account.id}/`);
    const raw = (contentType: string, body: string) =>
      fetch(`${url}/api/v2/tickets`, {
        method: 'POST',
        headers: { authorization: basicAuth(account.key), 'content-type': contentType },
        body,
      }).then(async (response) => ({
        status: response.status,
        body: (await response.json()) as { errors: Array<{ field: string }> },
      }));
    const file: Array<[string, Buffer, string]> = [['a.txt', Buffer.from('a'), 'text/plain']];

    // Act
    const truncated = await raw(
      'multipart/form-data; boundary=XX',
      `--XX\r\nContent-Disposition: form-data; name="email"\r\n\r\n${email}\r\n--XX\r\nContent-Disposition: form-data; name="attachments[]"; filename="a"\r\n\r\nabc`,
    );
    const noBoundary = await raw('multipart/form-data', '--XX\r\n');
    const badPriority = await call(
      account,
      'POST',
      '/api/v2/tickets',
      newTicketForm(file, { email, priority: 'high' }),
    );
    const textAsFile = await call(
      account,
      'POST',
      '/api/v2/tickets',
      newTicketForm([], { email, 'attachments[]': 'x' }),
    );
    const unknownRequester = await call(
      account,
      'POST',
      '/api/v2/tickets',
      form({ requester_id: '987654321', subject: 's', description: 'd' }, file),
    );

    // Assess
    expect([truncated, noBoundary].map((r) => [r.status, r.body.errors[0]?.field])).toEqual([
      [400, 'body'],
      [400, 'content-type'],
    ]);
    expect(
      [badPriority, textAsFile, unknownRequester].map((r) => [r.status, r.body.errors[0].field]),
    ).toEqual([
      [400, 'priority'],
      [400, 'attachments'],
      [400, 'requester_id'],
    ]);
    expect((await call(account, 'GET', `/api/v2/tickets?email=${encodeURIComponent(email)}`)).body).toEqual(
      [],
    );
    expect(await objectKeys(`accounts/${account.id}/`)).toEqual(keysBefore);
  });

  it("answers another account's tickets and attachments with 404 and changes nothing", async () => {
    // Prepare
    const ticket = await ticketWithOneFile();
    const id = ticket.body.attachments[0].id;

    // Act
    const answers = [
      await call(other, 'GET', `/api/v2/attachments/${id}`),
      await call(other, 'DELETE', `/api/v2/attachments/${id}`),
      await call(other, 'POST', `/api/v2/tickets/${ticket.body.id}/attachments`, {
        name: 'x.bin',
        content_type: 'application/octet-stream',
        size: 10,
      }),
      await call(
        other,
        'POST',
        `/api/v2/tickets/${ticket.body.id}/reply`,
        form({ body: 'sneaky' }, [['b.txt', Buffer.from('b'), 'text/plain']]),
      ),
    ];

    // Assess
    expect(answers.map((answer) => answer.status)).toEqual([404, 404, 404, 404]);
    expect(await objectKeys(`accounts/${other.id}/`)).toEqual([]);
    const viewed = await call(account, 'GET', `/api/v2/tickets/${ticket.body.id}`);
    expect(viewed.body.attachments.map((a: Attachment) => a.id)).toEqual([id]);
    expect((await call(account, 'GET', `/api/v2/tickets/${ticket.body.id}/conversations`)).body).toEqual([]);
  });
});
