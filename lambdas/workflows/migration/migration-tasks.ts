import { z } from 'zod';
import type { ChunkPage } from '#domain/migrations/chunk-pages';
import { sourceEntities } from '#domain/migrations/migration';
import { recordableErrorName, withNameOnlyErrors } from '#domain/workflow-error';
import { getMigrationRuntime, type MigrationRuntime } from './migration-runtime.ts';

const entities = [...new Set(Object.values(sourceEntities).flat())] as [string, ...string[]];

/** What the tasks receive: the execution input `{ accountId, migrationId, run }`, a Map item's page, an error. */
const taskInputSchema = z.object({
  accountId: z.string().min(1).max(64),
  migrationId: z.number().int().positive(),
  run: z.number().int().positive(),
  page: z
    .object({
      entity: z.enum(entities),
      first: z.number().int().min(0),
      count: z.number().int().min(1),
    })
    .optional(),
  error: z.object({ Error: z.string().optional() }).passthrough().optional(),
});

type TaskInput = z.infer<typeof taskInputSchema>;

/** One workflow task: parse the input, run a step, log ids and the outcome only; errors leave with names only. */
function migrationTask<R>(step: (runtime: MigrationRuntime, input: TaskInput) => Promise<R>) {
  return withNameOnlyErrors(async (event: unknown): Promise<R> => {
    const runtime = getMigrationRuntime();
    const input = taskInputSchema.parse(event);
    const result = await step(runtime, input);
    runtime.logger.info('migration step done', {
      step: step.name,
      accountId: input.accountId,
      migrationId: input.migrationId,
      run: input.run,
      ...(input.page && { page: `${input.page.entity}-${input.page.first}+${input.page.count}` }),
    });
    return result;
  });
}

export const markRunning = migrationTask(async function markRunning({ run }, input) {
  await run.markRunning(input.accountId, input.migrationId, input.run);
  return { running: true };
});

export const splitFiles = migrationTask(async function splitFiles({ run }, input) {
  return run.split(input.accountId, input.migrationId, input.run);
});

export const writePage = migrationTask(async function writePage({ run }, input) {
  if (!input.page) throw new Error('writePage needs the page ($.page) as input');
  return run.writePage(input.accountId, input.migrationId, input.run, input.page as ChunkPage);
});

export const report = migrationTask(async function report({ run }, input) {
  return run.report(input.accountId, input.migrationId, input.run);
});

/** The workflow's Catch: records the error's name (never its cause, which may quote data). */
export const markFailed = migrationTask(async function markFailed({ run }, input) {
  await run.fail(input.accountId, input.migrationId, input.run, recordableErrorName(input.error));
  return { failed: true };
});
