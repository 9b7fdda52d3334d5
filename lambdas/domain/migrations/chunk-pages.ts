import { type Batch, batchLength, cutInBatches } from '#domain/workflow-batches';
import type { ChunkRef, ImportPhase } from './file-splitter.ts';
import type { SourceEntity } from './migration.ts';

/** Consecutive chunks of one file, written one after another by one task (one Map iteration). */
export interface ChunkPage extends Batch {
  readonly entity: SourceEntity;
}

/**
 * Map iterations a run takes at most, over all phases. Each costs about 7 of the 25,000 events a
 * Standard execution's history holds (more when retried), and a page names 3 numbers in the plan the
 * execution carries (at most 256 KB): 2,000 leave room for both.
 */
export const maxPagesPerRun = 2_000;

/** The chunks of `page`, in order. */
export const chunksOf = (page: ChunkPage): ChunkRef[] =>
  Array.from({ length: page.count }, (_, offset) => ({ entity: page.entity, index: page.first + offset }));

/**
 * The pages of a run's chunks, phase by phase: one chunk a page (as many tasks at once as the Map
 * allows, the least idle at a phase's end) until the run has more chunks than `maxPagesPerRun`, then
 * as many chunks a page as keep it within (see batchLength). A page holds consecutive chunks of one
 * file only.
 */
export function pagesOf(
  chunks: Readonly<Record<ImportPhase, readonly ChunkRef[]>>,
  maxPages = maxPagesPerRun,
): Record<ImportPhase, ChunkPage[]> {
  const runs = {} as Record<ImportPhase, ChunkPage[]>;
  for (const [phase, refs] of Object.entries(chunks) as [ImportPhase, readonly ChunkRef[]][]) {
    runs[phase] = [];
    for (const ref of refs) {
      const last = runs[phase].at(-1);
      if (last && last.entity === ref.entity && last.first + last.count === ref.index)
        runs[phase][runs[phase].length - 1] = { ...last, count: last.count + 1 };
      else runs[phase].push({ entity: ref.entity, first: ref.index, count: 1 });
    }
  }
  const perPage = batchLength(
    Object.values(runs).flatMap((phaseRuns) => phaseRuns.map((run) => run.count)),
    maxPages,
  );
  const pages = {} as Record<ImportPhase, ChunkPage[]>;
  for (const [phase, phaseRuns] of Object.entries(runs) as [ImportPhase, ChunkPage[]][]) {
    pages[phase] = phaseRuns.flatMap((run) =>
      cutInBatches(run, perPage).map((batch) => ({ entity: run.entity, ...batch })),
    );
  }
  return pages;
}
