import type { Context } from 'aws-lambda';
import { z } from 'zod';
import type { TimeLeft } from '#domain/workflow-batches';
import { recordableErrorName, withNameOnlyErrors } from '#domain/workflow-error';
import { getExportRuntime, type ExportRuntime } from './export-runtime.ts';

const id = z.number().int().positive();
const count = z.number().int().min(0);
const counts = z.record(z.string().regex(/^[a-z_]{1,64}$/), count);

/** What the tasks receive: the execution input `{ accountId, requestId }` plus earlier results. */
const taskInputSchema = z.object({
  accountId: z.string().min(1).max(64),
  requestId: id,
  /** Inside the Map: the execution (page results name it) and the batch of index pages to work on. */
  execution: z.string().min(1).max(80).optional(),
  batch: z.object({ first: count, count: z.number().int().positive() }).optional(),
  /** The index's plan: how many pages (the batches are the Map's items). */
  index: z.object({ pages: count }).optional(),
  bundle: z
    .object({
      counts,
      files: z.array(z.string().regex(/^[a-z_]{1,64}\.(json|csv)$/)),
      manifestSha256: z.string().regex(/^[0-9a-f]{64}$/),
      storedFiles: z.number().int().min(0),
    })
    .optional(),
  error: z.object({ Error: z.string().optional() }).passthrough().optional(),
});

type TaskInput = z.infer<typeof taskInputSchema>;

/**
 * One workflow task: parse the input, run a step, log ids and the outcome only. Errors propagate with
 * their names (which the state machine's Retry and Catch match), never their messages. A step
 * learns the time its invocation has left from Lambda's context (none locally).
 */
function exportTask<R>(step: (runtime: ExportRuntime, input: TaskInput, timeLeft?: TimeLeft) => Promise<R>) {
  return withNameOnlyErrors(
    async (event: unknown, context?: Pick<Context, 'getRemainingTimeInMillis'>): Promise<R> => {
      const runtime = getExportRuntime();
      const input = taskInputSchema.parse(event);
      const timeLeft = context && (() => context.getRemainingTimeInMillis());
      const result = await step(runtime, input, timeLeft);
      runtime.logger.info('privacy export step done', {
        step: step.name,
        requestId: input.requestId,
        accountId: input.accountId,
      });
      return result;
    },
  );
}

export const markRunning = exportTask(async function markRunning({ progress }, input) {
  await progress.markRunning(input.accountId, input.requestId);
  return { running: true };
});

export const indexSubject = exportTask(async function indexSubject(runtime, input) {
  return runtime.export.index(input.accountId, input.requestId);
});

/** The batch and execution a task inside the Map works on. */
function batchOf(input: TaskInput) {
  if (!input.batch || !input.execution)
    throw new Error('A batch task needs $.batch and $.execution as input');
  return { batch: input.batch, execution: input.execution };
}

/** Answers the batch (two numbers): page results stay in the exports bucket, out of the state. */
export const exportBatch = exportTask(async function exportBatch(runtime, input, timeLeft) {
  const { batch, execution } = batchOf(input);
  return runtime.export.exportBatch(input.accountId, input.requestId, execution, batch, timeLeft);
});

export const copyBatchFiles = exportTask(async function copyBatchFiles(runtime, input, timeLeft) {
  const { batch, execution } = batchOf(input);
  return runtime.export.copyBatchFiles(input.accountId, input.requestId, execution, batch, timeLeft);
});

export const assembleBundle = exportTask(async function assembleBundle(runtime, input) {
  if (!input.index) throw new Error('assembleBundle needs the index plan ($.index) as input');
  return runtime.export.assemble(input.accountId, input.requestId, input.index.pages);
});

export const publishBundle = exportTask(async function publishBundle(runtime, input) {
  if (!input.bundle) throw new Error('publishBundle needs the bundle ($.bundle) as input');
  await runtime.export.publish(input.accountId, input.requestId, input.bundle);
  return { completed: true };
});

/** The workflow's Catch: records the error's name (never its cause, which may quote data). */
export const markFailed = exportTask(async function markFailed({ progress }, input) {
  await progress.fail(input.accountId, input.requestId, recordableErrorName(input.error));
  return { failed: true };
});
