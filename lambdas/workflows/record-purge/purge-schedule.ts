import { startDailyPurge } from '#domain/purge/daily-purge';
import { getPurgeRuntime } from './purge-runtime.ts';

/**
 * Run daily by EventBridge: starts the region's purge of the day (`purge-<region>-<YYYY-MM-DD>`), its
 * clock the event's time. A second start the same day is a no-op.
 */
export async function handler(event: { time?: string }): Promise<{ execution: string }> {
  const { workflow, env, logger } = getPurgeRuntime();
  if (!workflow) throw new Error('The purge schedule needs PURGE_STATE_MACHINE_ARN');
  const now = event.time && !Number.isNaN(Date.parse(event.time)) ? new Date(event.time) : new Date();
  const execution = await startDailyPurge(workflow, env.HOME_REGION, now);
  logger.info('daily purge started', { execution });
  return { execution };
}
