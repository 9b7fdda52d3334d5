import type { RecordRef, StoredRecord, SubjectRef } from '#domain/records/record';
import type { RecordStore } from '#domain/records/record-store';
import { type Batch, maxBatchesPerRun, type TimeLeft, workThrough } from '#domain/workflow-batches';
import { mapBounded } from './bounded.ts';
import { csvRow } from './csv.ts';
import { exportCategoryOf } from './export-categories.ts';
import { exportOfferSeconds } from './export-downloads.ts';
import type { ExportFiles } from './export-files.ts';
import { exportKeys as keys, storedFileName } from './export-keys.ts';
import { type PagePlan, pagePlanOf, PageResultMissingError, PageResults } from './page-results.ts';
import type { ExportResult } from './privacy-request.ts';
import type { RequestProgress } from './request-progress.ts';
import {
  type ExportedStoredFile,
  exportedStoredFile,
  type StoredFileBuckets,
  type StoredFileSource,
  storedFileSourceOf,
} from './stored-files.ts';

/**
 * What one page of the subject index gave: records per category; after the export, how many stored
 * files the page's records carry (`fileSources`); after the copy, how many were copied (`storedFiles`).
 * Kept beside the page's parts, naming the execution that made it: a retry of that execution skips
 * the page, a later execution (which indexed afresh) does it again.
 */
export interface PageResult {
  readonly page: number;
  readonly execution: string;
  readonly counts: Readonly<Record<string, number>>;
  readonly fileSources: number;
  readonly storedFiles?: number;
}

/** The assembled bundle: counts per category, the data files, the manifest's checksum, stored files. */
export interface AssembledBundle {
  readonly counts: Record<string, number>;
  readonly files: string[];
  readonly manifestSha256: string;
  readonly storedFiles: number;
}

export interface SubjectExportDependencies {
  readonly store: RecordStore;
  readonly files: ExportFiles;
  readonly progress: RequestProgress;
  readonly now: () => Date;
  /** Where the subject's attachment and recording files are stored. */
  readonly storedFiles: StoredFileBuckets;
  /** Subject links per index page. @default 500 */
  readonly pageSize?: number;
  /** Batches of consecutive pages (one Map iteration each) an export takes at most. @default 1,000 */
  readonly maxBatches?: number;
  /** Records read at once while exporting a page. @default 16 */
  readonly readConcurrency?: number;
  /** Stored files copied at once (each streamed through a checksum). @default 4 */
  readonly copyConcurrency?: number;
}

/** A linked record as the subject receives it: its API fields, id and times. */
const exportView = (record: StoredRecord<object>) => ({
  id: record.ref.id,
  ...record.fields,
  created_at: record.createdAt,
  updated_at: record.updatedAt,
});

/**
 * The export of a subject's data, in steps a workflow runs (each repeatable: the same keys are
 * overwritten with the same content): index the subject's links page by page, export batches of
 * consecutive pages (each page's records per category as NDJSON parts), copy the batch's attachment
 * and recording files into the bundle, assemble JSON and CSV per category and a manifest, publish.
 * Page results stay beside the parts, out of the execution's state, whatever the subject's size.
 */
export class SubjectExport {
  private readonly pageSize: number;
  private readonly maxBatches: number;
  private readonly readConcurrency: number;
  private readonly copyConcurrency: number;

  constructor(private readonly deps: SubjectExportDependencies) {
    this.pageSize = deps.pageSize ?? 500;
    this.maxBatches = deps.maxBatches ?? maxBatchesPerRun;
    this.readConcurrency = deps.readConcurrency ?? 16;
    this.copyConcurrency = deps.copyConcurrency ?? 4;
  }

  private resultsOf(accountId: string, requestId: number): PageResults<PageResult> {
    return new PageResults(this.deps.files, keys(accountId, requestId).pageResult);
  }

  private async subjectOf(accountId: string, requestId: number): Promise<SubjectRef> {
    const request = await this.deps.progress.read(accountId, requestId);
    return { kind: request.fields.subject_type, id: request.fields.subject_id };
  }

  /** Writes the subject index in pages (Query, page by page); answers how many, in batches. */
  async index(accountId: string, requestId: number): Promise<PagePlan> {
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
    return pagePlanOf(page, this.maxBatches);
  }

  /**
   * Exports the batch's pages one after another, each page's result kept beside its parts; a page
   * this execution exported already (a retried batch) is skipped. Stops in time (see workThrough).
   */
  exportBatch(
    accountId: string,
    requestId: number,
    execution: string,
    batch: Batch,
    timeLeft?: TimeLeft,
  ): Promise<Batch> {
    return this.workOnPages(accountId, requestId, batch, timeLeft, async (results, page) => {
      if ((await results.read(page))?.execution === execution) return;
      const exported = await this.exportPage(accountId, requestId, page);
      await results.write(page, { page, execution, ...exported });
    });
  }

  /**
   * Copies the stored files of the batch's exported pages, one page after another, each page's result
   * then naming how many were copied; a page whose copy this execution did already is skipped.
   */
  copyBatchFiles(
    accountId: string,
    requestId: number,
    execution: string,
    batch: Batch,
    timeLeft?: TimeLeft,
  ): Promise<Batch> {
    return this.workOnPages(accountId, requestId, batch, timeLeft, async (results, page) => {
      const exported = await results.read(page);
      if (exported?.execution !== execution) throw new PageResultMissingError();
      if (exported.storedFiles !== undefined) return;
      const storedFiles = await this.copyPageFiles(accountId, requestId, exported);
      await results.write(page, { ...exported, storedFiles });
    });
  }

  private workOnPages(
    accountId: string,
    requestId: number,
    batch: Batch,
    timeLeft: TimeLeft | undefined,
    work: (results: PageResults<PageResult>, page: number) => Promise<void>,
  ): Promise<Batch> {
    const results = this.resultsOf(accountId, requestId);
    return workThrough(batch, (page) => work(results, page), timeLeft);
  }

  /** Exports the live records of one index page, one NDJSON part per category. */
  private async exportPage(
    accountId: string,
    requestId: number,
    page: number,
  ): Promise<Pick<PageResult, 'counts' | 'fileSources'>> {
    const key = keys(accountId, requestId);
    const refs: RecordRef[] = [];
    for await (const line of this.deps.files.lines(key.index(page))) {
      if (line.trim()) refs.push(JSON.parse(line) as RecordRef);
    }
    const records = await mapBounded(refs, this.readConcurrency, (ref) =>
      this.deps.store.get(accountId, ref),
    );
    const byCategory = new Map<string, string[]>();
    const sources: string[] = [];
    for (const record of records) {
      if (!record || record.deletedAt || record.supersededBy) continue;
      const category = exportCategoryOf(record.ref.type);
      const lines = byCategory.get(category) ?? [];
      lines.push(`${JSON.stringify(exportView(record))}\n`);
      byCategory.set(category, lines);
      const source = storedFileSourceOf(record, this.deps.storedFiles);
      if (source) sources.push(`${JSON.stringify(source)}\n`);
    }
    const counts: Record<string, number> = {};
    for (const [category, lines] of [...byCategory].sort(([a], [b]) => a.localeCompare(b))) {
      await this.deps.files.write(key.part(page, category), 'application/x-ndjson', lines);
      counts[category] = lines.length;
    }
    if (sources.length) await this.deps.files.write(key.fileSources(page), 'application/x-ndjson', sources);
    return { counts, fileSources: sources.length };
  }

  /**
   * Copies the page's stored files into the bundle (server-side, a few at a time) and lists each copy
   * with its size and SHA-256; a file not (yet) stored is left out, as the API leaves it out. Answers
   * how many were copied.
   */
  private async copyPageFiles(accountId: string, requestId: number, exported: PageResult): Promise<number> {
    const { page } = exported;
    if (!exported.fileSources) return 0;
    const key = keys(accountId, requestId);
    const sources: StoredFileSource[] = [];
    for await (const line of this.deps.files.lines(key.fileSources(page))) {
      if (line.trim()) sources.push(JSON.parse(line) as StoredFileSource);
    }
    const copies = await mapBounded(sources, this.copyConcurrency, async (source) => {
      const copy = await this.deps.files.copyIn(
        { bucket: source.bucket, key: source.key, bytes: source.announcedBytes },
        key.bundle(storedFileName(source.record)),
      );
      return copy && exportedStoredFile(source, copy);
    });
    const copied = copies.filter((copy): copy is ExportedStoredFile => copy !== undefined);
    await this.deps.files.write(
      key.copiedFiles(page),
      'application/x-ndjson',
      copied.map((file) => `${JSON.stringify(file)}\n`),
    );
    return copied.length;
  }

  /**
   * JSON and CSV per category, streamed from the parts of the `pages` index pages (their results read
   * from beside them), and a manifest with each file's SHA-256.
   */
  async assemble(accountId: string, requestId: number, pages: number): Promise<AssembledBundle> {
    const subject = await this.subjectOf(accountId, requestId);
    const key = keys(accountId, requestId);
    const ordered = await this.resultsOf(accountId, requestId).all(pages);
    // A page exported but not copied: the Map did not finish it.
    if (ordered.some((page) => page.storedFiles === undefined)) throw new PageResultMissingError();
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
        withNewline(jsonArray(lines())),
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
    // The stored files, streamed from the pages' copy lists: once as the API's list, once in the manifest.
    const copied = ordered
      .filter((page) => (page.storedFiles ?? 0) > 0)
      .map((page) => key.copiedFiles(page.page));
    const storedFiles = ordered.reduce((sum, page) => sum + (page.storedFiles ?? 0), 0);
    await this.deps.files.write(
      key.storedFiles(),
      'application/x-ndjson',
      lineByLine(this.partLines(copied)),
    );
    const head = {
      request_id: requestId,
      subject: { type: subject.kind, id: subject.id },
      counts,
      files: manifestFiles,
    };
    const written = await this.deps.files.write(
      key.bundle('manifest.json'),
      'application/json',
      manifestChunks(head, this.partLines(copied)),
    );
    return {
      counts,
      files: manifestFiles.map((file) => file.name),
      manifestSha256: written.sha256,
      storedFiles,
    };
  }

  /**
   * Records the result on the request (completed): where the bundle's objects are and until when they
   * are offered. URLs are presigned when the request is read, so they never outlive the signer.
   */
  async publish(accountId: string, requestId: number, bundle: AssembledBundle): Promise<void> {
    const key = keys(accountId, requestId);
    const result: ExportResult = {
      counts: bundle.counts,
      manifest_sha256: bundle.manifestSha256,
      manifest_key: key.bundle('manifest.json'),
      files: bundle.files.map((name) => ({ name, key: key.bundle(name) })),
      stored_files: { count: bundle.storedFiles, list_key: key.storedFiles() },
      available_until: new Date(this.deps.now().getTime() + exportOfferSeconds * 1000).toISOString(),
    };
    await this.deps.progress.complete(accountId, requestId, result);
  }

  private async *partLines(parts: readonly string[]): AsyncIterable<string> {
    for (const part of parts) {
      for await (const line of this.deps.files.lines(part)) if (line.trim()) yield line;
    }
  }
}

async function* withNewline(chunks: AsyncIterable<string>): AsyncIterable<string> {
  yield* chunks;
  yield '\n';
}

async function* lineByLine(lines: AsyncIterable<string>): AsyncIterable<string> {
  for await (const line of lines) yield `${line}\n`;
}

/**
 * The manifest: `head` (request, subject, counts, data files) as indented JSON, then `stored_files`,
 * one entry per line streamed from `storedFiles`, so its size never bounds memory.
 */
async function* manifestChunks(head: object, storedFiles: AsyncIterable<string>): AsyncIterable<string> {
  // Indented JSON of an object ends with "\n}": the stored files go in before that brace.
  yield `${JSON.stringify(head, null, 2).slice(0, -2)},\n  "stored_files": `;
  yield* jsonArray(storedFiles, '    ', '  ');
  yield '\n}\n';
}

/** A JSON array of the JSON lines, one per line (indented by `itemIndent`), streamed. */
async function* jsonArray(
  lines: AsyncIterable<string>,
  itemIndent = '',
  closingIndent = '',
): AsyncIterable<string> {
  let first = true;
  yield '[';
  for await (const line of lines) {
    yield `${first ? '\n' : ',\n'}${itemIndent}${line}`;
    first = false;
  }
  yield `\n${closingIndent}]`;
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
