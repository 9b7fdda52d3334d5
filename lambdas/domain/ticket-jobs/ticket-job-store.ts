import type { TicketJob, TicketJobResult } from './ticket-job.ts';

/** Where jobs are kept: in the account's partition of the records table, by job id. */
export interface TicketJobStore {
  /** Stores a new job (in progress, no results yet). */
  create(job: TicketJob): Promise<void>;
  /** The job of the account, if there is one (another account's id is none). */
  get(accountId: string, jobId: string): Promise<TicketJob | undefined>;
  /**
   * Records what became of one ticket. Keyed by ticket id: recording it again (a retried step)
   * replaces the entry, never adds one, so nothing is counted twice.
   */
  recordResult(
    accountId: string,
    jobId: string,
    ticketId: number,
    result: TicketJobResult,
    at: string,
  ): Promise<void>;
  /** Ends the job (completed, or failed with an error name) and drops its `properties`. */
  finish(
    accountId: string,
    jobId: string,
    status: 'completed' | 'failed',
    at: string,
    error?: string,
  ): Promise<void>;
}
