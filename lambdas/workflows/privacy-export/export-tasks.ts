import { z } from 'zod';
import { recordableErrorName, withNameOnlyErrors } from '#domain/workflow-error';
import { getExportRuntime, type ExportRuntime } from './export-runtime.ts';

const id = z.number().int().positive();
const counts = z.record(z.string().regex(/^[a-z_]{1,64}$/), z.number().int().min(0));
const pageResult = z.object({
  page: z.number().int().min(0),
  counts,
  fileSources: z.number().int().min(0).optional(),
  storedFiles: z.number().int().min(0).optional(),
});

/** What the tasks receive: the execution input `{ accountId, requestId }` plus earlier results. */
const taskInputSchema = z.object({
  accountId: z.string().min(1).max(64),
  requestId: id,
  page: z.number().int().min(0).optional(),
  /** One page's export, for its file copy (inside the Map). */
  exported: pageResult.optional(),
  pages: z.array(pageResult).optional(),
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
 * their names (which the state machine's Retry and Catch match), never their messages.
 */
function exportTask<R>(step: (runtime: ExportRuntime, input: TaskInput) => Promise<R>) {
  return withNameOnlyErrors(async (event: unknown): Promise<R> => {
    const runtime = getExportRuntime();
    const input = taskInputSchema.parse(event);
    const result = await step(runtime, input);
    runtime.logger.info('privacy export step done', {
      step: step.name,
      requestId: input.requestId,
      accountId: input.accountId,
    });
    return result;
  });
}

export const markRunning = exportTask(async function markRunning({ progress }, input) {
  await progress.markRunning(input.accountId, input.requestId);
  return { running: true };
});

export const indexSubject = exportTask(async function indexSubject(runtime, input) {
  return runtime.export.index(input.accountId, input.requestId);
});

export const exportPage = exportTask(async function exportPage(runtime, input) {
  if (input.page === undefined) throw new Error('exportPage needs the page number ($.page) as input');
  return runtime.export.exportPage(input.accountId, input.requestId, input.page);
});

export const copyPageFiles = exportTask(async function copyPageFiles(runtime, input) {
  if (!input.exported) throw new Error('copyPageFiles needs the page export ($.exported) as input');
  return runtime.export.copyPageFiles(input.accountId, input.requestId, input.exported);
});

export const assembleBundle = exportTask(async function assembleBundle(runtime, input) {
  if (!input.pages) throw new Error('assembleBundle needs the page results ($.pages) as input');
  return runtime.export.assemble(input.accountId, input.requestId, input.pages);
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
