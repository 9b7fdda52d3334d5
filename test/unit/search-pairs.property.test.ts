import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { StoredRecord } from '../../lambdas/domain/records/record.ts';
import { printQuery } from '../../lambdas/domain/search/query-printer.ts';
import { evaluateQuery } from '../../lambdas/domain/search/reference-evaluation.ts';
import {
  type LookupRead,
  type LookupReader,
  SearchExecutor,
} from '../../lambdas/domain/search/search-executor.ts';
import { SearchCatalogue } from '../../lambdas/domain/search/search-fields.ts';
import { type Lookup, lookupHolds, searchLookupValues } from '../../lambdas/domain/search/search-lookups.ts';
import { parseSearchQuery } from '../../lambdas/domain/search/search-query.ts';
import { queryOf, term } from './search-query.arbitraries.ts';

const at = '2026-01-01T10:00:00.000Z';

/** Tickets over few values of the paired fields, so generated queries match some of them. */
const ticketFields = fc.record({
  responder_id: fc.constantFrom(null, 1, 2),
  group_id: fc.constantFrom(null, 1, 2),
  status: fc.constantFrom(2, 3),
  priority: fc.constantFrom(1, 4),
});

/** Terms on the paired fields (equality, null, ranges) and one unpaired field. */
const pairedTerm = fc.oneof(
  fc
    .tuple(fc.constantFrom('agent_id', 'group_id'), fc.constantFrom(null, 1, 2))
    .map(([field, value]) => term(field, 'eq', value)),
  fc
    .tuple(fc.constantFrom('status', 'priority'), fc.constantFrom(2, 3, 1, 4))
    .map(([field, value]) => term(field, 'eq', field === 'status' ? Math.max(2, Math.min(5, value)) : value)),
  fc
    .tuple(fc.constantFrom('status', 'priority'), fc.constantFrom('gte' as const, 'lte' as const), fc.nat(5))
    .map(([field, operator, value]) => term(field, operator, value)),
  fc.constant(term('tag', 'eq', null)),
);

/** Lookup items in memory, as the store keeps them, every read complete. */
const readerOver = (records: readonly StoredRecord<object>[]): LookupReader => ({
  async read(lookup: Lookup, limit: number): Promise<LookupRead> {
    const ids = records
      .filter((record) => lookupHolds(searchLookupValues(record), lookup))
      .map((r) => r.ref.id);
    return { ids: ids.slice(0, limit), complete: ids.length <= limit };
  },
  async lookupValues(ids) {
    return new Map(
      records
        .filter((record) => ids.includes(record.ref.id))
        .map((r) => [r.ref.id, searchLookupValues(r)] as const),
    );
  },
});

describe('pair lookups', () => {
  it('find through the executor exactly the tickets the reference evaluation finds', async () => {
    await fc.assert(
      fc.asyncProperty(
        queryOf(pairedTerm),
        fc.array(ticketFields, { minLength: 1, maxLength: 12 }),
        async (query, rows) => {
          const records: StoredRecord<object>[] = rows.map((fields, index) => ({
            accountId: 'acc',
            ref: { type: 'ticket', id: index + 1 },
            version: 1,
            createdAt: at,
            updatedAt: at,
            fields: { ...fields, tags: [], type: null },
            subjects: [],
          }));
          let parsed;
          try {
            parsed = parseSearchQuery(`"${printQuery(query)}"`, 'tickets');
          } catch {
            return fc.pre(false);
          }
          const bounds = { probe: 1, firstRead: 2, maxRead: 100, maxMatches: 100 };
          const found = await new SearchExecutor(readerOver(records), bounds).matchingIds(
            parsed.plan,
            new SearchCatalogue('tickets', []),
          );
          const expected = rows
            .map((fields, index) => ({ id: index + 1, fields }))
            .filter(({ fields }) =>
              evaluateQuery(parsed.query, {
                agent_id: fields.responder_id,
                group_id: fields.group_id,
                status: fields.status,
                priority: fields.priority,
                tag: [],
                type: null,
                created_at: at,
                updated_at: at,
              }),
            )
            .map(({ id }) => id)
            .reverse();
          expect(found).toEqual(expected);
        },
      ),
      { numRuns: 500 },
    );
  });
});
