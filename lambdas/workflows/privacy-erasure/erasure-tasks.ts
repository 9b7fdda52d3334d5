import { z } from 'zod';
import { recordableErrorName, withNameOnlyErrors } from '#domain/workflow-error';
import { MigrationRunningError } from '#domain/migrations/migrations-before-erasure';
import { erasureOperations } from '#domain/privacy/privacy-request';
import { type ErasureRuntime, getErasureRuntime } from './erasure-runtime.ts';

const counts = z.record(z.string().regex(/^[a-z_]{1,64}$/), z.number().int().min(0));

/** What the tasks receive: `{ accountId, requestId, operation, execution }` plus earlier results. */
const taskInputSchema = z.object({
  accountId: z.string().min(1).max(64),
  requestId: z.number().int().positive(),
  operation: z.enum(erasureOperations),
  execution: z.string().min(1).max(80).optional(),
  page: z.number().int().min(0).optional(),
  pages: z
    .array(
      z.object({
        page: z.number().int().min(0),
        erased: counts,
        anonymised: counts,
        files: z.number().int().min(0),
        purgedTrashOf: z.array(z.number().int().positive()),
      }),
    )
    .optional(),
  error: z.object({ Error: z.string().optional() }).passthrough().optional(),
});

type TaskInput = z.infer<typeof taskInputSchema>;

/**
 * One workflow task: parse the input, run a step, log ids and the outcome only. Errors propagate with
 * their names (which the state machine's Retry and Catch match), never their messages.
 */
function erasureTask<R>(step: (runtime: ErasureRuntime, input: TaskInput) => Promise<R>) {
  return withNameOnlyErrors(async (event: unknown): Promise<R> => {
    const runtime = getErasureRuntime();
    const input = taskInputSchema.parse(event);
    const result = await step(runtime, input);
    runtime.logger.info('privacy erasure step done', {
      step: step.name,
      operation: input.operation,
      requestId: input.requestId,
      accountId: input.accountId,
    });
    return result;
  });
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

export const processPage = erasureTask(async function processPage({ erasure }, input) {
  if (input.page === undefined) throw new Error('processPage needs the page number ($.page) as input');
  return erasure.processPage(input.accountId, input.requestId, input.operation, input.page);
});

export const recordOutcome = erasureTask(async function recordOutcome({ erasure }, input) {
  if (!input.pages || !input.execution)
    throw new Error('recordOutcome needs $.pages and $.execution as input');
  await erasure.finish(input.accountId, input.requestId, input.operation, input.pages, input.execution);
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
