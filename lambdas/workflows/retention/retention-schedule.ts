import { SfnWorkflowStarter } from '#adapters/sfn-workflow-starter';
import type { HostingRegionKey } from '#lib/residency/index';
import { getRetentionRuntime } from './retention-runtime.ts';

/** The execution of a region's run on a day: `retention-<region>-<YYYY-MM-DD>` (one a day; a second start is a no-op). */
export const retentionExecutionName = (region: HostingRegionKey, now: Date) =>
  `retention-${region}-${now.toISOString().slice(0, 10)}`;

/**
 * Runs daily: starts the day's retention run, judging ages at this instant. Starting the day's
 * execution again (a retried invocation, a second schedule) finds it there and does nothing.
 */
export async function startDailyRetention(
  starter: Pick<SfnWorkflowStarter, 'start'>,
  region: HostingRegionKey,
  now: Date,
): Promise<{ execution: string }> {
  const execution = retentionExecutionName(region, now);
  await starter.start(execution, { at: now.toISOString() });
  return { execution };
}

export const handler = async (): Promise<{ execution: string }> => {
  const { env, clients, logger } = getRetentionRuntime();
  if (!env.RETENTION_STATE_MACHINE_ARN) throw new Error('The daily start needs RETENTION_STATE_MACHINE_ARN');
  const started = await startDailyRetention(
    new SfnWorkflowStarter(clients.sfn, env.RETENTION_STATE_MACHINE_ARN),
    env.HOME_REGION,
    new Date(),
  );
  logger.info('retention run started', started);
  return started;
};
