import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import { regionCaller } from './http-client.ts';

const platform = inject('localPlatform');

const call = regionCaller(platform);

const newCall = (extra: Record<string, unknown> = {}) => ({
  direction: 'incoming',
  started_at: '2026-11-23T10:00:00Z',
  duration_seconds: 42,
  ...extra,
});

describe('calls API', () => {
  it('takes a US call record and its recording through presigned URLs, keeping the key free of personal data', async () => {
    // Prepare
    const contact = await call('us', 'POST', '/api/v2/contacts', {
      name: 'Caller',
      email: `c-${randomUUID()}@example.test`,
    });
    const recording = randomBytes(64 * 1024);

    // Act
    const created = await call(
      'us',
      'POST',
      '/api/v2/calls',
      newCall({ contact_id: contact.body.id, phone_number: '+15550100', recording_size: recording.length }),
    );
    const before = await call('us', 'GET', `/api/v2/calls/${created.body.id}`);
    const upload = await fetch(created.body.recording.upload_url, {
      method: 'PUT',
      headers: created.body.recording.upload_headers,
      body: recording,
    });
    const after = await call('us', 'GET', `/api/v2/calls/${created.body.id}`);
    const served = await fetch(after.body.recording.download_url);
    const downloaded = Buffer.from(await served.arrayBuffer());

    // Assess
    expect(created.status).toBe(201);
    expect(created.body.recording.upload_url).not.toContain('example.test');
    expect(created.body.recording.upload_url).not.toContain('15550100');
    expect(created.body.recording.upload_headers).toEqual({
      'Content-Type': 'audio/mpeg',
      'Content-Length': String(recording.length),
    });
    expect(new URL(created.body.recording.upload_url).searchParams.get('X-Amz-SignedHeaders')).toBe(
      'content-length;content-type;host',
    );
    expect(before.body.recording).toEqual({ location: null });
    expect(upload.status).toBe(200);
    expect(after.body.recording.location).toBe('us');
    expect(served.headers.get('content-disposition')).toBe('attachment');
    expect(served.headers.get('content-type')).toBe('audio/mpeg');
    expect(downloaded.equals(recording)).toBe(true);
    const byContact = await call('us', 'GET', `/api/v2/calls?contact_id=${contact.body.id}`);
    expect(byContact.body.map((c: { id: number }) => c.id)).toEqual([created.body.id]);
  });

  it.each(['in', 'au'] as const)(
    'refuses call records for %s accounts, naming the residency rule, and stores nothing',
    async (region) => {
      const refused = await call(region, 'POST', '/api/v2/calls', newCall());

      expect(refused.status).toBe(403);
      expect(refused.body.code).toBe('category_not_allowed');
      expect(refused.body.message).toMatch(
        /Residency rule: call recordings are not hosted in (India|Australia)/,
      );
      expect((await call(region, 'GET', '/api/v2/calls')).status).toBe(403);
    },
  );

  it('soft-deletes a call: 204, then 404 and out of lists; repeating it answers 204; an unknown call 404', async () => {
    // Prepare
    const contact = await call('us', 'POST', '/api/v2/contacts', {
      name: 'Deleted caller',
      email: `d-${randomUUID()}@example.test`,
    });
    const created = await call('us', 'POST', '/api/v2/calls', newCall({ contact_id: contact.body.id }));

    // Act
    const deleted = await call('us', 'DELETE', `/api/v2/calls/${created.body.id}`);
    const again = await call('us', 'DELETE', `/api/v2/calls/${created.body.id}`);
    const read = await call('us', 'GET', `/api/v2/calls/${created.body.id}`);
    const listed = await call('us', 'GET', `/api/v2/calls?contact_id=${contact.body.id}`);
    const unknown = await call('us', 'DELETE', '/api/v2/calls/987654321012');
    const audit = await call('us', 'GET', `/api/v2/audit_log?record_type=call&record_id=${created.body.id}`);

    // Assess
    expect(deleted.status).toBe(204);
    expect(again.status).toBe(204);
    expect(read.status).toBe(404);
    expect(listed.body).toEqual([]);
    expect(unknown.status).toBe(404);
    expect(audit.body.map((entry: { summary: string }) => entry.summary)[0]).toMatch(
      new RegExp(`deleted call ${created.body.id}$`),
    );
  });

  it('refuses an unknown contact and malformed call records with 400', async () => {
    expect(
      (await call('eea', 'POST', '/api/v2/calls', newCall({ contact_id: 987654321 }))).body.errors[0].field,
    ).toBe('contact_id');
    expect((await call('eea', 'POST', '/api/v2/calls', newCall({ duration_seconds: -1 }))).status).toBe(400);
    expect((await call('eea', 'POST', '/api/v2/calls', newCall({ direction: 'sideways' }))).status).toBe(400);
    expect((await call('eea', 'POST', '/api/v2/calls', newCall({ recording_size: 0 }))).status).toBe(400);
    expect(
      (await call('eea', 'POST', '/api/v2/calls', newCall({ recording_size: 6 * 1024 ** 3 }))).status,
    ).toBe(400);
  });

  it('binds the recording type alone when no size is announced', async () => {
    // Act
    const created = await call(
      'us',
      'POST',
      '/api/v2/calls',
      newCall({ recording_content_type: 'audio/wav' }),
    );

    // Assess
    expect(created.status).toBe(201);
    expect(created.body.recording.upload_headers).toEqual({ 'Content-Type': 'audio/wav' });
    expect(new URL(created.body.recording.upload_url).searchParams.get('X-Amz-SignedHeaders')).toBe(
      'content-type;host',
    );
  });
});
