import { DomainError } from '#domain/errors';
import { RecordLifecycle } from '#domain/records/record-lifecycle';
import type { RecordStore } from '#domain/records/record-store';
import type { Actor } from '#domain/records/record';
import {
  derivePrivacyRequest,
  type ExportResult,
  type PrivacyRequestFields,
  privacyRequestRef,
  type StoredPrivacyRequest,
} from './privacy-request.ts';

/** The request cannot run (not verified, rejected, gone): no retry can change that. */
export class RequestNotRunnableError extends DomainError {
  constructor(status: string) {
    super(`The request is ${status}; only a verified request runs.`, 'not_runnable');
    this.name = 'RequestNotRunnable';
  }
}

/** The workflow acts as the system, named by the workflow (ids only in the audit trail). */
const workflowActor: Actor = { type: 'system', id: 'privacy-export-workflow' };

/**
 * The status changes a request's workflow makes: verified → running → completed, or failed. Each is
 * conditional on the version read and does nothing when the request is already there, so a repeated
 * task (a retry, a re-run) changes nothing more.
 */
export class RequestProgress {
  private readonly lifecycle: RecordLifecycle<PrivacyRequestFields>;

  constructor(private readonly deps: { store: RecordStore; now: () => Date }) {
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
    return this.lifecycle.updateAs(workflowActor, accountId, privacyRequestRef(requestId), (previous) =>
      changes(previous.fields),
    );
  }
}
