import type { Principal } from '#domain/account';
import { requirePermission } from '#domain/roles/permission-check';
import { normaliseEmail } from '#domain/contacts/contact-schema';
import { ConflictError, NotFoundError } from '#domain/errors';
import { RecordLifecycle } from '#domain/records/record-lifecycle';
import type { Paging } from '#domain/records/paging';
import type { RecordPage, RecordStore } from '#domain/records/record-store';
import { etagOf, type SubjectRef } from '#domain/records/record';
import { subjectRequestDueAt } from './due-date.ts';
import {
  type CreatePrivacyRequest,
  derivePrivacyRequest,
  isOverdue,
  notYetAnswered,
  openStatuses,
  type PrivacyRequestFields,
  type PrivacyRequestStatus,
  type PrivacyRequestType,
  privacyExecutionName,
  privacyRequestStatuses,
  privacyRequestTypes,
  requestStatusKey,
  retryExecutionName,
  privacyRequestRef,
  isTrashKept,
  trashExecutionName,
  type StoredPrivacyRequest,
} from './privacy-request.ts';
import { requestsOfSubject } from './subject-requests.ts';
import type { WorkflowStarter } from './workflow-starter.ts';

export interface PrivacyRequestDependencies {
  readonly store: RecordStore;
  readonly now: () => Date;
  readonly newId: () => number;
  /** Starts export executions; absent where the function has no workflow to start. */
  readonly exportWorkflow?: WorkflowStarter;
  /** Starts erasure executions (erase, restore, purge); absent where the function starts none. */
  readonly erasureWorkflow?: WorkflowStarter;
}

export interface PrivacyRequestFilters extends Paging {
  readonly status?: PrivacyRequestStatus;
  readonly type?: PrivacyRequestType;
  readonly overdue?: boolean;
}

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
    const subjectId = await this.resolveSubject(principal, input.subject, input.type);
    return this.lifecycle.create(principal, this.newRequest(principal, input, subjectId), Object.keys(input));
  }

  private newRequest(
    principal: Principal,
    input: CreatePrivacyRequest,
    subjectId: number,
  ): StoredPrivacyRequest {
    const receivedAt = this.deps.now();
    const at = receivedAt.toISOString();
    return derivePrivacyRequest({
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
    });
  }

  /**
   * The subject's id; a subject not in the caller's account (or no longer live) is not found, except
   * that an erasure may name a subject whose soft erasure's trash is held (to make it permanent).
   */
  private async resolveSubject(
    principal: Principal,
    subject: CreatePrivacyRequest['subject'],
    type: CreatePrivacyRequest['type'],
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
    if (subject.type === 'agent' && (await this.isFormerAgent(principal.accountId, id))) return id;
    if (type === 'erasure' && (await this.hasHeldTrash(principal.accountId, { kind: subject.type, id })))
      return id;
    await this.subjects.getLive(principal, { type: subject.type, id });
    return id;
  }

  /**
   * An agent deleted as v2 does (made a contact) keeps their agent-era data (the superseded profile,
   * their contributions) under the agent: they remain a subject of export and erasure as an agent.
   */
  private async isFormerAgent(accountId: string, id: number): Promise<boolean> {
    const agent = await this.deps.store.get(accountId, { type: 'agent', id });
    return Boolean(agent && !agent.deletedAt && agent.supersededBy?.type === 'contact');
  }

  get = (principal: Principal, id: number) => this.lifecycle.getLive(principal, privacyRequestRef(id));

  /**
   * Requests of the account, most recently changed first, filtered. Filtered lists read only the
   * type-and-status partitions the filters allow (`requestStatusKey`), merged; `overdue=true` reads
   * only open requests, and `overdue` is decided as they are read.
   */
  async list(
    principal: Principal,
    filters: PrivacyRequestFilters,
  ): Promise<RecordPage<PrivacyRequestFields>> {
    const paging: Paging = { page: filters.page, perPage: filters.perPage, cursor: filters.cursor };
    const { status, type, overdue } = filters;
    if (!status && !type && overdue === undefined) {
      return this.deps.store.list<PrivacyRequestFields>(principal.accountId, 'privacy_request', paging);
    }
    const statuses = (status ? [status] : privacyRequestStatuses).filter(
      (candidate) => overdue !== true || openStatuses.includes(candidate),
    );
    const keys = (type ? [type] : privacyRequestTypes).flatMap((candidate) =>
      statuses.map((inStatus) => requestStatusKey(candidate, inStatus)),
    );
    if (keys.length === 0) return { records: [], hasMore: false };
    const now = this.deps.now();
    return this.deps.store.listByParent<PrivacyRequestFields>(principal.accountId, keys, {
      ...paging,
      secondary: true,
      where: overdue === undefined ? undefined : (record) => isOverdue(record, now) === overdue,
    });
  }

  /**
   * An admin confirms the requester is the subject, and the request's workflow starts (again, if an
   * earlier start did not get through: the execution is named after the request, so it runs once).
   */
  async verify(
    principal: Principal,
    id: number,
    method: NonNullable<PrivacyRequestFields['verification_method']>,
  ): Promise<StoredPrivacyRequest> {
    requirePermission(principal, 'privacy_requests.manage', 'verify a data-subject request');
    const ref = privacyRequestRef(id);
    let request = await this.lifecycle.getLive(principal, ref);
    if (request.fields.status === 'rejected') {
      throw new ConflictError('This request was rejected; it cannot be verified.');
    }
    if (request.fields.status === 'pending_verification') {
      request = await this.lifecycle.update(
        principal,
        ref,
        {
          status: 'verified',
          verified_at: this.deps.now().toISOString(),
          verified_by: principal.agentId,
          verification_method: method,
          execution_name: privacyExecutionName(principal.accountId, id),
        },
        etagOf(request),
      );
    }
    if (request.fields.status === 'verified') await this.startWorkflow(principal.accountId, request);
    return request;
  }

  private async startWorkflow(accountId: string, request: StoredPrivacyRequest): Promise<void> {
    const isExport = request.fields.type === 'export';
    const workflow = isExport ? this.deps.exportWorkflow : this.deps.erasureWorkflow;
    if (!workflow) throw new Error(`No ${request.fields.type} workflow is configured for this function`);
    await workflow.start(request.fields.execution_name ?? privacyExecutionName(accountId, request.ref.id), {
      accountId,
      requestId: request.ref.id,
      ...(!isExport && { operation: 'erase' }),
    });
  }

  /**
   * An admin runs a failed request again: it is `verified` once more and a new execution
   * (`privacy-<account>-<id>-retry-<n>`) repeats every step, each idempotent, so what the failed one did is
   * neither lost nor done twice. Asking again before it runs or while it runs starts nothing more.
   */
  async retry(principal: Principal, id: number): Promise<StoredPrivacyRequest> {
    requirePermission(principal, 'privacy_requests.manage', 'retry a data-subject request');
    const ref = privacyRequestRef(id);
    let request = await this.lifecycle.getLive(principal, ref);
    const { status } = request.fields;
    if (status === 'failed') {
      const attempt = (request.fields.retries ?? 0) + 1;
      request = await this.lifecycle.update(
        principal,
        ref,
        {
          status: 'verified',
          retries: attempt,
          execution_name: retryExecutionName(principal.accountId, id, attempt),
          failure: null,
        },
        etagOf(request),
      );
    } else if (status !== 'verified' && status !== 'running') {
      throw new ConflictError(`This request is ${status}; only a failed request can be retried.`);
    }
    if (request.fields.status === 'verified') await this.startWorkflow(principal.accountId, request);
    return request;
  }

  /**
   * An admin's own v2 deletion call (DELETE /contacts/{id}, …/hard_delete, DELETE /agents/{id}): an
   * erasure request that counts as verified, started at once. An open erasure of the same subject and
   * mode is answered instead of a second one, so repeating the call erases once.
   */
  async eraseByAdmin(
    principal: Principal,
    subject: SubjectRef,
    mode: NonNullable<PrivacyRequestFields['mode']>,
  ): Promise<StoredPrivacyRequest> {
    requirePermission(
      principal,
      'privacy_requests.manage',
      `delete ${subject.kind === 'agent' ? 'an agent' : 'a contact'}`,
    );
    const open = (await requestsOfSubject(this.deps.store, principal.accountId, subject)).find(
      (request) =>
        request.fields.type === 'erasure' &&
        request.fields.mode === mode &&
        (request.fields.status === 'verified' || request.fields.status === 'running'),
    );
    if (open) {
      if (open.fields.status === 'verified') await this.startWorkflow(principal.accountId, open);
      return open;
    }
    if (mode === 'soft' || subject.kind === 'agent')
      await this.subjects.getLive(principal, { type: subject.kind, id: subject.id });
    else await this.requireSubjectData(principal, subject);
    return this.startVerifiedErasure(principal, subject, mode, 'admin_action');
  }

  /**
   * Records an erasure that counts as verified (the account acting as the controller: an admin's v2
   * deletion call, or one of its retention rules) and starts it. `note` holds ids only.
   */
  private async startVerifiedErasure(
    principal: Principal,
    subject: SubjectRef,
    mode: NonNullable<PrivacyRequestFields['mode']>,
    method: 'admin_action' | 'retention_rule',
    note?: string,
  ): Promise<StoredPrivacyRequest> {
    const at = this.deps.now().toISOString();
    const draft = this.newRequest(
      principal,
      { type: 'erasure', subject: { type: subject.kind, id: subject.id }, mode, channel: 'api', note },
      subject.id,
    );
    const request = derivePrivacyRequest({
      ...draft,
      fields: {
        ...draft.fields,
        status: 'verified',
        verified_at: at,
        verified_by: principal.agentId,
        verification_method: method,
        execution_name: privacyExecutionName(principal.accountId, draft.ref.id),
      },
    });
    const changed = ['type', 'subject', 'mode', 'channel', 'status', ...(note ? ['note'] : [])];
    await this.lifecycle.create(principal, request, changed);
    await this.startWorkflow(principal.accountId, request);
    return request;
  }

  /**
   * A retention rule's soft erasure of an inactive contact (docs/retention.md), filed as `principal`
   * (the rule acting as the system) and verified by the rule. A contact with an open erasure request
   * gets no second one: answers `filed` only for a request this rule filed since `since` (the run's
   * instant: a retried step finds the request its failed attempt filed, and starts it if it was not
   * started), else `skipped`.
   */
  async eraseByRetentionRule(
    principal: Principal,
    contactId: number,
    ruleNote: string,
    since: string,
  ): Promise<'filed' | 'skipped'> {
    const subject: SubjectRef = { kind: 'contact', id: contactId };
    const requests = await requestsOfSubject(this.deps.store, principal.accountId, subject);
    const erasures = requests.filter((request) => request.fields.type === 'erasure');
    const mine = erasures.find(
      (request) => request.fields.note === ruleNote && request.fields.received_at >= since,
    );
    if (mine) {
      if (mine.fields.status === 'verified') await this.startWorkflow(principal.accountId, mine);
      return 'filed';
    }
    if (erasures.some((request) => openStatuses.includes(request.fields.status))) return 'skipped';
    const contact = await this.deps.store.get(principal.accountId, { type: 'contact', id: contactId });
    if (!contact || contact.deletedAt || contact.supersededBy) return 'skipped';
    await this.startVerifiedErasure(principal, subject, 'soft', 'retention_rule', ruleNote);
    return 'filed';
  }

  /**
   * A hard delete needs something to delete: the live contact, or a soft erasure of it whose trash is
   * still held (Freshdesk's usual order: delete, then hard delete).
   */
  private async requireSubjectData(principal: Principal, subject: SubjectRef): Promise<void> {
    const live = await this.deps.store.get(principal.accountId, { type: subject.kind, id: subject.id });
    if (live && !live.deletedAt && !live.supersededBy) return;
    if (!(await this.hasHeldTrash(principal.accountId, subject))) throw new NotFoundError();
  }

  /** Whether a soft erasure of the subject holds their data in its trash (restorable, not purged yet). */
  private async hasHeldTrash(accountId: string, subject: SubjectRef): Promise<boolean> {
    return (await requestsOfSubject(this.deps.store, accountId, subject)).some((request) =>
      isTrashKept(request.fields.trash),
    );
  }

  /**
   * An admin undoes a completed soft erasure while its trash is held: the restore workflow puts every
   * record and object back as it was. Asking again while it runs starts nothing more.
   */
  async restore(principal: Principal, id: number): Promise<StoredPrivacyRequest> {
    requirePermission(principal, 'privacy_requests.manage', 'restore erased data');
    const request = await this.lifecycle.getLive(principal, privacyRequestRef(id));
    const { trash } = request.fields;
    if (request.fields.type !== 'erasure' || request.fields.mode !== 'soft') {
      throw new ConflictError('Only a soft erasure can be restored.');
    }
    if (request.fields.status === 'restored') return request;
    if (request.fields.status !== 'completed' || !trash) {
      throw new ConflictError(
        `This erasure is ${request.fields.status}; only a completed soft erasure can be restored.`,
      );
    }
    if (!isTrashKept(trash) && trash.state !== 'restoring') {
      throw new ConflictError(`This erasure's trash is ${trash.state}; it can no longer be restored.`);
    }
    if (!this.deps.erasureWorkflow) throw new Error('No erasure workflow is configured for this function');
    await this.deps.erasureWorkflow.start(trashExecutionName(principal.accountId, id, 'restore', trash), {
      accountId: principal.accountId,
      requestId: id,
      operation: 'restore',
    });
    return request;
  }

  /**
   * The v2 restore call: the subject's latest soft erasure whose trash is held comes back. A subject
   * that is live already is left as it is (no request).
   */
  async restoreSubject(principal: Principal, subject: SubjectRef): Promise<StoredPrivacyRequest | undefined> {
    requirePermission(principal, 'privacy_requests.manage', 'restore erased data');
    const latest = (await requestsOfSubject(this.deps.store, principal.accountId, subject)).find(
      (request) => isTrashKept(request.fields.trash) || request.fields.trash?.state === 'restoring',
    );
    if (!latest) {
      const live = await this.deps.store.get(principal.accountId, { type: subject.kind, id: subject.id });
      if (live && !live.deletedAt && !live.supersededBy) return undefined;
      throw new NotFoundError(`No deleted ${subject.kind} with this id can be restored.`);
    }
    return this.restore(principal, latest.ref.id);
  }

  /** An admin refuses a request that is still waiting for verification, with the reason. */
  async reject(principal: Principal, id: number, reason: string): Promise<StoredPrivacyRequest> {
    requirePermission(principal, 'privacy_requests.manage', 'reject a data-subject request');
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
