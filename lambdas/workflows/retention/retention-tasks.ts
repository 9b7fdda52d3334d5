import { z } from 'zod';
import { pagesPerStep, retentionPageSize, type RetentionRunState } from '#domain/retention/retention-run';
import { withNameOnlyErrors } from '#domain/workflow-error';
import { getRetentionRuntime } from './retention-runtime.ts';

/** What a step receives: the execution input `{ at }` first, then the state the step before answered. */
const ruleSchema = z.object({
  position: z.string().min(1).max(200),
  accountId: z.string().min(1).max(64),
  policyId: z.number().int().positive(),
});
const stepInputSchema = z.object({
  at: z.iso.datetime(),
  rule: ruleSchema.optional(),
  cursor: z.string().min(1).max(4096).optional(),
  pending: z
    .object({
      rule: ruleSchema,
      ids: z.array(z.number().int().positive()).max(retentionPageSize * pagesPerStep),
    })
    .optional(),
  after: z.string().min(1).max(200).optional(),
  counts: z.record(z.string(), z.number().int().min(0)).default({}),
});

/** One step of the daily run: bounded work, ids and counts in and out; errors leave with names only. */
export const runStep = withNameOnlyErrors(async (event: unknown): Promise<RetentionRunState> => {
  const { run, logger } = getRetentionRuntime();
  const input = stepInputSchema.parse(event);
  const next = await run.step({ ...input, done: false });
  logger.info('retention step done', { counts: next.counts, done: next.done });
  return next;
});
