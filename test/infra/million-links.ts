import { createHash } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import type { ErasureStore } from '../../lambdas/domain/privacy/erasure-store.ts';
import type { ErasureObjects } from '../../lambdas/domain/privacy/erasure-objects.ts';
import type { ExportFiles } from '../../lambdas/domain/privacy/export-files.ts';
import type { PresignedDownload } from '../../lambdas/domain/object-store.ts';
import {
  type ErasureOperation,
  notYetAnswered,
  type PrivacyRequestFields,
  type StoredPrivacyRequest,
} from '../../lambdas/domain/privacy/privacy-request.ts';
import type { RequestProgress } from '../../lambdas/domain/privacy/request-progress.ts';
import { SubjectErasure } from '../../lambdas/domain/privacy/subject-erasure.ts';
import { SubjectExport } from '../../lambdas/domain/privacy/subject-export.ts';
import type { RecordRef, RecordType, StoredRecord } from '../../lambdas/domain/records/record.ts';
import type { RecordStore } from '../../lambdas/domain/records/record-store.ts';
import type { ErasureRuntime } from '../../lambdas/workflows/privacy-erasure/erasure-runtime.ts';
import type { ExportRuntime } from '../../lambdas/workflows/privacy-export/export-runtime.ts';

/**
 * A data subject with a million linked records, behind the ports the privacy workflows' tasks use
 * (record store, erasure store, work files, objects, request progress), for running the synthesized
 * workflows at that scale on the local interpreter with the real task handlers and domain code. The
 * ports answer from arithmetic (record i of the index is always the same) and keep only the small
 * objects the tasks read back (index and work pages, page results, file lists), never the exported
 * records themselves, so a million records fit in a test's memory. Not a store: nothing is checked.
 */

const accountId = 'acct-million';
const at = '2026-11-23T10:00:00.000Z';
export const subject = { kind: 'contact', id: 42 } as const;

/** The subject's links, in the order the subject index answers them (by type, then id). */
const linkMix: readonly [RecordType, number][] = [
  ['attachment', 0.1],
  ['call', 0.1],
  ['contact', 0],
  ['conversation', 0.5],
  ['ticket', 0.3],
];

/** Record `index` of `count` linked records: 10 % attachments and calls each, half replies, the subject. */
function linkAt(index: number, count: number): RecordRef {
  let start = 0;
  for (const [type, share] of linkMix) {
    const size = type === 'contact' ? 1 : Math.floor((count - 1) * share);
    if (index < start + size) return { type, id: type === 'contact' ? subject.id : 1_000_000 + index };
    start += size;
  }
  return { type: 'ticket', id: 1_000_000 + index };
}

/** Fields of each kind of linked record, realistic in size (the files' keys are added per record). */
const fieldsOf: Partial<Record<RecordType, object>> = {
  attachment: { name: 'scan.pdf', content_type: 'application/pdf', size: 182_044 },
  call: { direction: 'inbound', duration_seconds: 312 },
  contact: { name: 'Ada Example', email: 'ada@example.test', phone: '+44 20 7946 0000' },
  conversation: { body_text: 'Thank you, the replacement arrived today. '.repeat(4), private: false },
  ticket: { subject: 'Printer on fire', description_text: 'It smokes. '.repeat(12), status: 2, priority: 1 },
};

/** A linked record as stored: realistic fields of its type, with the file an attachment or call holds. */
function recordOf(ref: RecordRef): StoredRecord<object> {
  const key = `accounts/${accountId}/${ref.type}s/${ref.id}`;
  const files =
    ref.type === 'attachment' ? { object_key: key } : ref.type === 'call' ? { recording_key: key } : {};
  return {
    accountId,
    ref,
    version: 1,
    createdAt: at,
    updatedAt: at,
    fields: { ...fieldsOf[ref.type], ...files },
    subjects: [subject],
  };
}

/** Pages of `count` records by offset cursor, as a Query pages an index. */
function pagesOf(count: number, page: { limit: number; cursor?: string }) {
  const from = Number(page.cursor ?? 0);
  const to = Math.min(count, from + page.limit);
  const refs = Array.from({ length: to - from }, (_, offset) => linkAt(from + offset, count));
  return { refs, ...(to < count && { cursor: String(to) }) };
}

/** Small objects kept (and read back by the tasks); exported records and bundle files are only counted. */
class ScaleFiles implements ExportFiles {
  private readonly kept = new Map<string, string>();

  async write(key: string, _contentType: string, chunks: AsyncIterable<string> | Iterable<string>) {
    const keep = !/\/bundle\/|\/stored-files\.ndjson$|\/parts\/\d+\/[a-z_]+\.ndjson$/.test(key);
    let text = '';
    let bytes = 0;
    for await (const chunk of chunks) {
      bytes += Buffer.byteLength(chunk);
      if (keep) text += chunk;
    }
    this.kept.set(key, text);
    return { bytes, sha256: createHash('sha256').update(key).digest('hex') };
  }

  async exists(key: string) {
    return this.kept.has(key);
  }

  async *lines(key: string): AsyncIterable<string> {
    const text = this.kept.get(key);
    if (text === undefined) throw Object.assign(new Error('no such key'), { name: 'NoSuchKey' });
    yield* text.split('\n');
  }

  presignDownload(): Promise<PresignedDownload> {
    throw new Error('not used by the workflows');
  }

  async deleteUnder() {
    return 0;
  }

  async copyIn(source: { readonly bytes?: number }) {
    return { bytes: source.bytes ?? 4_096_000, sha256: 'ab'.repeat(32), contentType: 'application/pdf' };
  }
}

function requestOf(id: number, fields: Partial<PrivacyRequestFields>): StoredPrivacyRequest {
  return {
    accountId,
    ref: { type: 'privacy_request', id },
    version: 3,
    createdAt: at,
    updatedAt: at,
    subjects: [],
    fields: {
      type: 'export',
      subject_type: subject.kind,
      subject_id: subject.id,
      mode: null,
      channel: 'email',
      note: null,
      status: 'running',
      requested_by: 1,
      received_at: at,
      due_at: '2026-12-23T10:00:00.000Z',
      ...notYetAnswered,
      ...fields,
    },
  };
}

/** Every status change answers the request as it is: the workflows' outcome is not under test here. */
function progressOf(request: StoredPrivacyRequest): RequestProgress {
  const same = async () => request;
  return {
    read: same,
    markRunning: same,
    markStarted: same,
    complete: same,
    completeErasure: same,
    completeRestore: same,
    completePurge: same,
    withdrawExport: same,
    failOperation: same,
    fail: same,
    waitForMigrations: same,
  } as unknown as RequestProgress;
}

function storeOf(links: number, requests: readonly StoredPrivacyRequest[]): RecordStore {
  return {
    subjectLinks: async (_account: string, _subject: unknown, page: { limit: number; cursor?: string }) =>
      pagesOf(links, page),
    get: async (_account: string, ref: RecordRef) =>
      ref.type === 'privacy_request' ? requests.find((r) => r.ref.id === ref.id) : recordOf(ref),
    listByParent: async () => ({ records: [...requests], hasMore: false }),
    replace: async () => undefined,
  } as unknown as RecordStore;
}

const logger = new Logger({ serviceName: 'million-links', logLevel: 'SILENT' });

/** The export task runtime for an export request of the subject, who has `links` linked records. */
export function exportRuntimeFor(links: number): ExportRuntime {
  const request = requestOf(1, { type: 'export' });
  const progress = progressOf(request);
  return {
    env: {} as ExportRuntime['env'],
    logger,
    progress,
    export: new SubjectExport({
      store: storeOf(links, [request]),
      files: new ScaleFiles(),
      progress,
      now: () => new Date(at),
      storedFiles: { attachments: 'attachments-bucket', recordings: 'recordings-bucket' },
    }),
  };
}

export interface ErasureScale {
  readonly operation: ErasureOperation;
  readonly mode: 'soft' | 'permanent';
  /** The subject's linked records (an erasure's work). */
  readonly links: number;
  /** Records in the trash a restore or purge works on, or an earlier soft erasure's a permanent one purges. */
  readonly trash: number;
}

/** The erasure task runtime for one operation of an erasure request of the subject. */
export function erasureRuntimeFor(scale: ErasureScale): ErasureRuntime {
  const earlierId = 7;
  const done = scale.operation !== 'erase';
  const request = requestOf(2, {
    type: 'erasure',
    mode: scale.mode,
    status: done ? 'completed' : 'running',
    trash: done
      ? {
          state: scale.operation === 'restore' ? 'restoring' : 'purging',
          purge_due_at: at,
          restored_at: null,
          purged_at: null,
          failed_attempts: 0,
        }
      : null,
  });
  // A permanent erasure also purges what an earlier soft erasure of the subject holds in its trash.
  const earlier = requestOf(earlierId, {
    type: 'erasure',
    mode: 'soft',
    status: 'completed',
    trash: { state: 'held', purge_due_at: at, restored_at: null, purged_at: null, failed_attempts: 0 },
  });
  const requests = done || scale.trash === 0 ? [request] : [request, earlier];
  const progress = progressOf(request);
  const filesOf = (ref: RecordRef) => (ref.type === 'attachment' || ref.type === 'call' ? 1 : 0);
  const erasure: ErasureStore = {
    moveToTrash: async () => undefined,
    trashed: async (_account, _request, ref) => ({ record: recordOf(ref), trashedAt: at }),
    restoreFromTrash: async () => undefined,
    anonymiseIntoTrash: async () => undefined,
    restoreContribution: async () => undefined,
    purgeFromTrash: async () => undefined,
    keepPastTrashEnd: async () => undefined,
    keepFileCount: async (_of, files) => files,
    fileCount: async (of) => filesOf(of.ref),
    deleteForGood: async () => undefined,
    trashPage: async (_account, _request, page) => pagesOf(scale.trash, page),
    dueRecords: async () => [],
  };
  const objects: ErasureObjects = {
    exists: async () => true,
    copyToTrash: async () => true,
    copyBack: async () => true,
    deleteEveryVersion: async () => 1,
    moveTrashCopy: async () => true,
    deleteTrashCopy: async () => undefined,
  };
  return {
    env: {} as ErasureRuntime['env'],
    logger,
    progress,
    // The hourly deadline watch's; no workflow task reaches it.
    uploadSweep: {} as ErasureRuntime['uploadSweep'],
    // An account with no migration: the erasure starts at once, with no migration files to delete.
    migrations: { clear: async () => undefined } as unknown as ErasureRuntime['migrations'],
    erasure: new SubjectErasure({
      store: storeOf(scale.links, requests),
      erasure,
      objects,
      workFiles: new ScaleFiles(),
      exports: new ScaleFiles(),
      progress,
      holds: { accountHold: async () => undefined, heldBy: async () => undefined },
      // The subject's key is destroyed once, at the end; its time is the erasure's.
      keys: { destroy: async (_account, _subject, destroyedAt) => ({ destroyedAt }) },
      now: () => new Date(at),
    }),
  };
}

/** The runtimes the mocked runtime modules answer; each test sets the one it runs. */
export const runtimes: { export?: ExportRuntime; erasure?: ErasureRuntime } = {};

/** The execution input of each workflow for the fixture's requests. */
export const executionInputs = {
  export: { accountId, requestId: 1 },
  erasure: (operation: ErasureOperation) => ({ accountId, requestId: 2, operation }),
};
