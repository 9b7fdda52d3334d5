import { describe, expect, it } from 'vitest';
import { chunksOf, maxPagesPerRun, pagesOf } from '../../lambdas/domain/migrations/chunk-pages.ts';
import type { ChunkRef } from '../../lambdas/domain/migrations/file-splitter.ts';
import type { SourceEntity } from '../../lambdas/domain/migrations/migration.ts';

const chunks = (entity: SourceEntity, count: number): ChunkRef[] =>
  Array.from({ length: count }, (_, index) => ({ entity, index }));
/** Step Functions history events of one inline Map iteration running one Lambda task, without retries. */
const eventsPerIteration = 7;

describe('pagesOf', () => {
  it('gives each chunk its own page while a run is small, pages of one file each', () => {
    // Act
    const pages = pagesOf({
      companies: [],
      people: [...chunks('agents', 2), ...chunks('contacts', 3)],
      tickets: chunks('tickets', 40),
      conversations: [],
    });

    // Assess
    expect(pages.people).toEqual([
      { entity: 'agents', first: 0, count: 1 },
      { entity: 'agents', first: 1, count: 1 },
      { entity: 'contacts', first: 0, count: 1 },
      { entity: 'contacts', first: 1, count: 1 },
      { entity: 'contacts', first: 2, count: 1 },
    ]);
    expect(pages.tickets).toHaveLength(40);
  });

  it('keeps a run of 20 million records within 2,000 Map iterations, every chunk in exactly one page', () => {
    // Prepare: 1,000 records a chunk: 1 million users, 4 million tickets, 15 million conversations.
    const plan = {
      companies: chunks('companies', 7),
      people: [...chunks('agents', 1), ...chunks('contacts', 1_000)],
      tickets: chunks('tickets', 4_000),
      conversations: chunks('conversations', 15_000),
    };

    // Act
    const pages = pagesOf(plan);

    // Assess
    const all = Object.values(pages).flat();
    expect(all.length).toBeLessThanOrEqual(maxPagesPerRun);
    // A third of the 25,000 history events stays free for retries and the other states.
    expect(all.length * eventsPerIteration).toBeLessThan((25_000 * 2) / 3);
    for (const phase of Object.keys(plan) as (keyof typeof plan)[])
      expect(pages[phase].flatMap(chunksOf)).toEqual(plan[phase]);
    expect(Math.max(...all.map((page) => page.count))).toBe(11);
    // The plan the execution carries stays far below Step Functions' 256 KB payload.
    expect(JSON.stringify(pages).length).toBeLessThan(128 * 1024);
  });
});
