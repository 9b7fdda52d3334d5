import { type SubjectKeyOutcome, keptKey } from './subject-key-outcome.ts';
import { DomainError } from '#domain/errors';
import { RecordLifecycle } from '#domain/records/record-lifecycle';
import type { RecordStore } from '#domain/records/record-store';
import type { Actor } from '#domain/records/record';
import { retention } from '#lib/residency/index';
import {
  derivePrivacyRequest,
  type ErasureCertificate,
  type ErasureOperation,
  type ExportResult,
  isTrashKept,
  type PrivacyRequestFields,
  privacyRequestRef,
  type StoredPrivacyRequest,
  type TrashKeptByHolds,
} from './privacy-request.ts';

/** The request cannot run (not verified, rejected, gone): no retry can change that. */
export class RequestNotRunnableError extends DomainError {
  constructor(status: string) {
    super(`The request is ${status}; only a verified request runs.`, 'not_runnable');
    this.name = 'RequestNotRunnable';
  }
}

/** The workflows act as the system, named by the workflow (ids only in the audit trail). */
export const exportWorkflowActor: Actor = { type: 'system', id: 'privacy-export-workflow' };
export const erasureWorkflowActor: Actor = { type: 'system', id: 'privacy-erasure-workflow' };

const dayMs = 24 * 60 * 60 * 1000;
/** Days between purge runs over trash entries legal holds keep: a hold's end is acted on within a day. */
export const heldTrashRecheckDays = 1;

/** What a running erasure shows while it waits for a migration of the account to end. */
export const migrationWaitNotice =
  'Waiting for a running migration of the account to end: its files may hold the subject, so the erasure starts after it.';

/**
 * The status changes a request's workflow makes: verified → running → completed, or failed. Each is
 * conditional on the version read and does nothing when the request is already there, so a repeated
 * task (a retry, a re-run) changes nothing more.
 */
export class RequestProgress {
  private readonly lifecycle: RecordLifecycle<PrivacyRequestFields>;

  constructor(private readonly deps: { store: RecordStore; now: () => Date; actor?: Actor }) {
    this.lifecycle = new RecordLifecycle(deps, derivePrivacyRequest, 'The request changed meanwhile.');
  }

  /** The request as the workflow reads it (within its account). */
  async read(accountId: string, requestId: number): Promise<StoredPrivacyRequest> {
    const request = await this.deps.store.get<PrivacyRequestFields>(accountId, privacyRequestRef(requestId));
    if (!request || request.deletedAt) throw new RequestNotRunnableError('missing');
    return request;
  }

  markRunning(accountId: string, requestId: number): Promise<StoredPrivacyRequest> {
    return this.change(accountId, requestId, (fields) => {
      if (fields.status === 'running' || fields.status === 'completed') return {};
      if (fields.status !== 'verified') throw new RequestNotRunnableError(fields.status);
      return { status: 'running', started_at: this.deps.now().toISOString() };
    });
  }

  complete(accountId: string, requestId: number, result: ExportResult): Promise<StoredPrivacyRequest> {
    return this.change(accountId, requestId, (fields) => {
      if (fields.status === 'completed') return {};
      if (fields.status !== 'running') throw new RequestNotRunnableError(fields.status);
      return { status: 'completed', completed_at: this.deps.now().toISOString(), result };
    });
  }

  /**
   * The start of an erasure workflow operation: erase (verified → running), restore or purge of a soft
   * erasure's trash (held → restoring / purging). Repeating it changes nothing more.
   */
  markStarted(
    accountId: string,
    requestId: number,
    operation: ErasureOperation,
  ): Promise<StoredPrivacyRequest> {
    if (operation === 'erase') return this.markRunning(accountId, requestId);
    const target = operation === 'restore' ? 'restoring' : 'purging';
    return this.change(accountId, requestId, (fields) => {
      const trash = fields.trash;
      if (fields.type !== 'erasure' || fields.status !== 'completed' || !trash) {
        throw new RequestNotRunnableError(fields.status);
      }
      if (trash.state === target) return {};
      if (!isTrashKept(trash)) throw new RequestNotRunnableError(`${fields.status}, trash ${trash.state}`);
      return { trash: { ...trash, state: target }, failure: null };
    });
  }

  /**
   * While an erasure waits for the account's running migrations, its `notice` says so; once it goes
   * on, the notice goes. Repeating either changes nothing more.
   */
  waitForMigrations(accountId: string, requestId: number, waiting: boolean): Promise<StoredPrivacyRequest> {
    return this.change(accountId, requestId, (fields) =>
      waiting
        ? fields.notice === migrationWaitNotice
          ? {}
          : { notice: migrationWaitNotice }
        : fields.notice === migrationWaitNotice
          ? { notice: null }
          : {},
    );
  }

  /** A completed erasure: its certificate, and for a soft erasure the trash held for the purge. */
  completeErasure(
    accountId: string,
    requestId: number,
    certificate: Omit<ErasureCertificate, 'completed_at' | 'started_at'>,
  ): Promise<StoredPrivacyRequest> {
    return this.change(accountId, requestId, (fields) => {
      if (fields.status === 'completed') return {};
      if (fields.status !== 'running') throw new RequestNotRunnableError(fields.status);
      const now = this.deps.now();
      const completedAt = now.toISOString();
      return {
        status: 'completed',
        completed_at: completedAt,
        certificate: {
          ...certificate,
          started_at: fields.started_at ?? completedAt,
          completed_at: completedAt,
        },
        trash:
          fields.mode === 'soft'
            ? {
                state: 'held',
                purge_due_at: new Date(now.getTime() + retention.trashDays * dayMs).toISOString(),
                restored_at: null,
                purged_at: null,
                failed_attempts: 0,
              }
            : null,
      };
    });
  }

  /**
   * An erasure of the subject deleted this export's bundle: the request keeps its counts and checksum
   * as the record of having answered, and offers no download any more. Repeating it changes nothing.
   */
  withdrawExport(accountId: string, exportId: number, erasureId: number): Promise<StoredPrivacyRequest> {
    return this.change(accountId, exportId, (fields) => {
      if (!fields.result || fields.result.withdrawn) return {};
      const withdrawn = { at: this.deps.now().toISOString(), by_request: erasureId };
      return { result: { ...fields.result, withdrawn } };
    });
  }

  /** A soft erasure's trash is back where it was: the request is `restored`. */
  completeRestore(accountId: string, requestId: number): Promise<StoredPrivacyRequest> {
    return this.change(accountId, requestId, (fields) => {
      if (fields.status === 'restored') return {};
      if (fields.trash?.state !== 'restoring') throw new RequestNotRunnableError(fields.status);
      return {
        status: 'restored',
        trash: { ...fields.trash, state: 'restored', restored_at: this.deps.now().toISOString() },
      };
    });
  }

  /**
   * A soft erasure's trash is purged for good (by its purge, or by a later permanent erasure), and what
   * became of the subject's key with it.
   */
  completePurge(
    accountId: string,
    requestId: number,
    execution: string,
    subjectKey: SubjectKeyOutcome,
  ): Promise<StoredPrivacyRequest> {
    return this.change(accountId, requestId, (fields) => {
      const { trash, certificate } = fields;
      if (!trash || trash.state === 'purged') return {};
      if (trash.state === 'restored' || trash.state === 'restoring') {
        throw new RequestNotRunnableError(`${fields.status}, trash ${trash.state}`);
      }
      const purgedAt = this.deps.now().toISOString();
      return {
        trash: { ...trash, state: 'purged', purged_at: purgedAt },
        certificate: certificate && {
          ...certificate,
          purged_at: purgedAt,
          subject_key: subjectKey,
          executions: [...new Set([...certificate.executions, execution])],
        },
      };
    });
  }

  /**
   * The purge kept entries a legal hold covers (and purged the rest): the trash is
   * `held_by_legal_hold`, saying what is kept under which hold, and the purge runs again a day later.
   * Only a running purge gets there, so a repeated step changes nothing more.
   */
  keepUnderHolds(
    accountId: string,
    requestId: number,
    execution: string,
    kept: Pick<TrashKeptByHolds, 'counts' | 'holds' | 'files'>,
  ): Promise<StoredPrivacyRequest> {
    return this.change(accountId, requestId, (fields) => {
      const { trash, certificate } = fields;
      if (trash?.state !== 'purging') return {};
      const now = this.deps.now();
      const legalHold: TrashKeptByHolds = {
        ...kept,
        checked_at: now.toISOString(),
        next_purge_at: new Date(now.getTime() + heldTrashRecheckDays * dayMs).toISOString(),
        runs: (trash.legal_hold?.runs ?? 0) + 1,
      };
      return {
        trash: { ...trash, state: 'held_by_legal_hold', legal_hold: legalHold },
        certificate: certificate && {
          ...certificate,
          subject_key: keptKey('legal_hold'),
          executions: [...new Set([...certificate.executions, execution])],
        },
      };
    });
  }

  /**
   * Records a failed restore or purge: the error name and operation; the trash stays as it is (restoring
   * or purging), so the next attempt continues. A failed erasure is `failed` as any request.
   */
  failOperation(
    accountId: string,
    requestId: number,
    operation: ErasureOperation,
    error: string,
  ): Promise<StoredPrivacyRequest> {
    if (operation === 'erase') return this.fail(accountId, requestId, error);
    return this.change(accountId, requestId, (fields) => ({
      failure: { error, at: this.deps.now().toISOString(), operation },
      ...(fields.trash && { trash: { ...fields.trash, failed_attempts: fields.trash.failed_attempts + 1 } }),
    }));
  }

  /** Records the error name the workflow ended with; a request already finished stays as it is. */
  fail(accountId: string, requestId: number, error: string): Promise<StoredPrivacyRequest> {
    return this.change(accountId, requestId, (fields) => {
      if (fields.status !== 'verified' && fields.status !== 'running') return {};
      return { status: 'failed', failure: { error, at: this.deps.now().toISOString() } };
    });
  }

  private change(
    accountId: string,
    requestId: number,
    changes: (fields: PrivacyRequestFields) => Partial<PrivacyRequestFields>,
  ): Promise<StoredPrivacyRequest> {
    return this.lifecycle.updateAs(
      this.deps.actor ?? exportWorkflowActor,
      accountId,
      privacyRequestRef(requestId),
      (previous) => changes(previous.fields),
    );
  }
}
