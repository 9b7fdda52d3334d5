import { z } from 'zod';
import { ConflictError } from '#domain/errors';
import { presignedUrlMaxSeconds } from '#domain/object-store';
import { retention } from '#lib/residency/index';
import type { ExportFiles } from './export-files.ts';
import { exportKeys } from './export-keys.ts';
import type { ExportResult, StoredPrivacyRequest } from './privacy-request.ts';
import type { ExportedStoredFile } from './stored-files.ts';

/** How long a bundle is offered (its `available_until`): `retention.exportOfferDays` after completion. */
export const exportOfferSeconds = retention.exportOfferDays * 24 * 60 * 60;

/**
 * How long a URL minted at `now` may live: an hour at most (`presignedUrlMaxSeconds`: a URL dies with
 * the credentials that signed it, hours on AWS, so the period is covered by URLs minted per read), and
 * never past the bundle's `available_until`; 0 once that time has passed (then no URL is offered).
 */
export function downloadSeconds(availableUntil: string, now: Date): number {
  const remaining = Math.floor((Date.parse(availableUntil) - now.getTime()) / 1000);
  return Math.max(0, Math.min(remaining, presignedUrlMaxSeconds));
}

/** The media type a bundle's data file was written with: `<category>.csv` or `<category>.json`. */
export const bundleFileContentType = (name: string) =>
  name.endsWith('.csv') ? 'text/csv' : 'application/json';

export const downloadEndedNotice = (availableUntil: string) =>
  `The download period ended at ${availableUntil}; the bundle's files are deleted. Record a new export request to export the data again.`;

export const bundleWithdrawnNotice = (withdrawn: { at: string; by_request: number }) =>
  `The bundle's files were deleted at ${withdrawn.at} by the erasure of the subject (request ${withdrawn.by_request}).`;

/** Why a completed export offers no download now, if it does not. */
function noDownloadNotice(result: ExportResult, seconds: number): string | null {
  if (result.withdrawn) return bundleWithdrawnNotice(result.withdrawn);
  return seconds > 0 ? null : downloadEndedNotice(result.available_until);
}

/** A completed export as the API shows it: the stored result with URLs minted for this read. */
export interface ExportResultView {
  readonly counts: Record<string, number>;
  readonly manifest_sha256: string;
  readonly available_until: string;
  /** The manifest's URL; null once the download period ended. */
  readonly download_url: string | null;
  /** When this read's URLs stop working (at most an hour away); null with no URL. */
  readonly download_expires_at: string | null;
  readonly files: { name: string; url: string | null }[];
  /** Attachment and recording files in the bundle, listed with URLs at GET …/{id}/files. */
  readonly stored_files: { count: number };
  readonly notice: string | null;
  /** When, and by which erasure request, the bundle's files were deleted. */
  readonly withdrawn: { at: string; by_request: number } | null;
}

/** A stored file of the bundle with a URL minted for this read. */
/** A stored file of a completed export, with a URL presigned for this read. */
export const storedFileDownloadSchema = z.strictObject({
  name: z.string(),
  record: z.strictObject({ type: z.string(), id: z.number().int() }),
  content_type: z.string(),
  bytes: z.number().int(),
  sha256: z.string(),
  url: z.string(),
  expires_at: z.string(),
});
export type StoredFileDownload = z.infer<typeof storedFileDownloadSchema>;

/**
 * Download URLs of export bundles, presigned whenever a request is read rather than once by the
 * workflow: a URL signed with temporary credentials dies with them (on AWS, hours), so each read
 * mints fresh ones, each valid for an hour at most and never past the bundle's `available_until`.
 * They answer as downloads (`Content-Disposition: attachment`) of the type each file was written with.
 */
export class ExportDownloads {
  constructor(
    private readonly deps: {
      readonly files: Pick<ExportFiles, 'presignDownload' | 'lines'>;
      readonly now: () => Date;
    },
  ) {}

  async offer(result: ExportResult): Promise<ExportResultView> {
    const now = this.deps.now();
    const seconds = result.withdrawn ? 0 : downloadSeconds(result.available_until, now);
    const sign = async (key: string, contentType: string) =>
      seconds > 0 ? await this.deps.files.presignDownload(key, contentType, seconds) : null;
    const manifest = await sign(result.manifest_key, 'application/json');
    const files = await Promise.all(
      result.files.map(async ({ name, key }) => ({
        name,
        url: (await sign(key, bundleFileContentType(name)))?.url ?? null,
      })),
    );
    return {
      counts: result.counts,
      manifest_sha256: result.manifest_sha256,
      available_until: result.available_until,
      download_url: manifest?.url ?? null,
      // The manifest is signed first, for the same lifetime: its expiry is the earliest of this read's.
      download_expires_at: manifest?.expiresAt ?? null,
      files,
      stored_files: { count: result.stored_files.count },
      notice: noDownloadNotice(result, seconds),
      withdrawn: result.withdrawn ?? null,
    };
  }

  /** One page of the bundle's stored files with fresh URLs, streamed from their list in the bucket. */
  async storedFiles(
    request: StoredPrivacyRequest,
    paging: { page: number; perPage: number },
  ): Promise<{ files: StoredFileDownload[]; hasMore: boolean }> {
    const result = request.fields.result;
    if (!result) throw new ConflictError('Only a completed export has files.');
    const now = this.deps.now();
    const seconds = result.withdrawn ? 0 : downloadSeconds(result.available_until, now);
    const notice = noDownloadNotice(result, seconds);
    if (notice) throw new ConflictError(notice);
    const skip = (paging.page - 1) * paging.perPage;
    const page: ExportedStoredFile[] = [];
    let index = 0;
    let hasMore = false;
    for await (const line of this.deps.files.lines(result.stored_files.list_key)) {
      if (!line.trim()) continue;
      if (index >= skip + paging.perPage) {
        hasMore = true;
        break;
      }
      if (index >= skip) page.push(JSON.parse(line) as ExportedStoredFile);
      index += 1;
    }
    const { bundle } = exportKeys(request.accountId, request.ref.id);
    const files = await Promise.all(
      page.map(async (file) => {
        const download = await this.deps.files.presignDownload(bundle(file.name), file.content_type, seconds);
        return { ...file, url: download.url, expires_at: download.expiresAt };
      }),
    );
    return { files, hasMore };
  }
}
