import { ValidationError } from '#domain/errors';
import type { QueryPlan } from './query-plan.ts';
import type { SearchCatalogue } from './search-fields.ts';
import { type Lookup, lookupHolds, lookupsOf } from './search-lookups.ts';

/** What a lookup read found: ids (at most the limit asked for) and whether they are all there are. */
export interface LookupRead {
  readonly ids: readonly number[];
  readonly complete: boolean;
}

/** Where the executor reads lookup items (the adapter: Query on the lookup items, no Scan). */
export interface LookupReader {
  /** Ids of the live records the lookup finds, at most `limit`; `complete` when there are no more. */
  read(lookup: Lookup, limit: number): Promise<LookupRead>;
  /** The lookup values of live records by id (a missing record is left out). */
  lookupValues(ids: readonly number[]): Promise<ReadonlyMap<number, Readonly<Record<string, string>>>>;
}

/** How much one search reads at most (docs/search.md, "Bounds"). */
export interface SearchBounds {
  /** Ids read of each lookup first; a lookup found complete within it drives its alternative. */
  readonly firstRead: number;
  /** Ids read of each lookup when none was complete within `firstRead`. */
  readonly maxRead: number;
  /** Records a query may match (before ticket scope); more is a 400. */
  readonly maxMatches: number;
}

export const searchBounds: SearchBounds = { firstRead: 1_000, maxRead: 10_000, maxMatches: 10_000 };

/** A query that matches more than the bounds let a search read: v2's 400, asking for a narrower query. */
export class SearchTooBroadError extends ValidationError {
  constructor(limit: number) {
    super([
      {
        field: 'query',
        message: `The query matches more than ${limit.toLocaleString('en')} records; add a narrower term`,
        code: 'invalid_value',
      },
    ]);
    this.name = 'SearchTooBroadError';
  }
}

const intersect = (sets: readonly ReadonlySet<number>[]): Set<number> => {
  const [smallest, ...others] = [...sets].sort((left, right) => left.size - right.size);
  return new Set([...(smallest ?? [])].filter((id) => others.every((set) => set.has(id))));
};

/**
 * Runs a plan over lookup items: each alternative (AND) intersects the ids of its lookups, the plan
 * (OR) unions the alternatives. Every lookup is first read up to `firstRead` ids, then up to `maxRead`
 * if none was complete; the complete ones are intersected, and a candidate not among the ids read of
 * an incomplete lookup is checked against it by its lookup values (one BatchGetItem per 100). Answers
 * the matching ids, highest (newest) first. Throws SearchTooBroadError when an alternative has no
 * lookup within `maxRead`, or the query matches more than `maxMatches`.
 */
export class SearchExecutor {
  private readonly reads = new Map<string, Promise<LookupRead>>();

  constructor(
    private readonly reader: LookupReader,
    private readonly bounds: SearchBounds = searchBounds,
  ) {}

  async matchingIds(plan: QueryPlan, catalogue: SearchCatalogue): Promise<number[]> {
    const found = await Promise.all(
      plan.alternatives.map((terms) => this.alternative(lookupsOf(terms, catalogue))),
    );
    const union = new Set(found.flatMap((ids) => [...ids]));
    if (union.size > this.bounds.maxMatches) throw new SearchTooBroadError(this.bounds.maxMatches);
    return [...union].sort((left, right) => right - left);
  }

  private async alternative(lookups: readonly Lookup[]): Promise<Set<number>> {
    let reads = await Promise.all(lookups.map((lookup) => this.read(lookup, this.bounds.firstRead)));
    if (!reads.some((read) => read.complete)) {
      reads = await Promise.all(lookups.map((lookup) => this.read(lookup, this.bounds.maxRead)));
    }
    const complete = reads.filter((read) => read.complete).map((read) => new Set(read.ids));
    if (complete.length === 0) throw new SearchTooBroadError(this.bounds.maxRead);
    const candidates = intersect(complete);
    const open = lookups
      .map((lookup, index) => ({ lookup, seen: new Set(reads[index]?.ids) }))
      .filter((_, index) => !reads[index]?.complete);
    const unsure = [...candidates].filter((id) => open.some(({ seen }) => !seen.has(id)));
    if (unsure.length === 0) return candidates;
    const values = await this.reader.lookupValues(unsure);
    for (const id of unsure) {
      const held = values.get(id);
      if (!held || !open.every(({ lookup, seen }) => seen.has(id) || lookupHolds(held, lookup))) {
        candidates.delete(id);
      }
    }
    return candidates;
  }

  /** Each lookup is read once per search and limit (an OR repeating a term reads it once). */
  private read(lookup: Lookup, limit: number): Promise<LookupRead> {
    const key = JSON.stringify([lookup, limit]);
    const cached = this.reads.get(key);
    if (cached) return cached;
    const read = this.reader.read(lookup, limit);
    this.reads.set(key, read);
    return read;
  }
}
