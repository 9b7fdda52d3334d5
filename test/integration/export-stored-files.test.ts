import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { emulatorDocumentClient, emulatorS3Client } from './emulator-clients.ts';
import { basicAuth } from './http-client.ts';
import { apiCaller, createTestAccount } from './test-accounts.ts';

const platform = inject('localPlatform');
const { url, table, buckets } = platform.regions.us;
const client = emulatorDocumentClient(platform);
const s3 = emulatorS3Client(platform);
afterAll(() => {
  client.destroy();
  s3.destroy();
});

const path = '/api/v2/privacy/requests';
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
/** The bytes behind a download URL, served as an attachment of `contentType`. */
const download = async (link: string, contentType: string) => {
  const response = await fetch(link);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-disposition')).toBe('attachment');
  expect(response.headers.get('content-type')).toBe(contentType);
  return Buffer.from(await response.arrayBuffer());
};

/** A fresh US account (with recordings) and callers for its admin: JSON and multipart. */
async function usAccount() {
  const account = await createTestAccount(client, table, 'us', ['admin']);
  const call = apiCaller(url);
  const admin = (method: string, route: string, body?: unknown) =>
    call(method, route, account.keys.admin, body);
  const multipart = async (route: string, fields: Record<string, string>, files: [string, Buffer][]) => {
    const data = new FormData();
    for (const [name, value] of Object.entries(fields)) data.append(name, value);
    for (const [name, bytes] of files) data.append('attachments[]', new Blob([bytes]), name);
    const response = await fetch(`${url}${route}`, {
      method: 'POST',
      headers: { authorization: basicAuth(account.keys.admin) },
      body: data,
    });
    expect(response.status).toBe(201);
    return (await response.json()) as { id: number; attachments: { id: number; name: string }[] };
  };
  return { id: account.id, admin, multipart };
}

/** Polls the request until its workflow has finished. */
async function finished(admin: Awaited<ReturnType<typeof usAccount>>['admin'], id: number) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const request = await admin('GET', `${path}/${id}`);
    if (['completed', 'failed'].includes(request.body.status) || Date.now() > deadline) return request;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("export bundle with the subject's files", () => {
  it('holds byte-identical copies of their attachments and recording, listed with size and SHA-256', async () => {
    // Prepare: a contact whose ticket has two files, a reply with one, a presigned upload (done) and one
    // never uploaded, a file deleted before the export, a call with its recording and one without;
    // another contact's ticket with a file.
    const account = await usAccount();
    const email = `s-${randomUUID()}@example.test`;
    const contact = await account.admin('POST', '/api/v2/contacts', { name: 'Subject', email });
    const originals = new Map<string, Buffer>();
    const png = randomBytes(300 * 1024);
    const text = Buffer.from('first line\r\nsecond line\r\n');
    const ticket = await account.multipart(
      '/api/v2/tickets',
      { subject: 'With files', description: 'See attached', email },
      [
        ['photo of me.png', png],
        ['notes.txt', text],
      ],
    );
    originals.set(`files/attachment-${ticket.attachments[0]?.id}`, png);
    originals.set(`files/attachment-${ticket.attachments[1]?.id}`, text);
    const replyBytes = randomBytes(1024);
    const reply = await account.multipart(`/api/v2/tickets/${ticket.id}/reply`, { body: 'Reply' }, [
      ['reply.bin', replyBytes],
    ]);
    originals.set(`files/attachment-${reply.attachments[0]?.id}`, replyBytes);
    const large = randomBytes(6 * 1024 * 1024);
    const announced = await account.admin('POST', `/api/v2/tickets/${ticket.id}/attachments`, {
      name: 'video.mp4',
      content_type: 'video/mp4',
      size: large.length,
    });
    await fetch(announced.body.upload_url, {
      method: 'PUT',
      headers: announced.body.upload_headers,
      body: large,
    });
    originals.set(`files/attachment-${announced.body.id}`, large);
    const pending = await account.admin('POST', `/api/v2/tickets/${ticket.id}/attachments`, {
      name: 'never.mp4',
      content_type: 'video/mp4',
      size: 10,
    });
    const deleted = await account.multipart(`/api/v2/tickets/${ticket.id}/notes`, { body: 'Note' }, [
      ['gone.txt', Buffer.from('deleted before the export')],
    ]);
    await account.admin('DELETE', `/api/v2/attachments/${deleted.attachments[0]?.id}`);
    const recording = randomBytes(96 * 1024);
    const newCall = {
      direction: 'incoming',
      contact_id: contact.body.id,
      started_at: '2026-11-23T10:00:00Z',
      duration_seconds: 42,
    };
    const call = await account.admin('POST', '/api/v2/calls', {
      ...newCall,
      recording_size: recording.length,
    });
    await fetch(call.body.recording.upload_url, {
      method: 'PUT',
      headers: call.body.recording.upload_headers,
      body: recording,
    });
    originals.set(`files/call-${call.body.id}`, recording);
    await account.admin('POST', '/api/v2/calls', newCall);
    await account.multipart(
      '/api/v2/tickets',
      { subject: 'Other', description: 'x', email: `o-${randomUUID()}@example.test` },
      [['other.txt', Buffer.from('not the subject')]],
    );

    // Act
    const created = await account.admin('POST', path, {
      type: 'export',
      subject: { type: 'contact', id: contact.body.id },
      channel: 'email',
    });
    await account.admin('POST', `${path}/${created.body.id}/verify`, { method: 'email_confirmation' });
    const done = await finished(account.admin, created.body.id);
    const listed = await account.admin('GET', `${path}/${created.body.id}/files?per_page=3`);
    const second = await account.admin('GET', `${path}/${created.body.id}/files?per_page=3&page=2`);

    // Assess: every stored file of the subject, byte for byte, and nothing else.
    expect(pending.status).toBe(201);
    expect(done.body.status).toBe('completed');
    expect(done.body.result.stored_files).toEqual({ count: originals.size });
    expect(listed.headers.get('link')).toContain('page=2');
    const files = [...listed.body, ...second.body] as {
      name: string;
      bytes: number;
      sha256: string;
      content_type: string;
      url: string;
      expires_at: string;
      record: { type: string; id: number };
    }[];
    expect(files.map((file) => file.name).sort()).toEqual([...originals.keys()].sort());
    for (const file of files) {
      const bytes = await download(file.url, file.content_type);
      const original = originals.get(file.name) as Buffer;
      expect(bytes.equals(original), file.name).toBe(true);
      expect({ bytes: file.bytes, sha256: file.sha256 }).toEqual({
        bytes: original.length,
        sha256: sha256(original),
      });
    }
    const manifest = JSON.parse(
      (await download(done.body.result.download_url, 'application/json')).toString('utf8'),
    );
    expect(manifest.stored_files).toEqual(files.map(({ url: _url, expires_at: _at, ...file }) => file));
    expect(manifest.files.map((file: { name: string }) => file.name)).toContain('attachments.json');

    // Assess: the bundle's keys hold ids only.
    const { Contents = [] } = await s3.send(
      new ListObjectsV2Command({
        Bucket: buckets.exports,
        Prefix: `exports/${account.id}/${created.body.id}/`,
      }),
    );
    for (const { Key } of Contents) expect(Key).toMatch(/^exports\/[0-9a-f-]+\/[0-9]+\/[a-z0-9/_.-]+$/);
    const keys = Contents.map(({ Key }) => Key ?? '').join('\n');
    for (const personal of ['photo', 'notes', 'video', 'subject', email])
      expect(keys).not.toContain(personal);
  });

  it('answers 409 for the files of an export that has not completed', async () => {
    const account = await usAccount();
    const contact = await account.admin('POST', '/api/v2/contacts', {
      name: 'Waiting',
      email: `w-${randomUUID()}@example.test`,
    });
    const created = await account.admin('POST', path, {
      type: 'export',
      subject: { type: 'contact', id: contact.body.id },
      channel: 'email',
    });

    const files = await account.admin('GET', `${path}/${created.body.id}/files`);

    expect(files.status).toBe(409);
    expect(files.body.code).toBe('conflict');
  });
});
