import type { Context } from 'aws-lambda';
import { z } from 'zod';
import type { TimeLeft } from '#domain/workflow-batches';
import { recordableErrorName, withNameOnlyErrors } from '#domain/workflow-error';
import { MigrationRunningError } from '#domain/migrations/migrations-before-erasure';
import { erasureOperations } from '#domain/privacy/privacy-request';
import { type ErasureRuntime, getErasureRuntime } from './erasure-runtime.ts';

/** What the tasks receive: `{ accountId, requestId, operation, execution }` plus earlier results. */
const taskInputSchema = z.object({
  accountId: z.string().min(1).max(64),
  requestId: z.number().int().positive(),
  operation: z.enum(erasureOperations),
  execution: z.string().min(1).max(80).optional(),
  /** Inside the Map: the batch of work index pages to handle. */
  batch: z.object({ first: z.number().int().min(0), count: z.number().int().positive() }).optional(),
  error: z.object({ Error: z.string().optional() }).passthrough().optional(),
});

type TaskInput = z.infer<typeof taskInputSchema>;

/**
 * One workflow task: parse the input, run a step, log ids and the outcome only. Errors propagate with
 * their names (which the state machine's Retry and Catch match), never their messages. A step
 * learns the time its invocation has left from Lambda's context (none locally).
 */
function erasureTask<R>(
  step: (runtime: ErasureRuntime, input: TaskInput, timeLeft?: TimeLeft) => Promise<R>,
) {
  return withNameOnlyErrors(
    async (event: unknown, context?: Pick<Context, 'getRemainingTimeInMillis'>): Promise<R> => {
      const runtime = getErasureRuntime();
      const input = taskInputSchema.parse(event);
      const timeLeft = context && (() => context.getRemainingTimeInMillis());
      const result = await step(runtime, input, timeLeft);
      runtime.logger.info('privacy erasure step done', {
        step: step.name,
        operation: input.operation,
        requestId: input.requestId,
        accountId: input.accountId,
      });
      return result;
    },
  );
}

/**
 * Marks the operation started; an erasure then waits (this task's MigrationRunning error is retried)
 * while a migration of the account runs, saying so on the request, and deletes the migrations' files.
 */
export const markStarted = erasureTask(async function markStarted({ progress, migrations }, input) {
  await progress.markStarted(input.accountId, input.requestId, input.operation);
  if (input.operation !== 'erase') return { started: true };
  try {
    await migrations.clear(input.accountId, input.requestId);
  } catch (error) {
    if (error instanceof MigrationRunningError)
      await progress.waitForMigrations(input.accountId, input.requestId, true);
    throw error;
  }
  await progress.waitForMigrations(input.accountId, input.requestId, false);
  return { started: true };
});

export const indexWork = erasureTask(async function indexWork({ erasure }, input) {
  return erasure.index(input.accountId, input.requestId, input.operation);
});

/** Answers the batch (two numbers): page results stay in the trash bucket, out of the state. */
export const processBatch = erasureTask(async function processBatch({ erasure }, input, timeLeft) {
  if (!input.batch) throw new Error('processBatch needs the batch ($.batch) as input');
  return erasure.processBatch(input.accountId, input.requestId, input.operation, input.batch, timeLeft);
});

export const recordOutcome = erasureTask(async function recordOutcome({ erasure }, input) {
  if (!input.execution) throw new Error('recordOutcome needs $.execution as input');
  await erasure.finish(input.accountId, input.requestId, input.operation, input.execution);
  return { completed: true };
});

/** The workflow's Catch: records the error's name (never its cause, which may quote data). */
export const markFailed = erasureTask(async function markFailed({ progress }, input) {
  await progress.failOperation(
    input.accountId,
    input.requestId,
    input.operation,
    recordableErrorName(input.error),
  );
  return { failed: true };
});
