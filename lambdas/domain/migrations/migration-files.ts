import type { PresignedDownload, PresignedUpload, UploadTerms } from '#domain/object-store';
import type { FileFormat, MigrationCounts, SourceEntity } from './migration.ts';

/**
 * The objects of migrations in the region's migrations bucket. Keys hold ids and entity names only:
 * `migrations/<account>/<migration>/upload/<entity>.<format>` (what the admin uploads), `…/chunks/…`
 * (the split records) and `…/errors/…` (report parts), all deleted when the migration completes, and
 * `migration-reports/<account>/<migration>/errors.ndjson`, the error report, which the bucket expires
 * sooner than the rest (see bucket-design.ts).
 */
export interface MigrationFiles {
  /** A URL the client PUTs the file to, bound to `terms`, valid for `expiresInSeconds` at most. */
  presignUpload(key: string, terms: UploadTerms, expiresInSeconds: number): Promise<PresignedUpload>;
  presignDownload(key: string, contentType: string, expiresInSeconds: number): Promise<PresignedDownload>;
  exists(key: string): Promise<boolean>;
  /** The object's bytes, streamed. */
  bytes(key: string): AsyncIterable<Uint8Array>;
  /** The lines of a text object, streamed. */
  lines(key: string): AsyncIterable<string>;
  /** Writes an object from text chunks in bounded memory. */
  write(key: string, contentType: string, chunks: AsyncIterable<string> | Iterable<string>): Promise<unknown>;
  /** Keys under a prefix, in key order. */
  list(prefix: string): AsyncIterable<string>;
  /** Deletes every object under a prefix; answers how many. */
  deleteUnder(prefix: string): Promise<number>;
}

/** Where the files a migration works from are: one prefix per account, one below it per migration. */
export const migrationFilesRoot = 'migrations/';
/** Where error reports are: a prefix of its own, so the bucket expires them sooner. */
export const migrationReportsRoot = 'migration-reports/';

const base = (accountId: string, migrationId: number) => `${migrationFilesRoot}${accountId}/${migrationId}`;
const pad = (index: number) => String(index).padStart(6, '0');

export const migrationKeys = {
  /** Everything a migration works from (uploads, chunks, report parts), deleted once it completes. */
  files: (accountId: string, migrationId: number) => `${base(accountId, migrationId)}/`,
  /** The working files of every migration of an account (an erasure deletes those of finished runs). */
  accountFiles: (accountId: string) => `${migrationFilesRoot}${accountId}/`,
  upload: (accountId: string, migrationId: number, entity: SourceEntity, format: FileFormat) =>
    `${base(accountId, migrationId)}/upload/${entity}.${format}`,
  chunk: (accountId: string, migrationId: number, entity: SourceEntity, index: number) =>
    `${base(accountId, migrationId)}/chunks/${entity}/${pad(index)}.ndjson`,
  errorsPrefix: (accountId: string, migrationId: number) => `${base(accountId, migrationId)}/errors/`,
  /** Record failures found reading a file (`file-<part>`) or writing one of its chunks (`chunk-<index>`). */
  errors: (
    accountId: string,
    migrationId: number,
    entity: SourceEntity,
    part: 'file' | 'chunk',
    index: number,
  ) => `${base(accountId, migrationId)}/errors/${entity}/${part}-${pad(index)}.ndjson`,
  report: (accountId: string, migrationId: number) =>
    `${migrationReportsRoot}${accountId}/${migrationId}/errors.ndjson`,
};

/** A part of a migration's work and what it counted: reading a file (`chunk` undefined) or writing a chunk. */
export interface LedgerEntry {
  readonly entity: SourceEntity;
  readonly chunk?: number;
}

/**
 * What each finished part of a migration counted, kept beside the migration record. A chunk with an
 * entry is done: a resumed or repeated run skips it, so its counts stay those of the run that wrote it.
 */
export interface MigrationLedger {
  /**
   * Notes that work on a part begins: answers its counts if it is done, and when it first began. Work on
   * a chunk uses that instant as its clock, so a chunk written again writes the very same items.
   */
  begin(
    accountId: string,
    migrationId: number,
    entry: LedgerEntry,
    at: string,
  ): Promise<{ counts?: MigrationCounts; startedAt: string }>;
  record(accountId: string, migrationId: number, entry: LedgerEntry, counts: MigrationCounts): Promise<void>;
  /** The sum over every entry: records in the files, and how many were imported, skipped, failed so far. */
  totals(accountId: string, migrationId: number): Promise<MigrationCounts>;
}
