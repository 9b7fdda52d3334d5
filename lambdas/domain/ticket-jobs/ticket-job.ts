import { z } from 'zod';
import type { FieldError } from '#domain/errors';
import { executionName } from '#domain/privacy/workflow-starter';
import { updateTicketSchema, type TicketFields } from '#domain/tickets/ticket-schema';

/**
 * Ticket ids one bulk request may name. Freshdesk's v2 reference documents no number; 100 is v2's
 * largest page, so a job covers at most one full page of a ticket list.
 */
export const maxBulkTicketIds = 100;

/** What a job does to each of its tickets: `PUT /tickets/{id}` or `DELETE /tickets/{id}`, one by one. */
export const ticketJobActions = ['update', 'delete'] as const;
export type TicketJobAction = (typeof ticketJobActions)[number];

/** Where a job stands: v2's job statuses. */
export const ticketJobStatuses = ['in_progress', 'completed', 'failed'] as const;
export type TicketJobStatus = (typeof ticketJobStatuses)[number];

/** What became of one ticket: changed, or refused with v2's error list (field names and codes, no values). */
export type TicketJobResult =
  { readonly success: true } | { readonly success: false; readonly errors: readonly FieldError[] };

/**
 * A bulk job. `properties` (an update's changes, which may hold personal data such as `cc_emails`) is
 * kept only while the job runs; the finished job keeps ids and outcomes only.
 */
export interface TicketJob {
  readonly accountId: string;
  readonly jobId: string;
  /** The agent who asked: the changes are theirs, made with their scope, and only they (and admins) read the job. */
  readonly agentId: number;
  readonly action: TicketJobAction;
  readonly ticketIds: readonly number[];
  readonly properties?: Partial<TicketFields>;
  readonly status: TicketJobStatus;
  /** By ticket id: one entry per ticket, written once its change is made (or refused). */
  readonly results: Readonly<Record<string, TicketJobResult>>;
  /** The workflow's error name when the job failed as a whole. */
  readonly error?: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

const ticketIds = z
  .array(z.number().int().positive())
  .min(1, 'It should contain at least 1 ticket id')
  .max(maxBulkTicketIds, `It should contain at most ${maxBulkTicketIds} ticket ids`);

/** `POST /tickets/bulk_update`: ids and the same properties a single update takes (same schema). */
export const bulkUpdateSchema = z
  .object({
    bulk_action: z.object({ ids: ticketIds, properties: updateTicketSchema }).strict(),
  })
  .strict();

/** `POST /tickets/bulk_delete`: ids only. */
export const bulkDeleteSchema = z.object({ bulk_action: z.object({ ids: ticketIds }).strict() }).strict();

/** Job ids: 32 lowercase hex digits (a random UUID's), as v2's job ids are opaque strings. */
export const jobIdPattern = /^[0-9a-f]{32}$/;

/** The job's execution: `ticket-job-<account>-<job>`; starting it twice runs it once. */
export const ticketJobExecutionName = (accountId: string, jobId: string) =>
  executionName('ticket-job', accountId, jobId);

/** Percent of the job's tickets done (changed or refused), whole numbers. */
export function progressOf(job: Pick<TicketJob, 'ticketIds' | 'results'>): number {
  const done = job.ticketIds.filter((id) => job.results[String(id)] !== undefined).length;
  return Math.floor((done * 100) / job.ticketIds.length);
}

/** The job's tickets not yet done, in the order asked. */
export const pendingTicketIds = (job: Pick<TicketJob, 'ticketIds' | 'results'>): number[] =>
  job.ticketIds.filter((id) => job.results[String(id)] === undefined);

/** What `POST /tickets/bulk_update` and `/bulk_delete` answer (202): the job's id and where to read it. */
export const acceptedTicketJobViewSchema = z.strictObject({ job_id: z.string(), href: z.string() });
export function acceptedTicketJobView(jobId: string): z.infer<typeof acceptedTicketJobViewSchema> {
  return { job_id: jobId, href: `/api/v2/jobs/${jobId}` };
}

const fieldErrorSchema = z.strictObject({ field: z.string(), message: z.string(), code: z.string() });
/** A job as v2's `GET /api/v2/jobs/{id}` shows it: status, progress and one entry per ticket done. */
export const ticketJobViewSchema = z.strictObject({
  id: z.string(),
  action: z.enum(ticketJobActions),
  status: z.enum(ticketJobStatuses),
  /** Percent of the tickets done. */
  progress: z.number().int(),
  total: z.number().int(),
  created_at: z.string(),
  updated_at: z.string(),
  data: z.array(
    z.union([
      z.strictObject({ id: z.number().int(), success: z.literal(true) }),
      z.strictObject({ id: z.number().int(), success: z.literal(false), errors: z.array(fieldErrorSchema) }),
    ]),
  ),
});
export function ticketJobView(job: TicketJob): z.infer<typeof ticketJobViewSchema> {
  return {
    id: job.jobId,
    action: job.action,
    status: job.status,
    progress: progressOf(job),
    total: job.ticketIds.length,
    created_at: job.createdAt,
    updated_at: job.updatedAt,
    data: job.ticketIds.flatMap((id) => {
      const result = job.results[String(id)];
      if (!result) return [];
      return [
        result.success
          ? { id, success: true as const }
          : { id, success: false as const, errors: [...result.errors] },
      ];
    }),
  };
}
