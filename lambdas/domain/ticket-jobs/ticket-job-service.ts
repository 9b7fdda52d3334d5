import type { Principal } from '#domain/account';
import { isAdmin } from '#domain/agents/permissions';
import { NotFoundError } from '#domain/errors';
import type { WorkflowStarter } from '#domain/privacy/workflow-starter';
import type { TicketFields } from '#domain/tickets/ticket-schema';
import type { TicketService } from '#domain/tickets/ticket-service';
import { ticketJobStaleMarginMinutes, ticketJobTimeoutMinutes } from '#lib/platform/ticket-job-limits';
import { jobIdPattern, type TicketJob, type TicketJobAction, ticketJobExecutionName } from './ticket-job.ts';
import type { TicketJobStore } from './ticket-job-store.ts';

export interface TicketJobServiceDependencies {
  readonly jobs: TicketJobStore;
  /** The region's ticket job workflow: the API only starts it. */
  readonly workflow: Pick<WorkflowStarter, 'start'>;
  readonly tickets: Pick<TicketService, 'checkUpdate'>;
  readonly now: () => Date;
  readonly newJobId: () => string;
}

/** What a bulk request asks: the action, its tickets and, for an update, the properties. */
export interface BulkRequest {
  readonly action: TicketJobAction;
  readonly ticketIds: readonly number[];
  readonly properties?: Partial<TicketFields>;
}

/**
 * Bulk ticket jobs as the API sees them: checked and stored, then handed to the workflow, which makes
 * each ticket's change as the asking agent (lambdas/domain/ticket-jobs/ticket-job-run.ts).
 */
export class TicketJobService {
  constructor(private readonly deps: TicketJobServiceDependencies) {}

  /**
   * Checks the properties as a single update would (a 400 before anything is stored), stores the job
   * and starts its execution. A start that fails leaves the job failed, never waiting forever.
   */
  async start(principal: Principal, request: BulkRequest): Promise<TicketJob> {
    if (request.action === 'update') await this.deps.tickets.checkUpdate(principal, request.properties ?? {});
    const at = this.deps.now().toISOString();
    const job: TicketJob = {
      accountId: principal.accountId,
      jobId: this.deps.newJobId(),
      agentId: principal.agentId,
      action: request.action,
      // A ticket named twice is changed once.
      ticketIds: [...new Set(request.ticketIds)],
      ...(request.action === 'update' && { properties: request.properties }),
      status: 'in_progress',
      results: {},
      createdAt: at,
      updatedAt: at,
    };
    await this.deps.jobs.create(job);
    try {
      await this.deps.workflow.start(ticketJobExecutionName(job.accountId, job.jobId), {
        accountId: job.accountId,
        jobId: job.jobId,
      });
    } catch (error) {
      await this.deps.jobs.finish(job.accountId, job.jobId, 'failed', at, 'JobNotStarted');
      throw error;
    }
    return job;
  }

  /**
   * A job of the caller's account that they asked for, or any job of it for an administrator; anything
   * else (another agent's job, another account's, a malformed id) is not found.
   */
  async get(principal: Principal, jobId: string): Promise<TicketJob> {
    if (!jobIdPattern.test(jobId)) throw new NotFoundError();
    const job = await this.deps.jobs.get(principal.accountId, jobId);
    if (!job || (job.agentId !== principal.agentId && !isAdmin(principal))) throw new NotFoundError();
    return this.asItStands(job);
  }

  /**
   * A job still in progress long after its execution must have ended (timed out, or stopped by an
   * operator: no Catch runs then) is failed: the API may only start executions, not describe them.
   */
  private asItStands(job: TicketJob): TicketJob {
    const minutes = ticketJobTimeoutMinutes + ticketJobStaleMarginMinutes;
    const stale = Date.parse(job.createdAt) + minutes * 60_000 < this.deps.now().getTime();
    return job.status === 'in_progress' && stale
      ? { ...job, status: 'failed', error: 'ExecutionEnded' }
      : job;
  }
}
