import { createHash } from 'node:crypto';
import { retention } from '#lib/residency/index';
import { ConflictError, DomainError } from '#domain/errors';
import { nextChangeAt } from '#domain/records/record-lifecycle';
import type { RecordStore } from '#domain/records/record-store';
import { type Batch, maxBatchesPerRun, type TimeLeft, workThrough } from '#domain/workflow-batches';
import {
  type AuditEntry,
  type AuditOperation,
  changedFieldNames,
  type RecordRef,
  type StoredRecord,
  type SubjectRef,
} from '#domain/records/record';
import type { HeldRecords } from '#domain/holds/held-records';
import { anonymisedFields } from './agent-anonymisation.ts';
import { contributionRestore } from './contribution-restore.ts';
import type { SubjectKeys } from '#domain/encryption/subject-keys';
import { type SubjectKeyOutcome, destroyedKey, keptKey } from './subject-key-outcome.ts';
import { backupCopies } from './backup-copies.ts';
import { countHeld, ErasureHolds, type HeldUnder, heldSummary, mergeHeld } from './erasure-holds.ts';
import { mapBounded } from './bounded.ts';
import {
  type ErasureObjects,
  type HeldObject,
  heldTrashKeyOf,
  objectsHeldBy,
  stagedObjectsOf,
  trashKeyOf,
} from './erasure-objects.ts';
import type { ErasureStore } from './erasure-store.ts';
import { requestsOfSubject } from './subject-requests.ts';
import { erasureWorkSources, isAgentsOwn, recordOfWork, type WorkItem } from './erasure-plan.ts';
import type { ExportFiles } from './export-files.ts';
import { exportKeys } from './export-keys.ts';
import { type PagePlan, pagePlanOf, PageResultMissingError, PageResults } from './page-results.ts';
import { type ErasureOperation, type StoredPrivacyRequest, trashWork } from './privacy-request.ts';
import { erasureWorkflowActor, type RequestProgress } from './request-progress.ts';

/** A trashed record could not come back: its id or a unique value (e.g. the e-mail) was taken meanwhile. */
export class RestoreConflictError extends DomainError {
  constructor() {
    super(
      'A trashed record could not be restored: a unique value it holds is taken now.',
      'restore_conflict',
    );
    this.name = 'RestoreConflict';
  }
}

/**
 * What one page of work did: records per type erased (deleted or trashed), anonymised, restored,
 * purged. Kept beside the page in the trash bucket; a page repeated by any execution of the operation
 * gives the same result (it counts what the first attempt found), so one found there is not redone.
 */
export interface ErasurePageResult {
  readonly page: number;
  readonly erased: Record<string, number>;
  readonly anonymised: Record<string, number>;
  readonly files: number;
  /** Earlier soft erasures of the subject whose trash this page purged. */
  readonly purgedTrashOf: number[];
  /** Earlier soft erasures of which this page left trash entries in place under a hold. */
  readonly heldTrashOf?: number[];
  /** Records left in place under a legal hold, per hold id (absent in results made before holds). */
  readonly held?: Record<string, HeldUnder>;
  /** A purge's trash copies kept (moved out of the lifecycle's reach) with the entries a hold covers. */
  readonly keptFiles?: number;
}

export interface SubjectErasureDependencies {
  readonly store: RecordStore;
  readonly erasure: ErasureStore;
  readonly objects: ErasureObjects;
  /** The work index's pages (ids only), in the trash bucket. */
  readonly workFiles: ExportFiles;
  /** The exports bucket: bundles of the subject's earlier exports are deleted with their data. */
  readonly exports: Pick<ExportFiles, 'deleteUnder'>;
  readonly progress: RequestProgress;
  /** Legal holds: an erasure leaves the records they cover in place (docs/legal-holds.md). */
  readonly holds: HeldRecords;
  /** Subject keys: an erasure that ends for good destroys the subject's key (docs/encryption.md). */
  readonly keys: Pick<SubjectKeys, 'destroy'>;
  readonly now: () => Date;
  /** Work items per page. @default 500 */
  readonly pageSize?: number;
  /** Batches of consecutive pages (one Map iteration each) an operation takes at most. @default 1,000 */
  readonly maxBatches?: number;
  /** Records handled at once within a page. @default 16 */
  readonly concurrency?: number;
}

const dayMs = 24 * 60 * 60 * 1000;
const pad = (page: number) => String(page).padStart(6, '0');
/** `work`: the operation, or the run of a purge repeated while legal holds keep entries (trashWork). */
const workKey = (accountId: string, requestId: number, work: string, page: number) =>
  `erasures/${accountId}/${requestId}/work/${work}/${pad(page)}.ndjson`;
/** Written once the work index is complete: a later execution of the operation works on the same pages. */
const workPagesKey = (accountId: string, requestId: number, work: string) =>
  `erasures/${accountId}/${requestId}/work/${work}/pages.json`;
const workResultKey = (accountId: string, requestId: number, work: string, page: number) =>
  `erasures/${accountId}/${requestId}/work/${work}/results/${pad(page)}.json`;

/** The opaque reference a certificate names the subject by: stable per account and subject, not reversible. */
export const subjectReference = (accountId: string, subject: SubjectRef) =>
  createHash('sha256').update(`${accountId}:${subject.kind}:${subject.id}`).digest('hex').slice(0, 32);

const add = (counts: Record<string, number>, type: string, by = 1) => {
  counts[type] = (counts[type] ?? 0) + by;
};

/**
 * Erasure of a data subject in the steps a workflow runs, each repeatable with the same end state:
 * snapshot the work (the subject's links by Query, or a request's trash) into pages, handle each page,
 * then record the outcome. A contact's records go to the trash (soft: restorable for 60 days) or are
 * deleted with every S3 object version (permanent); an agent's profile is deleted and their
 * contributions kept with a placeholder. Restore and purge work on a soft erasure's trash.
 */
export class SubjectErasure {
  private readonly pageSize: number;
  private readonly maxBatches: number;
  private readonly concurrency: number;

  constructor(private readonly deps: SubjectErasureDependencies) {
    this.pageSize = deps.pageSize ?? 500;
    this.maxBatches = deps.maxBatches ?? maxBatchesPerRun;
    this.concurrency = deps.concurrency ?? 16;
  }

  private resultsOf(accountId: string, requestId: number, work: string) {
    return new PageResults<ErasurePageResult>(this.deps.workFiles, (page) =>
      workResultKey(accountId, requestId, work, page),
    );
  }

  private async request(accountId: string, requestId: number): Promise<StoredPrivacyRequest> {
    return this.deps.progress.read(accountId, requestId);
  }

  /** The work the operation runs now: a purge repeated while holds keep entries has its own index. */
  private async workOf(accountId: string, requestId: number, operation: ErasureOperation): Promise<string> {
    if (operation !== 'purge') return operation;
    return trashWork(operation, (await this.request(accountId, requestId)).fields.trash);
  }

  /**
   * Writes the work index in pages; answers how many, in batches. An operation indexes once: a retry
   * of a failed request (a new execution) gets the same pages, so what the failed execution erased is
   * still counted (its page results are kept, and a page redone finds its records done). A purge
   * repeated while legal holds keep entries indexes once per run (see trashWork).
   */
  async index(accountId: string, requestId: number, operation: ErasureOperation): Promise<PagePlan> {
    const work = await this.workOf(accountId, requestId, operation);
    const indexed = await this.indexedPages(accountId, requestId, work);
    if (indexed !== undefined) return pagePlanOf(indexed, this.maxBatches);
    const request = await this.request(accountId, requestId);
    const sources = await erasureWorkSources(
      { store: this.deps.store, erasure: this.deps.erasure },
      request,
      operation,
      this.pageSize,
    );
    let page = 0;
    for (const source of sources) {
      let cursor: string | undefined;
      do {
        const batch = await source(cursor);
        if (batch.items.length > 0) {
          await this.deps.workFiles.write(
            workKey(accountId, requestId, work, page),
            'application/x-ndjson',
            batch.items.map((item) => `${JSON.stringify(item)}\n`),
          );
          page += 1;
        }
        cursor = batch.cursor;
      } while (cursor);
    }
    await this.deps.workFiles.write(workPagesKey(accountId, requestId, work), 'application/json', [
      JSON.stringify({ pages: page }),
    ]);
    return pagePlanOf(page, this.maxBatches);
  }

  /** How many pages the operation's work index has, once it is complete. */
  private async indexedPages(
    accountId: string,
    requestId: number,
    work: string,
  ): Promise<number | undefined> {
    const pagesKey = workPagesKey(accountId, requestId, work);
    if (!(await this.deps.workFiles.exists(pagesKey))) return undefined;
    for await (const line of this.deps.workFiles.lines(pagesKey)) {
      if (!line.trim()) continue;
      // Indexes written before batching listed the page numbers.
      const { pages } = JSON.parse(line) as { pages: number | number[] };
      return Array.isArray(pages) ? pages.length : pages;
    }
    return undefined;
  }

  /**
   * Handles the batch's pages one after another, each page's result kept beside it; a page with a
   * result (done by an earlier attempt or execution) is skipped. Stops in time (see workThrough).
   */
  async processBatch(
    accountId: string,
    requestId: number,
    operation: ErasureOperation,
    batch: Batch,
    timeLeft?: TimeLeft,
  ): Promise<Batch> {
    const work = await this.workOf(accountId, requestId, operation);
    const results = this.resultsOf(accountId, requestId, work);
    return workThrough(
      batch,
      async (page) => {
        if (await results.read(page)) return;
        await results.write(page, await this.processPage(accountId, requestId, operation, work, page));
      },
      timeLeft,
    );
  }

  /** The results of every page of the operation's work, in order (once every batch is done). */
  async pageResults(
    accountId: string,
    requestId: number,
    operation: ErasureOperation,
  ): Promise<ErasurePageResult[]> {
    const work = await this.workOf(accountId, requestId, operation);
    const pages = await this.indexedPages(accountId, requestId, work);
    if (pages === undefined) throw new PageResultMissingError();
    return this.resultsOf(accountId, requestId, work).all(pages);
  }

  /**
   * Handles one page of the work index. An erasure and a purge leave what a legal hold covers (a
   * purge keeps it past the trash's end, see keepPastTrashEnd); a restore brings back what remains.
   */
  private async processPage(
    accountId: string,
    requestId: number,
    operation: ErasureOperation,
    work: string,
    page: number,
  ): Promise<ErasurePageResult> {
    const request = await this.request(accountId, requestId);
    const items: WorkItem[] = [];
    for await (const line of this.deps.workFiles.lines(workKey(accountId, requestId, work, page))) {
      if (line.trim()) items.push(JSON.parse(line) as WorkItem);
    }
    const result = {
      page,
      erased: {},
      anonymised: {},
      files: 0,
      purgedTrashOf: [] as number[],
      heldTrashOf: [] as number[],
      held: {} as Record<string, HeldUnder>,
      keptFiles: 0,
    };
    const subject: SubjectRef = { kind: request.fields.subject_type, id: request.fields.subject_id };
    const holds =
      operation === 'restore'
        ? undefined
        : await ErasureHolds.of(this.deps.holds, accountId, subject, this.deps.now());
    await mapBounded(items, this.concurrency, async (item) => {
      const ref: RecordRef = { type: item.type, id: item.id };
      const hold = holds && (await holds.holdOf((await recordOfWork(this.deps, accountId, item)) ?? { ref }));
      if (hold) {
        countHeld(result.held, hold, ref.type);
        if (item.trashOf !== undefined && !result.heldTrashOf.includes(item.trashOf))
          result.heldTrashOf.push(item.trashOf);
        // The trash's own purge keeps it past the trash's end; a permanent erasure leaves that to it.
        if (operation === 'purge' && item.trashOf !== undefined)
          result.keptFiles += await this.keepPastTrashEnd(accountId, item.trashOf, ref);
        return;
      }
      if (item.trashOf !== undefined) {
        // A contribution's pre-image purged makes its anonymisation final: counted as anonymised.
        if (await this.purgeOne(accountId, requestId, item.trashOf, ref, result))
          add(item.anonymised ? result.anonymised : result.erased, ref.type);
        if (item.trashOf !== requestId && !result.purgedTrashOf.includes(item.trashOf)) {
          result.purgedTrashOf.push(item.trashOf);
        }
        return;
      }
      if (operation === 'restore') {
        if (item.anonymised) {
          await this.restoreContribution(accountId, requestId, request.fields.subject_id, ref);
        } else if (await this.restoreOne(accountId, requestId, ref, result)) add(result.erased, ref.type);
        return;
      }
      if (request.fields.subject_type === 'agent') {
        const soft = request.fields.mode === 'soft';
        await this.eraseForAgent(accountId, requestId, request.fields.subject_id, soft, ref, result);
      } else if (request.fields.mode === 'soft') {
        if (await this.trashOne(accountId, requestId, ref, result)) add(result.erased, ref.type);
      } else if (await this.deleteOne(accountId, requestId, ref, result)) {
        add(result.erased, ref.type);
      }
    });
    return result;
  }

  private audit(
    ref: RecordRef,
    operation: AuditOperation,
    changedFields: readonly string[] = [],
  ): AuditEntry {
    return {
      at: this.deps.now().toISOString(),
      actor: erasureWorkflowActor,
      operation,
      record: ref,
      changedFields,
    };
  }

  private trashExpiry(): string {
    return new Date(this.deps.now().getTime() + retention.trashDays * dayMs).toISOString();
  }

  /**
   * Soft: the record's objects copied to the trash, their count kept, the record moved there, then the
   * originals' versions deleted, and those of a recording still staged in another region (not
   * trashed, not counted: it never reached the region). A repeated page finds the count its first
   * attempt kept.
   */
  private async trashOne(accountId: string, requestId: number, ref: RecordRef, result: { files: number }) {
    const record = await this.deps.store.get(accountId, ref);
    if (record) {
      let copied = 0;
      for (const object of objectsHeldBy(record)) {
        if (await this.deps.objects.copyToTrash(object, trashKeyOf(accountId, requestId, object)))
          copied += 1;
      }
      const expiresAt = this.trashExpiry();
      await this.deps.erasure.keepFileCount({ accountId, requestId, ref }, copied, expiresAt);
      await this.deps.erasure.moveToTrash(record, requestId, this.audit(ref, 'delete'), expiresAt);
    }
    const trashed = await this.deps.erasure.trashed(accountId, requestId, ref);
    if (!trashed) return false;
    for (const object of objectsHeldBy(trashed.record)) await this.deps.objects.deleteEveryVersion(object);
    // A recording still in its hold in another region is deleted, not trashed: gone, not restorable.
    for (const object of stagedObjectsOf(trashed.record)) await this.deps.objects.deleteEveryVersion(object);
    // Awaited before the sum: `a += await b` would read `a` first and lose the other records' counts.
    const files = (await this.deps.erasure.fileCount({ accountId, requestId, ref })) ?? 0;
    result.files += files;
    return true;
  }

  /**
   * Permanent: the stored objects counted (the count kept before anything goes), every version of them
   * deleted (and of a recording still staged in another region), then the record and what stands
   * beside it.
   */
  private async deleteOne(accountId: string, requestId: number, ref: RecordRef, result: { files: number }) {
    const record = await this.deps.store.get(accountId, ref);
    if (!record) {
      // Indexed, so linked when the work began. Gone now with a kept count: an earlier attempt of this
      // request erased it. Without one: an import's record that never landed, nothing erased.
      const files = await this.deps.erasure.fileCount({ accountId, requestId, ref });
      if (files === undefined) return false;
      result.files += files;
      return true;
    }
    const held = objectsHeldBy(record);
    let stored = 0;
    for (const object of held) if (await this.deps.objects.exists(object)) stored += 1;
    const files = await this.deps.erasure.keepFileCount(
      { accountId, requestId, ref },
      stored,
      this.trashExpiry(),
    );
    for (const object of [...held, ...stagedObjectsOf(record)])
      await this.deps.objects.deleteEveryVersion(object);
    await this.deps.erasure.deleteForGood(record, this.audit(ref, 'delete'));
    result.files += files;
    return true;
  }

  /**
   * An agent's profile (and the contact record it grew from) go; their contributions stay, anonymised.
   * Soft: the profile goes to the trash (with their API keys), and each contribution's pre-image is
   * kept there, in the transaction that anonymises it, for a restore to write back.
   */
  private async eraseForAgent(
    accountId: string,
    requestId: number,
    agentId: number,
    soft: boolean,
    ref: RecordRef,
    result: { erased: Record<string, number>; anonymised: Record<string, number>; files: number },
  ) {
    if (isAgentsOwn(agentId, ref)) {
      const removed = soft
        ? await this.trashOne(accountId, requestId, ref, result)
        : await this.deleteOne(accountId, requestId, ref, result);
      if (removed) add(result.erased, ref.type);
      return;
    }
    const record = await this.deps.store.get(accountId, ref);
    if (!record) return;
    const fields = anonymisedFields(record, agentId);
    const subjects = record.subjects.filter((s) => !(s.kind === 'agent' && s.id === agentId));
    const changed = changedFieldNames(record.fields, fields);
    if (changed.length > 0 || subjects.length !== record.subjects.length) {
      const next: StoredRecord<object> = {
        ...record,
        version: record.version + 1,
        updatedAt: nextChangeAt(record, this.deps.now()),
        fields,
        subjects,
      };
      const audit = this.audit(ref, 'anonymise', changed);
      if (soft)
        await this.deps.erasure.anonymiseIntoTrash(record, next, requestId, audit, this.trashExpiry());
      else await this.deps.store.replace(record, next, audit);
    }
    add(result.anonymised, ref.type);
  }

  /**
   * Restore of a contribution an agent's soft erasure anonymised: its pre-image written back (all of
   * it if untouched since, else only what the anonymisation changed and is still as it wrote it; see
   * contributionRestore), and the pre-image deleted. A contribution gone since just drops its pre-image.
   */
  private async restoreContribution(accountId: string, requestId: number, agentId: number, ref: RecordRef) {
    const trashed = await this.deps.erasure.trashed(accountId, requestId, ref);
    if (trashed?.anonymisedVersion === undefined) return;
    const current = await this.deps.store.get(accountId, ref);
    if (!current) {
      await this.deps.erasure.purgeFromTrash(trashed, requestId, this.audit(ref, 'purge'));
      return;
    }
    const restore = contributionRestore(trashed.record, trashed.anonymisedVersion, current, agentId);
    if (restore.kind === 'nothing') {
      await this.deps.erasure.purgeFromTrash(trashed, requestId, this.audit(ref, 'restore'));
      return;
    }
    const next: StoredRecord<object> | undefined =
      (restore.kind === 'fields' && {
        ...current,
        version: current.version + 1,
        updatedAt: nextChangeAt(current, this.deps.now()),
        fields: restore.fields,
        subjects: restore.subjects,
      }) ||
      undefined;
    const audit = this.audit(ref, 'restore', restore.changedFields);
    await this.deps.erasure.restoreContribution(trashed, requestId, current, next, audit);
  }

  /** Restore: objects copied back, the record put back as it was, then the trash copies deleted. */
  private async restoreOne(accountId: string, requestId: number, ref: RecordRef, result: { files: number }) {
    const trashed = await this.deps.erasure.trashed(accountId, requestId, ref);
    if (trashed) {
      for (const object of objectsHeldBy(trashed.record)) {
        const copied =
          (await this.deps.objects.copyBack(trashKeyOf(accountId, requestId, object), object)) ||
          (await this.deps.objects.copyBack(heldTrashKeyOf(accountId, requestId, object), object));
        if (copied) result.files += 1;
      }
      try {
        await this.deps.erasure.restoreFromTrash(trashed, requestId, this.audit(ref, 'restore'));
      } catch (error) {
        if (error instanceof ConflictError) throw new RestoreConflictError();
        throw error;
      }
    }
    const record = trashed?.record ?? (await this.deps.store.get(accountId, ref));
    if (!record) return false;
    for (const object of objectsHeldBy(record)) await this.deleteTrashCopies(accountId, requestId, object);
    return true;
  }

  /** Deletes an object's trash copy wherever it is: in the trash, or kept there past its end by a hold. */
  private async deleteTrashCopies(accountId: string, requestId: number, object: HeldObject) {
    await this.deps.objects.deleteTrashCopy(trashKeyOf(accountId, requestId, object));
    await this.deps.objects.deleteTrashCopy(heldTrashKeyOf(accountId, requestId, object));
  }

  /**
   * A trash entry a legal hold covers, kept past the trash's end: its trash copies moved out of the
   * lifecycle rule's reach, then its expiry removed. Answers how many copies are kept (a repeated
   * page finds them moved already).
   */
  private async keepPastTrashEnd(accountId: string, trashOf: number, ref: RecordRef): Promise<number> {
    const trashed = await this.deps.erasure.trashed(accountId, trashOf, ref);
    if (!trashed) return 0;
    let kept = 0;
    for (const object of objectsHeldBy(trashed.record)) {
      const from = trashKeyOf(accountId, trashOf, object);
      if (await this.deps.objects.moveTrashCopy(from, heldTrashKeyOf(accountId, trashOf, object))) kept += 1;
    }
    await this.deps.erasure.keepPastTrashEnd(accountId, trashOf, ref);
    return kept;
  }

  /**
   * Purge: the trash copies of the record's objects, then the trashed record, for good. The purging
   * request keeps the files it found, which also tells a repeated page that it purged the record.
   */
  private async purgeOne(
    accountId: string,
    requestId: number,
    trashOf: number,
    ref: RecordRef,
    result: { files: number },
  ) {
    const trashed = await this.deps.erasure.trashed(accountId, trashOf, ref);
    if (!trashed) {
      const files = await this.deps.erasure.fileCount({ accountId, requestId, ref, purgeOf: trashOf });
      result.files += files ?? 0;
      return files !== undefined;
    }
    // The trash holds the copies its soft erasure counted.
    const copies = (await this.deps.erasure.fileCount({ accountId, requestId: trashOf, ref })) ?? 0;
    const files = await this.deps.erasure.keepFileCount(
      { accountId, requestId, ref, purgeOf: trashOf },
      copies,
      this.trashExpiry(),
    );
    for (const object of objectsHeldBy(trashed.record))
      await this.deleteTrashCopies(accountId, trashOf, object);
    await this.deps.erasure.purgeFromTrash(trashed, trashOf, this.audit(ref, 'purge'));
    result.files += files;
    return true;
  }

  /** Records the outcome on the request (the certificate, restored, or purged), from the page results. */
  async finish(
    accountId: string,
    requestId: number,
    operation: ErasureOperation,
    execution: string,
  ): Promise<void> {
    const request = await this.request(accountId, requestId);
    // A purge recorded already (purged, or kept under holds with its next run's work named) is done.
    if (operation === 'purge' && request.fields.trash?.state !== 'purging') return;
    const pages = await this.pageResults(accountId, requestId, operation);
    const erased: Record<string, number> = {};
    const anonymised: Record<string, number> = {};
    let files = 0;
    let keptFiles = 0;
    const purgedTrashOf = new Set<number>();
    const heldTrashOf = new Set<number>();
    const held: Record<string, HeldUnder> = {};
    for (const page of pages) {
      for (const id of page.heldTrashOf ?? []) heldTrashOf.add(id);
      mergeHeld(held, page.held);
      for (const [type, count] of Object.entries(page.erased)) add(erased, type, count);
      for (const [type, count] of Object.entries(page.anonymised)) add(anonymised, type, count);
      files += page.files;
      keptFiles += page.keptFiles ?? 0;
      for (const id of page.purgedTrashOf) purgedTrashOf.add(id);
    }
    if (operation === 'restore') {
      await this.deps.progress.completeRestore(accountId, requestId);
      return;
    }
    const { fields } = request;
    const subject: SubjectRef = { kind: fields.subject_type, id: fields.subject_id };
    if (operation === 'purge') {
      // Entries a hold covers stay (kept past the trash's end); the next run purges what is unheld then.
      if (heldTrashOf.has(requestId)) {
        const kept = { ...heldSummary(held), files: keptFiles };
        await this.deps.progress.keepUnderHolds(accountId, requestId, execution, kept);
      } else {
        const key = await this.destroyKey(accountId, subject);
        await this.deps.progress.completePurge(accountId, requestId, execution, key);
      }
      return;
    }
    // A permanent erasure ends the subject for good: their key goes, unless a hold keeps records of
    // theirs in place (here, or in an earlier trash it could not purge). A soft one stays restorable.
    const keptByHold = heldTrashOf.size > 0 || Object.keys(held).length > 0;
    const subjectKey =
      fields.mode === 'soft'
        ? keptKey('restorable')
        : keptByHold
          ? keptKey('legal_hold')
          : await this.destroyKey(accountId, subject);
    // An earlier trash a hold keeps entries of stays held (restorable; its own purge comes later).
    for (const earlier of purgedTrashOf) {
      if (!heldTrashOf.has(earlier))
        await this.deps.progress.completePurge(accountId, earlier, execution, subjectKey);
    }
    const exportBundles = await this.withdrawExports(accountId, requestId, subject);
    await this.deps.progress.completeErasure(accountId, requestId, {
      request_id: requestId,
      subject_reference: subjectReference(accountId, subject),
      mode: fields.mode ?? 'permanent',
      counts: {
        erased: sorted(erased),
        anonymised: sorted(anonymised),
        files,
        export_bundles: exportBundles,
      },
      executions: [execution],
      purged_at: null,
      held: heldSummary(held),
      backups: backupCopies(),
      subject_key: subjectKey,
    });
  }

  /**
   * Destroys the subject's key (repeatable: a later call answers when it was destroyed). An agent made
   * from a contact keeps the contact's id, and its erasure takes the contact record along: that
   * contact's key goes too.
   */
  private async destroyKey(accountId: string, subject: SubjectRef): Promise<SubjectKeyOutcome> {
    const at = this.deps.now().toISOString();
    const { destroyedAt } = await this.deps.keys.destroy(accountId, subject, at);
    if (subject.kind === 'agent') {
      const grewFrom = await this.deps.store.get(accountId, { type: 'contact', id: subject.id });
      const superseded = grewFrom?.supersededBy;
      if (superseded?.type === 'agent' && superseded.id === subject.id) {
        await this.deps.keys.destroy(accountId, { kind: 'contact', id: subject.id }, at);
      }
    }
    return destroyedKey(destroyedAt);
  }

  /**
   * Deletes every object of the subject's export requests (a bundle is a copy of the erased data) and
   * marks the completed ones withdrawn; answers how many bundles this erasure withdrew. Repeatable.
   */
  private async withdrawExports(accountId: string, requestId: number, subject: SubjectRef): Promise<number> {
    let withdrawn = 0;
    for (const exported of await requestsOfSubject(this.deps.store, accountId, subject)) {
      if (exported.fields.type !== 'export') continue;
      await this.deps.exports.deleteUnder(exportKeys(accountId, exported.ref.id).all);
      if (!exported.fields.result) continue;
      const marked = await this.deps.progress.withdrawExport(accountId, exported.ref.id, requestId);
      if (marked.fields.result?.withdrawn?.by_request === requestId) withdrawn += 1;
    }
    return withdrawn;
  }
}

const sorted = (counts: Record<string, number>) =>
  Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
