import { describe, expect, it } from 'vitest';
import {
  batchesOf,
  batchLength,
  BatchUnfinishedError,
  itemsOf,
  maxBatchesPerRun,
  workThrough,
} from '../../lambdas/domain/workflow-batches.ts';

describe('batchesOf', () => {
  it('gives each page its own batch up to 1,000 pages', () => {
    // Act
    const batches = batchesOf(1_000);

    // Assess
    expect(batches).toHaveLength(1_000);
    expect(batches.every((batch, index) => batch.first === index && batch.count === 1)).toBe(true);
    expect(batchesOf(0)).toEqual([]);
  });

  it.each([1_001, 2_000, 20_000, 200_000])(
    'keeps %i pages within 1,000 batches of consecutive pages, every page in exactly one',
    (pages) => {
      // Act
      const batches = batchesOf(pages);

      // Assess
      expect(batches.length).toBeLessThanOrEqual(maxBatchesPerRun);
      expect(batches.flatMap(itemsOf)).toEqual(Array.from({ length: pages }, (_, page) => page));
      // As even as can be: the longest batch is the fewest pages that fit.
      expect(Math.max(...batches.map((batch) => batch.count))).toBe(Math.ceil(pages / maxBatchesPerRun));
    },
  );
});

describe('batchLength', () => {
  it('lengthens batches until the runs, each ending in a short batch, fit', () => {
    // Act: 3 runs of 5 items in 6 batches: 3 a batch would take 6 (2 per run) but 15/6 rounds to 3.
    const length = batchLength([5, 5, 5], 6);

    // Assess
    expect(length).toBe(3);
    expect(batchLength([5, 5, 5], 5)).toBe(5);
    // More runs than batches cannot fit: one batch per run.
    expect(batchLength([2, 2, 2], 2)).toBe(2);
  });
});

describe('workThrough', () => {
  it('stops before an item once less than the reserve is left, and a retry resumes after the done ones', async () => {
    // Prepare: an invocation that has 20 minutes left after its first page, 2 after its second; then one with enough.
    const done: number[] = [];
    const work = async (page: number) => {
      if (!done.includes(page)) done.push(page);
    };
    let left = [20, 2];
    const timeLeft = () => (left.shift() ?? 0) * 60_000;

    // Act
    const first = workThrough({ first: 4, count: 5 }, work, timeLeft);
    await expect(first).rejects.toThrow(BatchUnfinishedError);
    const stoppedAt = [...done];
    left = [20, 20, 20, 20, 20];
    const second = await workThrough({ first: 4, count: 5 }, work, timeLeft);

    // Assess
    expect(stoppedAt).toEqual([4, 5]);
    expect(second).toEqual({ first: 4, count: 5 });
    expect(done).toEqual([4, 5, 6, 7, 8]);
    await expect(first.catch((error: Error) => error.name)).resolves.toBe('BatchUnfinished');
  });

  it('always does the first item, and does not stop without a clock (locally)', async () => {
    // Prepare
    const done: number[] = [];
    const work = async (page: number) => {
      done.push(page);
    };

    // Act
    await expect(workThrough({ first: 0, count: 2 }, work, () => 0)).rejects.toThrow(BatchUnfinishedError);
    await workThrough({ first: 10, count: 3 }, work);

    // Assess
    expect(done).toEqual([0, 10, 11, 12]);
  });
});
