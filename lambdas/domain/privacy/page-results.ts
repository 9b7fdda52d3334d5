import { DomainError } from '#domain/errors';
import { type Batch, batchesOf, maxBatchesPerRun } from '#domain/workflow-batches';
import { mapBounded } from './bounded.ts';
import type { ExportFiles } from './export-files.ts';

/** A privacy workflow's plan: how many index pages the work has, and the batches its Map runs over. */
export interface PagePlan {
  readonly pages: number;
  readonly batches: Batch[];
}

/** The plan for `pages` index pages: at most `maxBatches` batches of consecutive pages. */
export const pagePlanOf = (pages: number, maxBatches = maxBatchesPerRun): PagePlan => ({
  pages,
  batches: batchesOf(pages, maxBatches),
});

/** A page's result is not there when the step after the Map reads it: a page was never done. */
export class PageResultMissingError extends DomainError {
  constructor() {
    super('A page of the work has no result: the pages were not all done.', 'page_result_missing');
    this.name = 'PageResultMissing';
  }
}

/**
 * The results of a workflow's index pages, one small JSON object per page in the work files (never in
 * the execution's state, which holds 256 KB at most). A repeated page overwrites its result, never
 * adds to another, so a retried batch cannot count twice; the step after the Map reads them all.
 */
export class PageResults<R> {
  constructor(
    private readonly files: Pick<ExportFiles, 'exists' | 'lines' | 'write'>,
    private readonly keyOf: (page: number) => string,
  ) {}

  /** The page's result, if it has one. */
  async read(page: number): Promise<R | undefined> {
    const key = this.keyOf(page);
    if (!(await this.files.exists(key))) return undefined;
    let text = '';
    for await (const line of this.files.lines(key)) text += line;
    return JSON.parse(text) as R;
  }

  async write(page: number, result: R): Promise<void> {
    await this.files.write(this.keyOf(page), 'application/json', [JSON.stringify(result)]);
  }

  /** The results of pages 0 … `pages - 1`, in order, a few read at once; PageResultMissingError if one has none. */
  async all(pages: number, concurrency = 16): Promise<R[]> {
    const pageNumbers = Array.from({ length: pages }, (_, page) => page);
    return mapBounded(pageNumbers, concurrency, async (page) => {
      const result = await this.read(page);
      if (result === undefined) throw new PageResultMissingError();
      return result;
    });
  }
}
