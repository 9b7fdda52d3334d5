import { z } from 'zod';
import { jobIdPattern } from '#domain/ticket-jobs/ticket-job';
import { recordableErrorName, withNameOnlyErrors } from '#domain/workflow-error';
import { getTicketJobRuntime } from './ticket-job-runtime.ts';

/** What the tasks receive: the execution input `{ accountId, jobId }` (ids only), a step's `done`, an error. */
const taskInputSchema = z.object({
  accountId: z.string().min(1).max(64),
  jobId: z.string().regex(jobIdPattern),
  done: z.boolean().optional(),
  error: z.object({ Error: z.string().optional() }).passthrough().optional(),
});

/** One step: the next few tickets of the job; ids and `done` out, errors with names only. */
export const runStep = withNameOnlyErrors(async (event: unknown) => {
  const { run, logger } = getTicketJobRuntime();
  const { accountId, jobId } = taskInputSchema.parse(event);
  const { done } = await run.step(accountId, jobId);
  logger.info('ticket job step done', { accountId, jobId, done });
  return { accountId, jobId, done };
});

/** The workflow's Catch: the job is marked failed with the error's name (never its cause). */
export const markFailed = withNameOnlyErrors(async (event: unknown) => {
  const { run, logger } = getTicketJobRuntime();
  const input = taskInputSchema.parse(event);
  const error = recordableErrorName(input.error);
  await run.fail(input.accountId, input.jobId, error);
  logger.info('ticket job failed', { accountId: input.accountId, jobId: input.jobId, error });
  return { failed: true };
});
