import { DomainError } from './errors.ts';

/**
 * A run of consecutive items (index pages, chunks of a file) that one Map iteration of a workflow
 * handles in one task invocation: items `first` … `first + count - 1`.
 */
export interface Batch {
  readonly first: number;
  readonly count: number;
}

/**
 * Map iterations one execution of a privacy workflow takes at most. A Standard execution's history
 * holds 25,000 events; an iteration costs 7 (one task) to 12 (two tasks), 3 more per retried task,
 * and its batch is 2 numbers in the plan the execution carries (256 KB at most): 1,000 leave room for
 * a retry of every task and for the other states.
 */
export const maxBatchesPerRun = 1_000;

/** The items of `batch`, in order. */
export const itemsOf = (batch: Batch): number[] =>
  Array.from({ length: batch.count }, (_, offset) => batch.first + offset);

/**
 * Items per batch for `runs` (lengths of the sequences a batch must not cross, e.g. a file's chunks):
 * one item a batch (as many tasks at once as the Map allows, the least idle at the end) while all
 * fit in `maxBatches`, then the fewest a batch that keep them within.
 */
export function batchLength(runs: readonly number[], maxBatches: number): number {
  const total = runs.reduce((sum, run) => sum + run, 0);
  const longest = Math.max(1, ...runs);
  const batchesAt = (length: number) => runs.reduce((sum, run) => sum + Math.ceil(run / length), 0);
  let length = Math.min(longest, Math.max(1, Math.ceil(total / maxBatches)));
  // Each run's last batch may be short: lengthen until they fit (at most one batch a run at `longest`).
  while (length < longest && batchesAt(length) > maxBatches) length += 1;
  return length;
}

/** `run` cut into consecutive batches of `length` items (the last may be shorter). */
export function cutInBatches(run: Batch, length: number): Batch[] {
  const batches: Batch[] = [];
  for (let first = run.first; first < run.first + run.count; first += length) {
    batches.push({ first, count: Math.min(length, run.first + run.count - first) });
  }
  return batches;
}

/** Items 0 … `items - 1` in batches: one item each up to `maxBatches` items, then longer batches. */
export const batchesOf = (items: number, maxBatches = maxBatchesPerRun): Batch[] =>
  cutInBatches({ first: 0, count: items }, batchLength([items], maxBatches));

/** The task's invocation is running out of time before the batch is done: a retry resumes it. */
export class BatchUnfinishedError extends DomainError {
  constructor() {
    super('The batch is not done yet; the items done are kept and a retry resumes after them.', 'unfinished');
    this.name = 'BatchUnfinished';
  }
}

/** Milliseconds left in the current invocation (Lambda's `getRemainingTimeInMillis`). */
export type TimeLeft = () => number;

/**
 * Time an item (an index page) may take at most, kept free before one starts: a third of the tasks'
 * 15-minute Lambda timeout. A page of 500 records takes seconds; a page of large files to copy, more.
 */
export const itemTimeReserveMs = 5 * 60 * 1000;

/**
 * Works through a batch's items in order, one after another. Before each item but the first (so every
 * invocation makes progress), it stops with BatchUnfinishedError if less than `reserveMs` remain:
 * the task fails by name before Lambda would cut it off mid-item, and its retry resumes, `work`
 * skipping the items it finds done. Without `timeLeft` (no Lambda context, e.g. locally) it does not stop.
 */
export async function workThrough(
  batch: Batch,
  work: (item: number) => Promise<void>,
  timeLeft?: TimeLeft,
  reserveMs = itemTimeReserveMs,
): Promise<Batch> {
  for (const [position, item] of itemsOf(batch).entries()) {
    if (position > 0 && timeLeft && timeLeft() < reserveMs) throw new BatchUnfinishedError();
    await work(item);
  }
  return batch;
}
