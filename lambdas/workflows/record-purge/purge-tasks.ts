import type { RecordType } from '#domain/records/record';
import { getPurgeRuntime } from './purge-runtime.ts';

/** Due records read per Query page, and pages purged per task invocation (well within its 15 minutes). */
export const purgePageSize = 100;
export const pagesPerTask = 10;

/** The purge execution's state between pages: ids-free counts, and where the next page starts. */
export interface PurgeState {
  readonly day: string;
  /** The run's clock: records due at or before it are purged. */
  readonly before: string;
  readonly purged: Partial<Record<RecordType, number>>;
  readonly held: number;
  /** Where the next page starts (the index's own cursor, ids only); absent at the start. */
  readonly cursor?: string;
  readonly more: boolean;
}

/** The execution's input is not a purge run (a permanent error: retrying cannot fix it). */
export class PurgeInputInvalid extends Error {
  override readonly name = 'PurgeInputInvalid';
}

/**
 * Purges up to `pagesPerTask` pages of the records due by `before`, from `cursor`, adding to the
 * counts. Repeating it with the same input (a retry after a failure) purges what is left and counts
 * only what it purged itself.
 */
export async function purgePages(state: PurgeState): Promise<PurgeState> {
  if (typeof state.before !== 'string' || Number.isNaN(Date.parse(state.before))) {
    throw new PurgeInputInvalid('The purge run needs `before`, an ISO instant.');
  }
  const { purge, logger } = getPurgeRuntime();
  const purged = { ...state.purged };
  let held = state.held;
  let cursor = state.cursor;
  for (let page = 0; page < pagesPerTask; page++) {
    const result = await purge.purgePage(state.before, purgePageSize, cursor);
    for (const [type, count] of Object.entries(result.purged)) {
      purged[type as RecordType] = (purged[type as RecordType] ?? 0) + count;
    }
    held += result.held;
    cursor = result.cursor;
    if (!cursor) break;
  }
  logger.info('purge pages done', { day: state.day, purged, held, more: Boolean(cursor) });
  const { cursor: _previous, ...rest } = state;
  return { ...rest, purged, held, ...(cursor && { cursor }), more: Boolean(cursor) };
}
