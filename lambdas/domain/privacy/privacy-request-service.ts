import type { Principal } from '#domain/account';
import { requireAdmin } from '#domain/agents/permissions';
import { normaliseEmail } from '#domain/contacts/contact-schema';
import { ConflictError, NotFoundError } from '#domain/errors';
import { RecordLifecycle } from '#domain/records/record-lifecycle';
import type { RecordStore } from '#domain/records/record-store';
import { etagOf } from '#domain/records/record';
import { subjectRequestDueAt } from './due-date.ts';
import {
  type CreatePrivacyRequest,
  derivePrivacyRequest,
  isOverdue,
  notYetAnswered,
  type PrivacyRequestFields,
  type PrivacyRequestStatus,
  type PrivacyRequestType,
  privacyExecutionName,
  privacyRequestRef,
  type StoredPrivacyRequest,
} from './privacy-request.ts';
import type { WorkflowStarter } from './workflow-starter.ts';

export interface PrivacyRequestDependencies {
  readonly store: RecordStore;
  readonly now: () => Date;
  readonly newId: () => number;
  /** Starts export executions; absent where the function has no workflow to start. */
  readonly exportWorkflow?: WorkflowStarter;
}

export interface PrivacyRequestFilters {
  readonly status?: PrivacyRequestStatus;
  readonly type?: PrivacyRequestType;
  readonly overdue?: boolean;
  readonly page: number;
  readonly perPage: number;
}

export const erasureNotAvailable =
  'Verified. Erasure workflows are not available yet: nothing has been erased; the request waits until they are.';

/** Data subjects' requests: intake by any agent, verification or rejection by an admin. */
export class PrivacyRequestService {
  private readonly lifecycle: RecordLifecycle<PrivacyRequestFields>;
  private readonly subjects: RecordLifecycle<object>;

  constructor(private readonly deps: PrivacyRequestDependencies) {
    this.lifecycle = new RecordLifecycle(
      deps,
      derivePrivacyRequest,
      'The request changed since you read it; read it again.',
    );
    this.subjects = new RecordLifecycle(deps, (record) => record, 'The subject changed.');
  }

  async create(principal: Principal, input: CreatePrivacyRequest): Promise<StoredPrivacyRequest> {
    const subjectId = await this.resolveSubject(principal, input.subject);
    const receivedAt = this.deps.now();
    const at = receivedAt.toISOString();
    const record: StoredPrivacyRequest = {
      accountId: principal.accountId,
      ref: privacyRequestRef(this.deps.newId()),
      version: 1,
      createdAt: at,
      updatedAt: at,
      fields: {
        type: input.type,
        subject_type: input.subject.type,
        subject_id: subjectId,
        mode: input.mode ?? null,
        channel: input.channel,
        note: input.note ?? null,
        status: 'pending_verification',
        requested_by: principal.agentId,
        received_at: at,
        due_at: subjectRequestDueAt(receivedAt).toISOString(),
        ...notYetAnswered,
      },
      subjects: [],
    };
    return this.lifecycle.create(principal, record, Object.keys(input));
  }

  /** The subject's id; a subject not in the caller's account (or no longer live) is not found. */
  private async resolveSubject(
    principal: Principal,
    subject: CreatePrivacyRequest['subject'],
  ): Promise<number> {
    const id =
      subject.id ??
      (await this.deps.store.findByUniqueValue(
        principal.accountId,
        'contact',
        'email',
        normaliseEmail(subject.email ?? ''),
      ));
    if (id === undefined) throw new NotFoundError('No contact of this account has that e-mail address.');
    await this.subjects.getLive(principal, { type: subject.type, id });
    return id;
  }

  get = (principal: Principal, id: number) => this.lifecycle.getLive(principal, privacyRequestRef(id));

  /**
   * Requests of the account, most recently changed first, filtered. An account has few requests, so
   * the filters apply to the whole collection read page by page.
   */
  async list(principal: Principal, filters: PrivacyRequestFilters) {
    const now = this.deps.now();
    const matching: StoredPrivacyRequest[] = [];
    for (let page = 1, more = true; more; page += 1) {
      const batch = await this.deps.store.list<PrivacyRequestFields>(principal.accountId, 'privacy_request', {
        page,
        perPage: 100,
      });
      more = batch.hasMore;
      matching.push(
        ...batch.records.filter(
          (record) =>
            (!filters.status || record.fields.status === filters.status) &&
            (!filters.type || record.fields.type === filters.type) &&
            (filters.overdue === undefined || isOverdue(record, now) === filters.overdue),
        ),
      );
    }
    const start = (filters.page - 1) * filters.perPage;
    return {
      records: matching.slice(start, start + filters.perPage),
      hasMore: matching.length > start + filters.perPage,
    };
  }

  /**
   * An admin confirms the requester is the subject. An export then starts its workflow (again, if an
   * earlier start did not get through: the execution is named after the request, so it runs once); an
   * erasure is recorded as verified and waits, saying so.
   */
  async verify(
    principal: Principal,
    id: number,
    method: NonNullable<PrivacyRequestFields['verification_method']>,
  ): Promise<StoredPrivacyRequest> {
    requireAdmin(principal, 'verify a data-subject request');
    const ref = privacyRequestRef(id);
    let request = await this.lifecycle.getLive(principal, ref);
    if (request.fields.status === 'rejected') {
      throw new ConflictError('This request was rejected; it cannot be verified.');
    }
    if (request.fields.status === 'pending_verification') {
      const isExport = request.fields.type === 'export';
      request = await this.lifecycle.update(
        principal,
        ref,
        {
          status: 'verified',
          verified_at: this.deps.now().toISOString(),
          verified_by: principal.agentId,
          verification_method: method,
          execution_name: isExport ? privacyExecutionName(id) : null,
          notice: isExport ? null : erasureNotAvailable,
        },
        etagOf(request),
      );
    }
    if (request.fields.type === 'export' && request.fields.status === 'verified') {
      if (!this.deps.exportWorkflow) throw new Error('No export workflow is configured for this function');
      await this.deps.exportWorkflow.start(privacyExecutionName(id), {
        accountId: principal.accountId,
        requestId: id,
      });
    }
    return request;
  }

  /** An admin refuses a request that is still waiting for verification, with the reason. */
  async reject(principal: Principal, id: number, reason: string): Promise<StoredPrivacyRequest> {
    requireAdmin(principal, 'reject a data-subject request');
    const ref = privacyRequestRef(id);
    const request = await this.lifecycle.getLive(principal, ref);
    if (request.fields.status === 'rejected') return request;
    if (request.fields.status !== 'pending_verification') {
      throw new ConflictError(
        `This request is ${request.fields.status}; only an unverified request can be rejected.`,
      );
    }
    return this.lifecycle.update(
      principal,
      ref,
      {
        status: 'rejected',
        rejected_at: this.deps.now().toISOString(),
        rejected_by: principal.agentId,
        rejection_reason: reason,
      },
      `"privacy_request-${id}-v${request.version}"`,
    );
  }
}
