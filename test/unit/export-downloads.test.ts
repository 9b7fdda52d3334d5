import { describe, expect, it, vi } from 'vitest';
import {
  downloadSeconds,
  ExportDownloads,
  exportOfferSeconds,
} from '../../lambdas/domain/privacy/export-downloads.ts';
import type { ExportResult, StoredPrivacyRequest } from '../../lambdas/domain/privacy/privacy-request.ts';

const week = 7 * 24 * 3600;
const hour = 3600;
const result: ExportResult = {
  counts: { tickets: 1 },
  manifest_sha256: 'a'.repeat(64),
  manifest_key: 'exports/acct/9/bundle/manifest.json',
  files: [{ name: 'tickets.json', key: 'exports/acct/9/bundle/tickets.json' }],
  stored_files: { count: 3, list_key: 'exports/acct/9/stored-files.ndjson' },
  available_until: '2026-11-30T10:00:00.000Z',
};
const request = {
  accountId: 'acct',
  ref: { type: 'privacy_request', id: 9 },
  fields: { type: 'export', status: 'completed', result },
} as unknown as StoredPrivacyRequest;
const storedFile = (id: number) =>
  JSON.stringify({
    name: `files/attachment-${id}`,
    record: { type: 'attachment', id },
    content_type: 'image/png',
    bytes: id,
    sha256: 'b'.repeat(64),
  });

/** Downloads at an injected instant, over files that sign `key?e=seconds&t=type` and list three stored files. */
function downloadsAt(instant: string) {
  const presign = vi.fn(async (key: string, contentType: string, seconds: number) => ({
    url: `https://s3.test/${key}?e=${seconds}&t=${contentType}`,
    expiresAt: new Date(Date.parse(instant) + seconds * 1000).toISOString(),
  }));
  const lines = vi.fn(async function* () {
    yield* [storedFile(1), storedFile(2), '', storedFile(3)];
  });
  const downloads = new ExportDownloads({
    files: { presignDownload: presign, lines },
    now: () => new Date(instant),
  });
  return { downloads, presign, lines };
}

describe('download URL lifetime', () => {
  it('is an hour at most within the 7-day download period, what is left of it at its end, none after', () => {
    expect(exportOfferSeconds).toBe(week);
    expect(downloadSeconds('2026-11-30T10:00:00.000Z', new Date('2026-11-23T10:00:00Z'))).toBe(hour);
    expect(downloadSeconds('2026-12-30T10:00:00.000Z', new Date('2026-11-23T10:00:00Z'))).toBe(hour);
    expect(downloadSeconds('2026-11-30T10:00:00.000Z', new Date('2026-11-30T09:30:00.500Z'))).toBe(1_799);
    expect(downloadSeconds('2026-11-30T10:00:00.000Z', new Date('2026-11-30T10:00:00Z'))).toBe(0);
    expect(downloadSeconds('2026-11-30T10:00:00.000Z', new Date('2026-12-01T10:00:00Z'))).toBe(0);
  });
});

describe('ExportDownloads', () => {
  it('mints URLs at each read, each an hour long as the signer says, of the type each file has', async () => {
    const { downloads, presign } = downloadsAt('2026-11-29T10:00:00Z');

    const view = await downloads.offer({
      ...result,
      files: [...result.files, { name: 'tickets.csv', key: 'exports/acct/9/bundle/tickets.csv' }],
    });

    expect(view).toEqual({
      counts: { tickets: 1 },
      manifest_sha256: 'a'.repeat(64),
      available_until: '2026-11-30T10:00:00.000Z',
      download_url: 'https://s3.test/exports/acct/9/bundle/manifest.json?e=3600&t=application/json',
      download_expires_at: '2026-11-29T11:00:00.000Z',
      files: [
        {
          name: 'tickets.json',
          url: 'https://s3.test/exports/acct/9/bundle/tickets.json?e=3600&t=application/json',
        },
        { name: 'tickets.csv', url: 'https://s3.test/exports/acct/9/bundle/tickets.csv?e=3600&t=text/csv' },
      ],
      stored_files: { count: 3 },
      notice: null,
      withdrawn: null,
    });
    expect(presign).toHaveBeenCalledTimes(3);
  });

  it('signs the last URLs of the period only until it ends', async () => {
    const { downloads } = downloadsAt('2026-11-30T09:50:00Z');

    const view = await downloads.offer(result);

    expect(view).toMatchObject({
      download_url: expect.stringContaining('?e=600&'),
      download_expires_at: '2026-11-30T10:00:00.000Z',
    });
  });

  it('offers no URL after the download period, with a notice saying so', async () => {
    const { downloads, presign } = downloadsAt('2026-12-01T00:00:00Z');

    const view = await downloads.offer(result);

    expect(view).toMatchObject({
      download_url: null,
      download_expires_at: null,
      files: [{ name: 'tickets.json', url: null }],
      notice: expect.stringContaining('ended at 2026-11-30T10:00:00.000Z'),
    });
    expect(presign).not.toHaveBeenCalled();
  });

  it('pages through the stored files with fresh URLs of their types, and refuses once the period ended', async () => {
    const { downloads } = downloadsAt('2026-11-23T10:00:00Z');

    const first = await downloads.storedFiles(request, { page: 1, perPage: 2 });
    const second = await downloads.storedFiles(request, { page: 2, perPage: 2 });
    const late = downloadsAt('2026-11-30T10:00:01Z');

    expect(first.hasMore).toBe(true);
    expect(first.files.map((file) => [file.name, file.url, file.expires_at])).toEqual([
      [
        'files/attachment-1',
        'https://s3.test/exports/acct/9/bundle/files/attachment-1?e=3600&t=image/png',
        '2026-11-23T11:00:00.000Z',
      ],
      [
        'files/attachment-2',
        'https://s3.test/exports/acct/9/bundle/files/attachment-2?e=3600&t=image/png',
        '2026-11-23T11:00:00.000Z',
      ],
    ]);
    expect(second).toMatchObject({ hasMore: false, files: [{ name: 'files/attachment-3', bytes: 3 }] });
    await expect(late.downloads.storedFiles(request, { page: 1, perPage: 2 })).rejects.toThrow('ended');
    expect(late.lines).not.toHaveBeenCalled();
  });

  it('offers nothing of a bundle an erasure of the subject withdrew, within its period too', async () => {
    const { downloads, presign, lines } = downloadsAt('2026-11-24T10:00:00Z');
    const withdrawn = { at: '2026-11-24T09:00:00.000Z', by_request: 12 };
    const erased = { ...request, fields: { ...request.fields, result: { ...result, withdrawn } } };

    const view = await downloads.offer({ ...result, withdrawn });

    expect(view).toMatchObject({
      download_url: null,
      files: [{ name: 'tickets.json', url: null }],
      withdrawn,
      notice: expect.stringContaining(
        'deleted at 2026-11-24T09:00:00.000Z by the erasure of the subject (request 12)',
      ),
    });
    await expect(downloads.storedFiles(erased, { page: 1, perPage: 2 })).rejects.toThrow('request 12');
    expect(presign).not.toHaveBeenCalled();
    expect(lines).not.toHaveBeenCalled();
  });
});
