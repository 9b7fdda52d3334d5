import { describe, expect, it } from 'vitest';
import type { StoredRecord } from '../../lambdas/domain/records/record.ts';
import {
  type LookupRead,
  type LookupReader,
  type SearchBounds,
  SearchExecutor,
  SearchTooBroadError,
} from '../../lambdas/domain/search/search-executor.ts';
import { SearchCatalogue } from '../../lambdas/domain/search/search-fields.ts';
import {
  type Lookup,
  lookupHolds,
  maxSearchLookups,
  searchLookupValues,
  sortableNumber,
} from '../../lambdas/domain/search/search-lookups.ts';
import { parseSearchQuery } from '../../lambdas/domain/search/search-query.ts';

const ticket = (id: number, fields: Record<string, unknown>): StoredRecord<object> => ({
  accountId: 'acc',
  ref: { type: 'ticket', id },
  version: 1,
  createdAt: '2026-01-01T10:00:00.000Z',
  updatedAt: '2026-01-02T10:00:00.000Z',
  fields: { status: 2, priority: 1, responder_id: null, group_id: null, tags: [], type: null, ...fields },
  subjects: [],
});

/** Lookup items in memory, as the store keeps them: each read answers ids in id order, up to a limit. */
class RecordedReader implements LookupReader {
  readonly reads: Array<{ lookup: Lookup; limit: number }> = [];
  readonly checked: number[] = [];

  constructor(private readonly records: readonly StoredRecord<object>[]) {}

  async read(lookup: Lookup, limit: number): Promise<LookupRead> {
    this.reads.push({ lookup, limit });
    const ids = this.records
      .filter((record) => lookupHolds(searchLookupValues(record), lookup))
      .map((record) => record.ref.id);
    return { ids: ids.slice(0, limit), complete: ids.length <= limit };
  }

  async lookupValues(ids: readonly number[]) {
    this.checked.push(...ids);
    return new Map(
      this.records
        .filter((record) => ids.includes(record.ref.id))
        .map((record) => [record.ref.id, searchLookupValues(record)] as const),
    );
  }
}

/** As RecordedReader, and checks candidates by key on the lookup item, as the store's reader can. */
class KeyedReader extends RecordedReader {
  readonly keyed: Array<{ lookup: Lookup; ids: number[] }> = [];

  async holding(lookup: Lookup, ids: readonly number[]) {
    this.keyed.push({ lookup, ids: [...ids] });
    const held = await super.lookupValues(ids);
    this.checked.length = 0;
    return new Set(ids.filter((id) => lookupHolds(held.get(id) ?? {}, lookup)));
  }
}

const catalogue = new SearchCatalogue('tickets', []);
const run = (
  reader: LookupReader,
  query: string,
  bounds: SearchBounds = { firstRead: 2, maxRead: 4, maxMatches: 6 },
) =>
  new SearchExecutor(reader, bounds).matchingIds(parseSearchQuery(`"${query}"`, 'tickets').plan, catalogue);

// Tags stand for a second equality field: group_id with priority would be read as one pair lookup.
const records = [
  ticket(1, { priority: 4, tags: ['g7'] }),
  ticket(2, { priority: 4, tags: ['g8'] }),
  ticket(3, { priority: 4, tags: ['a', 'g7'] }),
  ticket(4, { priority: 1, tags: ['g7'] }),
  ticket(5, { priority: 4 }),
];

describe('SearchExecutor', () => {
  it('intersects the lookups of an alternative and unions the alternatives, newest first', async () => {
    const reader = new RecordedReader(records);
    expect(await run(reader, "priority:4 AND tag:'g7'")).toEqual([3, 1]);
    expect(await run(reader, "tag:'g8' OR tag:'a'")).toEqual([3, 2]);
    expect(await run(reader, 'tag:null OR priority:1')).toEqual([5, 4]);
  });

  it('reads a lookup once however often the query repeats it', async () => {
    const reader = new RecordedReader(records);
    await run(reader, "(tag:'g8' AND priority:4) OR (tag:'g8' AND status:2)");
    const groupReads = reader.reads.filter(({ lookup }) => lookup.kind === 'eq' && lookup.name === 's:tag');
    expect(groupReads).toHaveLength(1);
  });

  it('merges range terms of a field into one range read', async () => {
    const reader = new RecordedReader(records);
    expect(await run(reader, "priority:>2 AND priority:<3 AND tag:'g7'")).toEqual([]);
    expect(reader.reads.filter(({ lookup }) => lookup.kind === 'range')).toHaveLength(1);
  });

  it('checks candidates of a complete lookup against an incomplete one by their lookup values', async () => {
    const reader = new RecordedReader(records);
    // tag:'g8' is complete within 2 ids; priority:4 (4 records) is not.
    expect(await run(reader, "priority:4 AND tag:'g8'")).toEqual([2]);
    expect(reader.reads.every(({ limit }) => limit === 2)).toBe(true);
    // 2 was not among the 2 ids read of priority:4 (1 and 2 are: so nothing is left to check).
    expect(reader.checked).toEqual([]);
    expect(await run(reader, 'priority:4 AND tag:null')).toEqual([5]);
    expect(reader.checked).toEqual([5]);
  });

  it('grows one lookup at a time, equality terms first, and stops once one is complete', async () => {
    // Prepare: priority:4 holds 1, 2, 3, 5; tag:'g7' holds 1, 3, 4.
    const reader = new RecordedReader(records);

    // Act
    const found = await run(reader, "priority:4 AND tag:'g7'", {
      probe: 1,
      firstRead: 2,
      maxRead: 4,
      maxMatches: 6,
    });

    // Assess: both probed, both grown to 2, then only the tag to 4, where it is complete.
    expect(found).toEqual([3, 1]);
    expect(reader.reads.map(({ lookup, limit }) => `${lookup.kind}:${limit}`)).toEqual([
      'eq:1',
      'range:1',
      'eq:2',
      'range:2',
      'eq:4',
    ]);
    // 3 and 4 were not among the 2 ids read of priority:4: checked by their lookup values.
    expect(reader.checked).toEqual([3, 4]);
  });

  it('checks candidates by key when one lookup is left open, by lookup values when several are', async () => {
    // Prepare: tag:'g7' (1, 3, 4) is complete within 3; priority:4 and type:null are not.
    const bounds = { probe: 1, firstRead: 3, maxRead: 3, maxMatches: 6 };
    const oneOpen = new KeyedReader(records);
    const twoOpen = new KeyedReader(records);

    // Act
    const byKey = await run(oneOpen, "priority:4 AND tag:'g7'", bounds);
    const byValues = await run(twoOpen, "type:null AND priority:4 AND tag:'g7'", bounds);

    // Assess: 3 and 4 were not among the id read of priority:4.
    expect(byKey).toEqual([3, 1]);
    expect(oneOpen.keyed.map(({ ids }) => ids)).toEqual([[3, 4]]);
    expect(oneOpen.checked).toEqual([]);
    expect(byValues).toEqual([3, 1]);
    expect(twoOpen.keyed).toEqual([]);
    expect(twoOpen.checked).toEqual([3, 4]);
  });

  it('refuses a query whose alternative has no lookup within maxRead, or that matches too many', async () => {
    const reader = new RecordedReader(records);
    await expect(run(reader, 'status:2', { firstRead: 1, maxRead: 4, maxMatches: 10 })).rejects.toThrow(
      SearchTooBroadError,
    );
    await expect(run(reader, 'status:2', { firstRead: 5, maxRead: 5, maxMatches: 4 })).rejects.toMatchObject({
      errors: [{ field: 'query', message: 'The query matches more than 4 records; add a narrower term' }],
    });
  });
  it('reads equality terms on two paired fields as one pair lookup, the fewest records first', async () => {
    // Prepare: agent 7 and group 3 hold 2 tickets together, priority 4 one of them.
    const paired = [
      ticket(1, { responder_id: 7, group_id: 3, priority: 4 }),
      ticket(2, { responder_id: 7, group_id: 3, priority: 1 }),
      ticket(3, { responder_id: 7, group_id: 4, priority: 4 }),
      ticket(4, { responder_id: 8, group_id: 3, priority: 4 }),
    ];
    const reader = new RecordedReader(paired);

    // Act
    const found = await run(reader, 'priority:4 AND group_id:3 AND agent_id:7', {
      probe: 1,
      firstRead: 2,
      maxRead: 4,
      maxMatches: 6,
    });

    // Assess: agent and group are one lookup, grown first; priority (not a pair: none left) is checked.
    expect(found).toEqual([1]);
    const names = reader.reads.map(({ lookup }) => (lookup.kind === 'eq' ? lookup.name : lookup.field));
    expect(new Set(names)).toEqual(new Set(['s:agent_id+group_id', 'priority']));
    expect(reader.reads[2]).toMatchObject({
      lookup: { name: 's:agent_id+group_id', value: '[7,3]' },
      limit: 2,
    });
  });
});

describe('searchLookupValues', () => {
  it('keeps at most maxSearchLookups values, built-in fields first', () => {
    const custom = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`cf_f${i}`, `v${i}`]));
    const values = searchLookupValues(ticket(1, { tags: ['x'], custom_fields: custom }));
    expect(Object.keys(values)).toHaveLength(maxSearchLookups);
    expect(values).toHaveProperty(['s:tag|"x"']);
    expect(values).toHaveProperty(['r:updated_at'], '2026-01-02T10:00:00.000Z');
  });

  it('holds every pair of agent, group, status and priority, whatever else the ticket holds', () => {
    const custom = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`cf_f${i}`, `v${i}`]));
    const tags = Array.from({ length: 30 }, (_, i) => `t${i}`);
    const values = searchLookupValues(
      ticket(1, { responder_id: 7, group_id: null, status: 3, tags, custom_fields: custom }),
    );
    expect(Object.keys(values)).toHaveLength(maxSearchLookups);
    expect(Object.entries(values).filter(([key]) => key.includes('+'))).toEqual([
      ['s:agent_id+group_id|[7,null]', '[7,null]'],
      ['s:agent_id+status|[7,3]', '[7,3]'],
      ['s:agent_id+priority|[7,1]', '[7,1]'],
      ['s:group_id+status|[null,3]', '[null,3]'],
      ['s:group_id+priority|[null,1]', '[null,1]'],
      ['s:status+priority|[3,1]', '[3,1]'],
    ]);
    expect(values).toHaveProperty(['s:tag|"t19"']);
  });

  it('holds none for types search does not serve', () => {
    expect(searchLookupValues({ ...ticket(1, {}), ref: { type: 'conversation', id: 1 } })).toEqual({});
  });
});

describe('sortableNumber', () => {
  it('sorts as text as the integers do, over the whole safe range', () => {
    const numbers = [-(2 ** 53 - 1), -1000, -3, -2, 0, 2, 3, 10, 2 ** 53 - 2, 2 ** 53 - 1];
    const encoded = numbers.map(sortableNumber);
    expect([...encoded].sort()).toEqual(encoded);
    expect(new Set(encoded).size).toBe(numbers.length);
  });
});
