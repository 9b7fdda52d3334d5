import { ValidationError } from '#domain/errors';
import type { QueryPlan } from './query-plan.ts';
import type { SearchCatalogue } from './search-fields.ts';
import { type Lookup, lookupHolds, lookupsOf } from './search-lookups.ts';

/**
 * What a lookup read found: the ids read so far (at least `limit` unless complete; a reader may read a
 * little beyond it) and whether they are all there are.
 */
export interface LookupRead {
  readonly ids: readonly number[];
  readonly complete: boolean;
}

/** Where the executor reads lookup items (the adapter: Query on the lookup items, no Scan). */
export interface LookupReader {
  /**
   * Ids of the live records the lookup finds, at least `limit` of them or all there are (`complete`). A
   * larger `limit` for the same lookup goes on from where the last read stopped.
   */
  read(lookup: Lookup, limit: number): Promise<LookupRead>;
  /**
   * Which of `ids` hold the lookup, checked by key on the lookup item each would have (no broader
   * read); undefined when the reader cannot name those items (then `lookupValues` decides).
   */
  holding?(lookup: Lookup, ids: readonly number[]): Promise<ReadonlySet<number> | undefined>;
  /** The lookup values of live records by id (a missing record is left out). */
  lookupValues(ids: readonly number[]): Promise<ReadonlyMap<number, Readonly<Record<string, string>>>>;
  /**
   * The form `lookupValues` hold an equality value in: its keyed hash where the store keeps lookups
   * keyed (docs/encryption.md, "Keyed lookups"); the value itself when absent.
   */
  storedValue?(value: string): string;
}

/** A lookup as a reader's `lookupValues` hold it (an equality value in its stored form). */
export const storedLookup = (reader: LookupReader, lookup: Lookup): Lookup =>
  lookup.kind === 'eq' && reader.storedValue
    ? { ...lookup, value: reader.storedValue(lookup.value) }
    : lookup;

/** How much one search reads at most (docs/search.md, "Bounds"). */
export interface SearchBounds {
  /** Ids read of every lookup at once first (at most `firstRead`): a small term is found complete. */
  readonly probe?: number;
  /** Ids read of each lookup next, one lookup at a time; a lookup found complete drives its alternative. */
  readonly firstRead: number;
  /** Ids read of each lookup when none was complete within `firstRead`. */
  readonly maxRead: number;
  /** Records a query may match (before ticket scope); more is a 400. */
  readonly maxMatches: number;
}

export const searchBounds: SearchBounds = {
  probe: 100,
  firstRead: 1_000,
  maxRead: 10_000,
  maxMatches: 10_000,
};

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
 * The order lookups are grown and checked in: pair lookups first (two values at once), then other
 * equality terms (one value: usually the fewest records), then ranges of one value (`priority:3`),
 * then wider ranges; the query's order otherwise.
 */
const rank = (lookup: Lookup) => {
  if (lookup.kind === 'eq') return lookup.pair ? 0 : 1;
  return lookup.from !== undefined && lookup.from === lookup.to ? 2 : 3;
};
const byRank = (lookups: readonly Lookup[]) =>
  lookups.map((lookup, index) => ({ lookup, index })).sort((a, b) => rank(a.lookup) - rank(b.lookup));

/**
 * Runs a plan over lookup items: each alternative (AND) intersects the ids of its lookups, the plan
 * (OR) unions the alternatives. Reads grow until one lookup of the alternative is complete, and stop
 * there: first `probe` ids of every lookup at once, then one lookup at a time (`byRank`) up to
 * `firstRead`, then to `maxRead`. The complete lookups' ids are intersected; a candidate not among the
 * ids read of an incomplete lookup is checked: when one lookup is left to check, by key on the lookup
 * item it would hold (`holding`), else (or when the reader cannot name that item) by its lookup values
 * (one BatchGetItem per 100 for all the open lookups). Answers the matching ids, highest (newest) first. Throws
 * SearchTooBroadError when an alternative has no lookup within `maxRead`, or the query matches more
 * than `maxMatches`.
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
    const reads = await this.growUntilComplete(lookups);
    const complete = reads.filter((read) => read.complete).map((read) => new Set(read.ids));
    if (complete.length === 0) throw new SearchTooBroadError(this.bounds.maxRead);
    const candidates = intersect(complete);
    const open = byRank(lookups)
      .filter(({ index }) => !reads[index]?.complete)
      .map(({ lookup, index }) => ({ lookup, seen: new Set(reads[index]?.ids) }));
    const needed = open.filter(({ seen }) => [...candidates].some((id) => !seen.has(id)));
    // One lookup left to check: by key on its lookup item, a small item whatever the record's size.
    // Several: by the candidates' lookup values, one read for all of them.
    const [only] = needed;
    if (needed.length === 1 && only && this.reader.holding) {
      const unsure = [...candidates].filter((id) => !only.seen.has(id));
      const held = await this.reader.holding(only.lookup, unsure);
      if (held) {
        for (const id of unsure) if (!held.has(id)) candidates.delete(id);
        return candidates;
      }
    }
    const byValues = needed;
    const unsure = [...candidates].filter((id) => byValues.some(({ seen }) => !seen.has(id)));
    if (unsure.length === 0) return candidates;
    const values = await this.reader.lookupValues(unsure);
    for (const id of unsure) {
      const held = values.get(id);
      if (
        !held ||
        !byValues.every(
          ({ lookup, seen }) => seen.has(id) || lookupHolds(held, storedLookup(this.reader, lookup)),
        )
      ) {
        candidates.delete(id);
      }
    }
    return candidates;
  }

  /**
   * Reads of every lookup, grown until one is complete: the probe of all at once, then each in turn
   * to `firstRead`, then to `maxRead` (none complete: a query too broad).
   */
  private async growUntilComplete(lookups: readonly Lookup[]): Promise<LookupRead[]> {
    const { firstRead, maxRead } = this.bounds;
    const probe = Math.min(this.bounds.probe ?? firstRead, firstRead);
    const reads = await Promise.all(lookups.map((lookup) => this.read(lookup, probe)));
    for (const limit of [firstRead, maxRead]) {
      for (const { lookup, index } of byRank(lookups)) {
        if (reads.some((read) => read.complete)) return reads;
        reads[index] = await this.read(lookup, limit);
      }
    }
    return reads;
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
