import type { Principal } from '#domain/account';
import { type AgentAccess, principalOf } from '#domain/agents/agent-principal';
import { ConflictError, DomainError, ValidationError } from '#domain/errors';
import { requirePermission } from '#domain/roles/permission-check';
import type { TicketService } from '#domain/tickets/ticket-service';
import { pendingTicketIds, type TicketJob, type TicketJobResult } from './ticket-job.ts';
import type { TicketJobStore } from './ticket-job-store.ts';

/** Tickets changed per workflow step: a step stays well within a Lambda invocation, a job within ten steps. */
export const ticketsPerStep = 10;

/** How often one ticket's change is tried again when someone else changed the ticket meanwhile. */
const conflictAttempts = 3;

/** The job is not there: no retry can fix it. */
export class TicketJobNotFoundError extends Error {
  constructor() {
    super('The ticket job is not there.');
    this.name = 'TicketJobNotFound';
  }
}

export interface TicketJobRunDependencies {
  readonly jobs: TicketJobStore;
  /** What the asking agent may do now (`currentAgentAccess`: profile, role, sharing rules); none if gone. */
  readonly agentAccess: (accountId: string, agentId: number) => Promise<AgentAccess | undefined>;
  readonly tickets: Pick<TicketService, 'update' | 'softDelete'>;
  readonly now: () => Date;
}

/**
 * The workflow's side of a bulk job. Each step changes a few of the job's tickets not yet done, one by
 * one through the ticket service as the asking agent (their current role, scope and sharing rules; each
 * change audited as theirs, as if they had made it alone), and records each ticket's outcome.
 *
 * Idempotent: a step retried after a crash finds the outcomes recorded before it and skips those
 * tickets; a ticket changed but not yet recorded is changed again, which is no change at all (an update
 * to values the ticket already has writes nothing, not even an audit entry; deleting a deleted ticket
 * deletes nothing). Outcomes are keyed by ticket id, so none is counted twice.
 */
export class TicketJobRun {
  constructor(private readonly deps: TicketJobRunDependencies) {}

  /** Changes the next few tickets; `done` once every ticket has its outcome and the job is completed. */
  async step(accountId: string, jobId: string): Promise<{ done: boolean }> {
    const job = await this.deps.jobs.get(accountId, jobId);
    if (!job) throw new TicketJobNotFoundError();
    if (job.status !== 'in_progress') return { done: true };
    const pending = pendingTicketIds(job);
    const batch = pending.slice(0, ticketsPerStep);
    const principal = batch.length > 0 ? await this.askingAgent(job) : undefined;
    for (const ticketId of batch) {
      const result = await this.apply(job, principal, ticketId);
      await this.deps.jobs.recordResult(accountId, jobId, ticketId, result, this.at());
    }
    if (batch.length < pending.length) return { done: false };
    await this.deps.jobs.finish(accountId, jobId, 'completed', this.at());
    return { done: true };
  }

  /** The workflow's Catch: the job failed as a whole, with the error's name. */
  async fail(accountId: string, jobId: string, errorName: string): Promise<void> {
    await this.deps.jobs.finish(accountId, jobId, 'failed', this.at(), errorName);
  }

  /** The asking agent as their profile says now; none when they are gone. */
  private async askingAgent(job: TicketJob): Promise<Principal | undefined> {
    const access = await this.deps.agentAccess(job.accountId, job.agentId);
    return access && principalOf({ accountId: job.accountId, agentId: job.agentId }, access);
  }

  private async apply(
    job: TicketJob,
    principal: Principal | undefined,
    ticketId: number,
  ): Promise<TicketJobResult> {
    for (let attempt = 1; ; attempt++) {
      try {
        if (!principal) return refused('access_denied', 'The agent who asked for this job is gone.');
        if (job.action === 'update') {
          requirePermission(principal, 'tickets.edit', 'update tickets');
          await this.deps.tickets.update(principal, ticketId, job.properties ?? {});
        } else {
          requirePermission(principal, 'tickets.delete', 'delete tickets');
          await this.deps.tickets.softDelete(principal, ticketId);
        }
        return { success: true };
      } catch (error) {
        if (error instanceof ConflictError && attempt < conflictAttempts) continue;
        if (error instanceof ValidationError) return { success: false, errors: error.errors };
        // Domain errors carry no values (lambdas/domain/errors.ts): an out-of-scope ticket reads as a
        // missing one, exactly as GET /tickets/{id} answers it.
        if (error instanceof DomainError) return refused(error.code, error.message);
        throw error;
      }
    }
  }

  private at(): string {
    return this.deps.now().toISOString();
  }
}

const refused = (code: string, message: string): TicketJobResult => ({
  success: false,
  errors: [{ field: 'id', message, code }],
});
