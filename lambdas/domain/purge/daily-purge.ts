import type { WorkflowStarter } from '#domain/privacy/workflow-starter';

/** The execution of a region's purge on one UTC day: an operator sees one per day, a second start is a no-op. */
export const purgeExecutionName = (region: string, at: Date) =>
  `purge-${region}-${at.toISOString().slice(0, 10)}`;

/** What a purge execution starts from: its day, and the instant the records must be due by (its clock). */
export interface PurgeRun {
  readonly day: string;
  readonly before: string;
}

/**
 * Starts the region's purge of the day (records due by `now`, so days missed are caught up); answers
 * the execution's name. Starting it again the same day leaves the first execution alone.
 */
export async function startDailyPurge(workflow: WorkflowStarter, region: string, now: Date): Promise<string> {
  const name = purgeExecutionName(region, now);
  const run: PurgeRun = { day: now.toISOString().slice(0, 10), before: now.toISOString() };
  await workflow.start(name, { ...run });
  return name;
}
