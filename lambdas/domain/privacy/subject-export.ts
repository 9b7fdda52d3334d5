import { retention } from '#lib/residency/index';
import type { RecordRef, StoredRecord, SubjectRef } from '#domain/records/record';
import type { RecordStore } from '#domain/records/record-store';
import { mapBounded } from './bounded.ts';
import { csvRow } from './csv.ts';
import { exportCategoryOf } from './export-categories.ts';
import type { ExportFiles } from './export-files.ts';
import type { ExportResult } from './privacy-request.ts';
import type { RequestProgress } from './request-progress.ts';

/** The longest a download URL lives: `retention.exportUrlDays`, never more than S3's 7-day maximum. */
export const exportUrlSeconds = Math.min(retention.exportUrlDays, 7) * 24 * 60 * 60;

/** What one page of the subject index gave: records per category. */
export interface PageResult {
  readonly page: number;
  readonly counts: Readonly<Record<string, number>>;
}

/** The assembled bundle: counts per category, the files, the manifest's checksum. */
export interface AssembledBundle {
  readonly counts: Record<string, number>;
  readonly files: string[];
  readonly manifestSha256: string;
}

export interface SubjectExportDependencies {
  readonly store: RecordStore;
  readonly files: ExportFiles;
  readonly progress: RequestProgress;
  readonly now: () => Date;
  /** Subject links per index page (one Map iteration each). @default 500 */
  readonly pageSize?: number;
  /** Records read at once while exporting a page. @default 16 */
  readonly readConcurrency?: number;
}

const pad = (page: number) => String(page).padStart(6, '0');
/** Every key of a request's export: ids only. */
const keys = (accountId: string, requestId: number) => {
  const prefix = `exports/${accountId}/${requestId}`;
  return {
    index: (page: number) => `${prefix}/index/${pad(page)}.ndjson`,
    part: (page: number, category: string) => `${prefix}/parts/${pad(page)}/${category}.ndjson`,
    bundle: (name: string) => `${prefix}/bundle/${name}`,
  };
};

/** A linked record as the subject receives it: its API fields, id and times. */
const exportView = (record: StoredRecord<object>) => ({
  id: record.ref.id,
  ...record.fields,
  created_at: record.createdAt,
  updated_at: record.updatedAt,
});

/**
 * The export of a subject's data, in steps a workflow runs (each repeatable: the same keys are
 * overwritten with the same content): index the subject's links page by page, export each page's
 * records per category as NDJSON parts, assemble JSON and CSV per category and a manifest, publish.
 */
export class SubjectExport {
  private readonly pageSize: number;
  private readonly readConcurrency: number;

  constructor(private readonly deps: SubjectExportDependencies) {
    this.pageSize = deps.pageSize ?? 500;
    this.readConcurrency = deps.readConcurrency ?? 16;
  }

  private async subjectOf(accountId: string, requestId: number): Promise<SubjectRef> {
    const request = await this.deps.progress.read(accountId, requestId);
    return { kind: request.fields.subject_type, id: request.fields.subject_id };
  }

  /** Writes the subject index in pages (Query, page by page); answers the page numbers. */
  async index(accountId: string, requestId: number): Promise<{ pages: number[] }> {
    const subject = await this.subjectOf(accountId, requestId);
    const key = keys(accountId, requestId);
    let cursor: string | undefined;
    let page = 0;
    do {
      const links = await this.deps.store.subjectLinks(accountId, subject, { limit: this.pageSize, cursor });
      // A full last page still answers a cursor; the empty page after it is no page.
      if (links.refs.length === 0 && page > 0) break;
      await this.deps.files.write(
        key.index(page),
        'application/x-ndjson',
        links.refs.map((ref) => `${JSON.stringify(ref)}\n`),
      );
      cursor = links.cursor;
      page += 1;
    } while (cursor);
    return { pages: Array.from({ length: page }, (_, index) => index) };
  }

  /** Exports the live records of one index page, one NDJSON part per category. */
  async exportPage(accountId: string, requestId: number, page: number): Promise<PageResult> {
    const key = keys(accountId, requestId);
    const refs: RecordRef[] = [];
    for await (const line of this.deps.files.lines(key.index(page))) {
      if (line.trim()) refs.push(JSON.parse(line) as RecordRef);
    }
    const records = await mapBounded(refs, this.readConcurrency, (ref) =>
      this.deps.store.get(accountId, ref),
    );
    const byCategory = new Map<string, string[]>();
    for (const record of records) {
      if (!record || record.deletedAt || record.supersededBy) continue;
      const category = exportCategoryOf(record.ref.type);
      const lines = byCategory.get(category) ?? [];
      lines.push(`${JSON.stringify(exportView(record))}\n`);
      byCategory.set(category, lines);
    }
    const counts: Record<string, number> = {};
    for (const [category, lines] of [...byCategory].sort(([a], [b]) => a.localeCompare(b))) {
      await this.deps.files.write(key.part(page, category), 'application/x-ndjson', lines);
      counts[category] = lines.length;
    }
    return { page, counts };
  }

  /** JSON and CSV per category, streamed from the parts, and a manifest with each file's SHA-256. */
  async assemble(
    accountId: string,
    requestId: number,
    pages: readonly PageResult[],
  ): Promise<AssembledBundle> {
    const subject = await this.subjectOf(accountId, requestId);
    const key = keys(accountId, requestId);
    const ordered = [...pages].sort((a, b) => a.page - b.page);
    const counts: Record<string, number> = {};
    for (const { counts: pageCounts } of ordered) {
      for (const [category, count] of Object.entries(pageCounts))
        counts[category] = (counts[category] ?? 0) + count;
    }
    const manifestFiles = [];
    for (const category of Object.keys(counts).sort()) {
      const parts = ordered
        .filter((page) => (page.counts[category] ?? 0) > 0)
        .map((page) => key.part(page.page, category));
      const lines = () => this.partLines(parts);
      const json = await this.deps.files.write(
        key.bundle(`${category}.json`),
        'application/json',
        jsonArray(lines()),
      );
      const columns = await columnsOf(lines());
      const csv = await this.deps.files.write(
        key.bundle(`${category}.csv`),
        'text/csv',
        csvRows(columns, lines()),
      );
      const count = counts[category] ?? 0;
      manifestFiles.push(
        { name: `${category}.json`, category, format: 'json', count, ...json },
        { name: `${category}.csv`, category, format: 'csv', count, ...csv },
      );
    }
    const manifest = {
      request_id: requestId,
      subject: { type: subject.kind, id: subject.id },
      counts,
      files: manifestFiles,
    };
    const written = await this.deps.files.write(key.bundle('manifest.json'), 'application/json', [
      `${JSON.stringify(manifest, null, 2)}\n`,
    ]);
    return { counts, files: manifestFiles.map((file) => file.name), manifestSha256: written.sha256 };
  }

  /** Presigns the bundle (at most 7 days) and records the result on the request: completed. */
  async publish(accountId: string, requestId: number, bundle: AssembledBundle): Promise<void> {
    const key = keys(accountId, requestId);
    const sign = (name: string) => this.deps.files.presignDownload(key.bundle(name), exportUrlSeconds);
    const result: ExportResult = {
      counts: bundle.counts,
      manifest_sha256: bundle.manifestSha256,
      download_url: await sign('manifest.json'),
      download_expires_at: new Date(this.deps.now().getTime() + exportUrlSeconds * 1000).toISOString(),
      files: await mapBounded(bundle.files, 4, async (name) => ({ name, url: await sign(name) })),
    };
    await this.deps.progress.complete(accountId, requestId, result);
  }

  private async *partLines(parts: readonly string[]): AsyncIterable<string> {
    for (const part of parts) {
      for await (const line of this.deps.files.lines(part)) if (line.trim()) yield line;
    }
  }
}

async function* jsonArray(lines: AsyncIterable<string>): AsyncIterable<string> {
  let first = true;
  yield '[';
  for await (const line of lines) {
    yield `${first ? '\n' : ',\n'}${line}`;
    first = false;
  }
  yield '\n]\n';
}

/** Every top-level field name of the category's records, in first-seen order (first pass). */
async function columnsOf(lines: AsyncIterable<string>): Promise<string[]> {
  const columns = new Set<string>();
  for await (const line of lines)
    for (const name of Object.keys(JSON.parse(line) as object)) columns.add(name);
  return [...columns];
}

async function* csvRows(columns: readonly string[], lines: AsyncIterable<string>): AsyncIterable<string> {
  yield csvRow(columns);
  for await (const line of lines) {
    const record = JSON.parse(line) as Record<string, unknown>;
    yield csvRow(columns.map((column) => record[column]));
  }
}
