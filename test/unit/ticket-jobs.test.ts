import { describe, expect, it, vi } from 'vitest';
import type { Principal } from '../../lambdas/domain/account.ts';
import type { AgentAccess } from '../../lambdas/domain/agents/agent-principal.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../lambdas/domain/errors.ts';
import {
  bulkDeleteSchema,
  bulkUpdateSchema,
  maxBulkTicketIds,
  type TicketJob,
  type TicketJobResult,
  ticketJobView,
} from '../../lambdas/domain/ticket-jobs/ticket-job.ts';
import { TicketJobRun, ticketsPerStep } from '../../lambdas/domain/ticket-jobs/ticket-job-run.ts';
import { TicketJobService } from '../../lambdas/domain/ticket-jobs/ticket-job-service.ts';
import type { TicketJobStore } from '../../lambdas/domain/ticket-jobs/ticket-job-store.ts';

const accountId = '0f8fad5b-d9cb-469f-a165-70867728950e';
const jobId = 'a'.repeat(32);
const at = new Date('2026-12-07T10:00:00.000Z');

/** The job store's contract, kept in a map (a domain interface: no AWS service is imitated). */
class JobsInMemory implements TicketJobStore {
  readonly jobs = new Map<string, TicketJob>();
  failRecordingAt?: number;
  async create(job: TicketJob) {
    this.jobs.set(job.jobId, job);
  }
  async get(_account: string, id: string) {
    return this.jobs.get(id);
  }
  async recordResult(_account: string, id: string, ticketId: number, result: TicketJobResult) {
    if (this.failRecordingAt === ticketId) throw new Error('lost connection');
    const job = this.jobs.get(id) as TicketJob;
    this.jobs.set(id, { ...job, results: { ...job.results, [String(ticketId)]: result } });
  }
  async finish(_account: string, id: string, status: 'completed' | 'failed', _at: string, error?: string) {
    const { properties: _dropped, ...job } = this.jobs.get(id) as TicketJob;
    this.jobs.set(id, { ...job, status, ...(error && { error }) });
  }
}

const job = (fields: Partial<TicketJob> = {}): TicketJob => ({
  accountId,
  jobId,
  agentId: 7,
  action: 'update',
  ticketIds: [1, 2, 3],
  properties: { priority: 3 },
  status: 'in_progress',
  results: {},
  createdAt: at.toISOString(),
  updatedAt: at.toISOString(),
  ...fields,
});

const agent: AgentAccess = { role: 'agent' };

function runWith(
  stored: TicketJob,
  tickets: {
    update?: (p: Principal, id: number, changes?: object) => Promise<unknown>;
    softDelete?: (p: Principal, id: number) => Promise<void>;
  },
  access: AgentAccess | 'gone' = agent,
) {
  const jobs = new JobsInMemory();
  jobs.jobs.set(stored.jobId, stored);
  const update = vi.fn(tickets.update ?? (async () => ({})));
  const softDelete = vi.fn(tickets.softDelete ?? (async () => undefined));
  const run = new TicketJobRun({
    jobs,
    tickets: { update: update as never, softDelete },
    agentAccess: async () => (access === 'gone' ? undefined : access),
    now: () => at,
  });
  return { jobs, run, update, softDelete, current: () => jobs.jobs.get(stored.jobId) as TicketJob };
}

describe('bulk request bodies', () => {
  it('take the properties of a single update, and refuse what it refuses', () => {
    // Act
    const valid = bulkUpdateSchema.safeParse({ bulk_action: { ids: [1, 2], properties: { status: 4 } } });
    const unknownField = bulkUpdateSchema.safeParse({ bulk_action: { ids: [1], properties: { colour: 1 } } });
    const badStatus = bulkUpdateSchema.safeParse({ bulk_action: { ids: [1], properties: { status: 9 } } });
    const empty = bulkUpdateSchema.safeParse({ bulk_action: { ids: [1], properties: {} } });

    // Assess
    expect(valid.success).toBe(true);
    expect(unknownField.success).toBe(false);
    expect(badStatus.success).toBe(false);
    expect(empty.success).toBe(false);
  });

  it(`bound the ids at ${maxBulkTicketIds} and refuse none`, () => {
    // Prepare
    const ids = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

    // Act / Assess
    expect(bulkDeleteSchema.safeParse({ bulk_action: { ids: ids(maxBulkTicketIds) } }).success).toBe(true);
    const tooMany = bulkDeleteSchema.safeParse({ bulk_action: { ids: ids(maxBulkTicketIds + 1) } });
    expect(tooMany.success).toBe(false);
    expect(tooMany.error?.issues[0]?.message).toBe(
      `It should contain at most ${maxBulkTicketIds} ticket ids`,
    );
    expect(bulkDeleteSchema.safeParse({ bulk_action: { ids: [] } }).success).toBe(false);
  });
});

describe('a job run', () => {
  it('changes a few tickets a step as the asking agent, then completes without its properties', async () => {
    // Prepare
    const ids = Array.from({ length: ticketsPerStep + 2 }, (_, i) => i + 1);
    const { run, update, current } = runWith(job({ ticketIds: ids }), {});

    // Act
    const first = await run.step(accountId, jobId);
    const progressAfterFirst = ticketJobView(current()).progress;
    const second = await run.step(accountId, jobId);

    // Assess
    expect(first).toEqual({ done: false });
    expect(progressAfterFirst).toBe(Math.floor((ticketsPerStep * 100) / ids.length));
    expect(second).toEqual({ done: true });
    expect(update).toHaveBeenCalledTimes(ids.length);
    expect(update.mock.calls[0]?.[0]).toMatchObject({ accountId, agentId: 7, role: 'agent' });
    expect(update.mock.calls[0]?.[2]).toEqual({ priority: 3 });
    expect(current().status).toBe('completed');
    expect(current().properties).toBeUndefined();
    expect(ticketJobView(current())).toMatchObject({ status: 'completed', progress: 100, total: ids.length });
  });

  it('records each refused ticket with errors that name no value, and goes on', async () => {
    // Prepare: 1 is outside the agent's scope (answered as missing), 2 fails validation, 3 changes.
    const { run, current } = runWith(job(), {
      update: async (_principal, id) => {
        if (id === 1) throw new NotFoundError();
        if (id === 2)
          throw new ValidationError([
            { field: 'custom_fields.cf_x', message: 'It should be specified', code: 'missing_field' },
          ]);
        return {};
      },
    });

    // Act
    await run.step(accountId, jobId);

    // Assess
    expect(ticketJobView(current()).data).toEqual([
      {
        id: 1,
        success: false,
        errors: [{ field: 'id', message: new NotFoundError().message, code: 'not_found' }],
      },
      {
        id: 2,
        success: false,
        errors: [{ field: 'custom_fields.cf_x', message: 'It should be specified', code: 'missing_field' }],
      },
      { id: 3, success: true },
    ]);
  });

  it('refuses every ticket when the agent is gone or lost the permission', async () => {
    // Prepare
    const gone = runWith(job({ ticketIds: [1] }), {}, 'gone');
    const noDelete = runWith(
      job({ action: 'delete', ticketIds: [1] }),
      {},
      {
        role: 'agent',
        permissions: ['tickets.view'],
      },
    );

    // Act
    await gone.run.step(accountId, jobId);
    await noDelete.run.step(accountId, jobId);

    // Assess
    expect(gone.update).not.toHaveBeenCalled();
    expect(noDelete.softDelete).not.toHaveBeenCalled();
    expect(gone.current().results['1']).toMatchObject({
      success: false,
      errors: [{ code: 'access_denied' }],
    });
    expect(noDelete.current().results['1']).toMatchObject({
      success: false,
      errors: [{ code: 'access_denied' }],
    });
  });

  it('a retried step skips the tickets already recorded and counts each ticket once', async () => {
    // Prepare: the step dies recording ticket 3, after 1 and 2 were recorded.
    const stored = job({ ticketIds: [1, 2, 3, 4] });
    const { run, jobs, update, current } = runWith(stored, {});
    jobs.failRecordingAt = 3;
    await expect(run.step(accountId, jobId)).rejects.toThrow('lost connection');
    jobs.failRecordingAt = undefined;

    // Act: Step Functions retries the step.
    await run.step(accountId, jobId);

    // Assess: 1 and 2 were changed once; 3 again (an update to the values it has is no change); 4 once.
    const calls = update.mock.calls.map((call) => call[1]);
    expect(calls).toEqual([1, 2, 3, 3, 4]);
    expect(Object.keys(current().results)).toEqual(['1', '2', '3', '4']);
    expect(ticketJobView(current())).toMatchObject({ progress: 100, status: 'completed' });
  });

  it('tries a ticket changed meanwhile again, and leaves other errors to the workflow', async () => {
    // Prepare
    let attempts = 0;
    const conflicted = runWith(job({ ticketIds: [1] }), {
      update: async () => {
        attempts += 1;
        if (attempts < 3) throw new ConflictError('changed');
        return {};
      },
    });
    const broken = runWith(job({ ticketIds: [1] }), {
      update: async () => {
        throw new Error('ProvisionedThroughputExceeded');
      },
    });

    // Act
    await conflicted.run.step(accountId, jobId);
    const failure = broken.run.step(accountId, jobId);

    // Assess
    expect(conflicted.current().results['1']).toEqual({ success: true });
    await expect(failure).rejects.toThrow('ProvisionedThroughputExceeded');
    expect(broken.current().results).toEqual({});
  });

  it('does nothing more once the job ended', async () => {
    // Prepare
    const { run, update } = runWith(job({ status: 'failed' }), {});

    // Act
    const result = await run.step(accountId, jobId);

    // Assess
    expect(result).toEqual({ done: true });
    expect(update).not.toHaveBeenCalled();
  });
});

describe('the job service', () => {
  const principal: Principal = { accountId, agentId: 7, role: 'agent' };
  const service = (
    checkUpdate: () => Promise<void> = async () => undefined,
    start = vi.fn(async () => undefined),
  ) => {
    const jobs = new JobsInMemory();
    return {
      jobs,
      start,
      service: new TicketJobService({
        jobs,
        workflow: { start },
        tickets: { checkUpdate },
        now: () => at,
        newJobId: () => jobId,
      }),
    };
  };

  it('stores the job once (each ticket once) and starts its execution with ids only', async () => {
    // Prepare
    const { service: jobsService, jobs, start } = service();

    // Act
    await jobsService.start(principal, { action: 'update', ticketIds: [5, 5, 6], properties: { status: 4 } });

    // Assess
    expect(jobs.jobs.get(jobId)).toMatchObject({ ticketIds: [5, 6], agentId: 7, status: 'in_progress' });
    expect(start).toHaveBeenCalledWith(`ticket-job-${accountId}-${jobId}`, { accountId, jobId });
  });

  it('refuses properties the form refuses before storing or starting anything', async () => {
    // Prepare
    const refused = new ValidationError([
      { field: 'custom_fields.cf_x', message: 'x', code: 'invalid_value' },
    ]);
    const {
      service: jobsService,
      jobs,
      start,
    } = service(async () => {
      throw refused;
    });

    // Act
    const attempt = jobsService.start(principal, { action: 'update', ticketIds: [1], properties: {} });

    // Assess
    await expect(attempt).rejects.toBe(refused);
    expect(jobs.jobs.size).toBe(0);
    expect(start).not.toHaveBeenCalled();
  });

  it('marks a job whose execution could not start failed', async () => {
    // Prepare
    const { service: jobsService, jobs } = service(
      undefined,
      vi.fn(async () => {
        throw new Error('ThrottlingException');
      }),
    );

    // Act
    const attempt = jobsService.start(principal, { action: 'delete', ticketIds: [1] });

    // Assess
    await expect(attempt).rejects.toThrow('ThrottlingException');
    expect(jobs.jobs.get(jobId)).toMatchObject({ status: 'failed', error: 'JobNotStarted' });
  });

  it('shows a job still in progress long after its execution must have ended as failed', async () => {
    // Prepare
    const jobs = new JobsInMemory();
    let now = at;
    const jobsService = new TicketJobService({
      jobs,
      workflow: { start: async () => undefined },
      tickets: { checkUpdate: async () => undefined },
      now: () => now,
      newJobId: () => jobId,
    });
    await jobsService.start(principal, { action: 'delete', ticketIds: [1] });

    // Act
    now = new Date(at.getTime() + 65 * 60_000);
    const withinMargin = await jobsService.get(principal, jobId);
    now = new Date(at.getTime() + 65 * 60_000 + 1);
    const past = await jobsService.get(principal, jobId);

    // Assess
    expect(withinMargin.status).toBe('in_progress');
    expect(past).toMatchObject({ status: 'failed', error: 'ExecutionEnded' });
  });

  it("shows a job to the agent who asked and to admins only; others' and malformed ids are not found", async () => {
    // Prepare
    const { service: jobsService } = service();
    await jobsService.start(principal, { action: 'delete', ticketIds: [1] });

    // Act / Assess
    await expect(jobsService.get(principal, jobId)).resolves.toMatchObject({ jobId });
    await expect(jobsService.get({ ...principal, agentId: 8, role: 'admin' }, jobId)).resolves.toMatchObject({
      jobId,
    });
    await expect(jobsService.get({ ...principal, agentId: 8 }, jobId)).rejects.toBeInstanceOf(NotFoundError);
    await expect(jobsService.get(principal, 'not-a-job')).rejects.toBeInstanceOf(NotFoundError);
  });
});
