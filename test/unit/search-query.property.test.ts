import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseQueryText } from '../../lambdas/domain/search/query-parser.ts';
import { printQuery } from '../../lambdas/domain/search/query-printer.ts';
import { evaluateQuery } from '../../lambdas/domain/search/reference-evaluation.ts';
import { lookupEntries } from '../../lambdas/domain/search/search-document.ts';
import type { SearchResource } from '../../lambdas/domain/search/search-fields.ts';
import { SearchQueryError } from '../../lambdas/domain/search/search-query-error.ts';
import { maxQueryLength, parseSearchQuery } from '../../lambdas/domain/search/search-query.ts';
import {
  anyTerm,
  catalogueOf,
  customFieldsOf,
  documentOf,
  planMatches,
  queryOf,
  validTerm,
  withoutPositions,
} from './search-query.arbitraries.ts';

const resources: SearchResource[] = ['tickets', 'contacts', 'companies'];

/** A resource, a query its fields accept, and records of it. */
const searchCase = fc.constantFrom(...resources).chain((resource) =>
  fc.record({
    resource: fc.constant(resource),
    query: queryOf(validTerm(resource)),
    documents: fc.array(documentOf(resource), { minLength: 1, maxLength: 8 }),
  }),
);

/** Text close to the language: its tokens and characters around them, in any order. */
const tokenSoup = fc
  .array(
    fc.constantFrom(
      'status',
      'email',
      'created_at',
      'cf_region',
      ':',
      ':>',
      ':<',
      '>',
      "'",
      "'2017-01-01'",
      "'x@y.com'",
      '\\',
      '"',
      '(',
      ')',
      ' AND ',
      ' OR ',
      ' ',
      '2',
      '-1',
      '99999999999999999999',
      'null',
      'true',
      'false',
      'é',
    ),
    { maxLength: 30 },
  )
  .map((parts) => parts.join(''));

// Thousands of generated cases each; the 2-core machine is shared, so a test may take some seconds.
describe('filter search properties', { timeout: 30_000 }, () => {
  it('prints every query as text that parses back to the same tree', () => {
    fc.assert(
      fc.property(queryOf(anyTerm), (query) => {
        expect(withoutPositions(parseQueryText(printQuery(query)))).toEqual(query);
      }),
      { numRuns: 500 },
    );
  });

  it("finds through the plan's lookups exactly the records the reference evaluation finds", () => {
    fc.assert(
      fc.property(searchCase, ({ resource, query, documents }) => {
        const text = printQuery(query);
        fc.pre(text.length <= maxQueryLength);
        let parsed;
        try {
          parsed = parseSearchQuery(`"${text}"`, resource, customFieldsOf[resource]);
        } catch (error) {
          // Deeply nested ORs inside ANDs may exceed the plan's bound; nothing else may fail.
          expect(error instanceof SearchQueryError && error.errors[0]?.message).toMatch(/alternatives/);
          return fc.pre(false);
        }
        const catalogue = catalogueOf(resource);
        for (const document of documents) {
          expect(planMatches(parsed.plan, lookupEntries(document, catalogue))).toBe(
            evaluateQuery(parsed.query, document),
          );
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('answers any other text with a SearchQueryError at a position inside it, or a plan', () => {
    const text = fc.oneof(
      tokenSoup,
      fc.string({ maxLength: 600 }),
      fc.string({ unit: 'binary', maxLength: 40 }),
    );
    fc.assert(
      fc.property(text, fc.constantFrom(...resources), fc.boolean(), (inner, resource, quoted) => {
        try {
          const parsed = parseSearchQuery(quoted ? `"${inner}"` : inner, resource, customFieldsOf[resource]);
          expect(parsed.plan.alternatives.length).toBeGreaterThan(0);
        } catch (error) {
          expect(error).toBeInstanceOf(SearchQueryError);
          const { position } = error as SearchQueryError;
          expect(position).toBeGreaterThanOrEqual(0);
          expect(position).toBeLessThanOrEqual(Math.min(inner.length, maxQueryLength));
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('answers valid queries with one character removed or added with a plan or a SearchQueryError', () => {
    const mutated = fc
      .tuple(fc.constantFrom(...resources), fc.nat(), fc.constantFrom('', "'", '(', ')', ':', ' ', 'A', '1'))
      .chain(([resource, at, insert]) =>
        queryOf(validTerm(resource)).map((query) => {
          const text = printQuery(query);
          const cut = at % (text.length + 1);
          return { resource, text: text.slice(0, cut) + insert + text.slice(cut + (insert ? 0 : 1)) };
        }),
      );
    fc.assert(
      fc.property(mutated, ({ resource, text }) => {
        try {
          parseSearchQuery(`"${text}"`, resource, customFieldsOf[resource]);
        } catch (error) {
          expect(error).toBeInstanceOf(SearchQueryError);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
