import fc from 'fast-check';
import type {
  QueryNode,
  QueryTerm,
  QueryValue,
  TermOperator,
} from '../../lambdas/domain/search/query-ast.ts';
import type { QueryPlan } from '../../lambdas/domain/search/query-plan.ts';
import type { LookupEntry, SearchDocument } from '../../lambdas/domain/search/search-document.ts';
import {
  type CustomSearchField,
  SearchCatalogue,
  type SearchField,
  type SearchResource,
} from '../../lambdas/domain/search/search-fields.ts';
import { SearchQueryError } from '../../lambdas/domain/search/search-query-error.ts';

type PlainTerm = Omit<QueryTerm, 'position' | 'valuePosition'>;
/** A query tree without positions: what round trips and generators compare. */
export type PlainQuery = QueryNode<PlainTerm>;

const valueOf = (value: number | string | boolean | null): QueryValue => {
  if (value === null) return { type: 'null' };
  if (typeof value === 'number') return { type: 'integer', value };
  if (typeof value === 'string') return { type: 'string', value };
  return { type: 'boolean', value };
};

export const term = (
  field: string,
  operator: TermOperator,
  value: number | string | boolean | null,
): PlainTerm => ({
  kind: 'term',
  field,
  operator,
  value: valueOf(value),
});

export function withoutPositions(node: QueryNode): PlainQuery {
  if (node.kind !== 'term') return { kind: node.kind, operands: node.operands.map(withoutPositions) };
  const { position: _position, valuePosition: _valuePosition, ...rest } = node;
  return rest;
}

/** The SearchQueryError `work` throws; fails on any other outcome. */
export function queryErrorOf(work: () => unknown): SearchQueryError {
  try {
    work();
  } catch (error) {
    if (error instanceof SearchQueryError) return error;
    throw error;
  }
  throw new Error('no SearchQueryError');
}

/** Groups of two or three operands over `terms`, at most three levels deep. */
export const queryOf = <Term>(terms: fc.Arbitrary<Term>): fc.Arbitrary<QueryNode<Term>> =>
  fc.letrec<{ node: QueryNode<Term>; group: QueryNode<Term> }>((tie) => ({
    node: fc.oneof({ maxDepth: 3, depthSize: 'small' }, terms, tie('group')),
    group: fc.record({
      kind: fc.constantFrom('and' as const, 'or' as const),
      operands: fc.array(tie('node'), { minLength: 2, maxLength: 3 }),
    }),
  })).node;

const keywords = new Set(['AND', 'OR', 'true', 'false', 'null']);

/** Any syntactically valid term: field names, comparisons and values the grammar takes, unchecked. */
export const anyTerm: fc.Arbitrary<PlainTerm> = fc.record({
  kind: fc.constant('term' as const),
  field: fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,8}$/).filter((name) => !keywords.has(name)),
  operator: fc.constantFrom<TermOperator>('eq', 'gte', 'lte'),
  value: fc.oneof(
    fc.maxSafeNat().map((value) => valueOf(value)),
    fc.string({ maxLength: 12 }).map((value) => valueOf(value)),
    fc.boolean().map((value) => valueOf(value)),
    fc.constant(valueOf(null)),
  ),
});

/** Custom fields of the generated accounts (contacts' names carry no `cf_`, as stored). */
export const customFieldsOf: Record<SearchResource, CustomSearchField[]> = {
  tickets: [
    { name: 'cf_story_points', type: 'number' },
    { name: 'cf_region', type: 'string' },
    { name: 'cf_vip', type: 'boolean' },
    { name: 'cf_renewal', type: 'date' },
  ],
  contacts: [
    { name: 'plan_level', type: 'string' },
    { name: 'seats', type: 'number' },
  ],
  companies: [{ name: 'cf_tier', type: 'string' }],
};

export const catalogueOf = (resource: SearchResource) =>
  new SearchCatalogue(resource, customFieldsOf[resource]);

// Small pools, so that generated queries often match generated records; variants differ only in what
// the field's normalisation ignores.
const days = ['2017-01-01', '2017-01-02', '2017-01-03'];
const instants = [
  '2017-01-01T00:00:00.000Z',
  '2017-01-01T23:59:59.999Z',
  '2017-01-02T01:00:00+02:00',
  '2017-01-02T12:30:00Z',
  '2017-01-03T23:59:59Z',
];
const emails = ['ann@example.com', ' Ann@Example.COM', 'bob@example.com'];
const phones = ['+49 30 1234', '+49301234', '030-1234', '0301234', 'n/a'];
const texts = ['Urgent', ' urgent ', 'billing', "it's (x) AND y", 'Billing'];
const stringPool = (field: SearchField) => {
  if (field.name === 'email') return emails;
  if (field.name === 'phone' || field.name === 'mobile') return phones;
  return texts;
};
const usable = (field: SearchField) => (text: string) => (field.normalise?.(text) ?? text) !== '';

function valueArbitrary(field: SearchField, operator: TermOperator): fc.Arbitrary<number | string | boolean> {
  switch (field.type) {
    case 'id':
      return fc.integer({ min: 1, max: 3 });
    case 'enum':
      return operator === 'eq' ? fc.constantFrom(...(field.choices ?? [])) : fc.integer({ min: 0, max: 6 });
    case 'number':
      return fc.integer({ min: 0, max: 4 });
    case 'string':
      return fc.constantFrom(...stringPool(field).filter(usable(field)));
    case 'date':
      return fc.constantFrom(...days);
    case 'boolean':
      return fc.boolean();
  }
}

const rangeTypes = new Set(['enum', 'number', 'date']);

/** Names a query may use for a field: its own, and for custom fields the other `cf_` spelling. */
const namesOf = (field: SearchField, resource: SearchResource) =>
  customFieldsOf[resource].some((custom) => custom.name === field.name)
    ? [field.name, field.name.startsWith('cf_') ? field.name.slice(3) : `cf_${field.name}`]
    : [field.name];

/** A term the resource's fields accept. */
export function validTerm(resource: SearchResource): fc.Arbitrary<PlainTerm> {
  const fields = catalogueOf(resource).fields;
  return fc.constantFrom(...fields).chain((field) => {
    const operators: TermOperator[] = rangeTypes.has(field.type) ? ['eq', 'gte', 'lte'] : ['eq'];
    return fc
      .record({
        kind: fc.constant('term' as const),
        field: fc.constantFrom(...namesOf(field, resource)),
        operator: fc.constantFrom(...operators),
      })
      .chain((partial) => {
        const value = valueArbitrary(field, partial.operator);
        const withNull =
          field.nullable && partial.operator === 'eq' ? fc.oneof(value, fc.constant(null)) : value;
        return withNull.map((raw) => ({ ...partial, value: valueOf(raw) }));
      });
  });
}

function documentValue(field: SearchField): fc.Arbitrary<unknown> {
  if (field.type === 'string') {
    const one = fc.constantFrom(...stringPool(field));
    return fc.oneof(
      field.multiValued ? fc.array(one, { maxLength: 3 }) : one,
      fc.constant(null),
      fc.constant(''),
    );
  }
  if (field.type === 'date') return fc.oneof(fc.constantFrom(...instants), fc.constant(null));
  if (field.type === 'boolean') return fc.boolean();
  const numbers =
    field.type === 'enum' ? fc.constantFrom(...(field.choices ?? [])) : fc.integer({ min: 0, max: 4 });
  return field.nullable ? fc.oneof(numbers, fc.constant(null)) : numbers;
}

/** A record of the resource, each field drawn from the pools above (sometimes absent). */
export function documentOf(resource: SearchResource): fc.Arbitrary<SearchDocument> {
  const fields = catalogueOf(resource).fields;
  return fc.record(Object.fromEntries(fields.map((field) => [field.name, documentValue(field)])), {
    requiredKeys: [],
  });
}

/** A plan run the way a store runs it: each term reads lookup items; AND intersects, OR unions. */
export function planMatches(plan: QueryPlan, entries: readonly LookupEntry[]): boolean {
  return plan.alternatives.some((terms) =>
    terms.every((lookup) =>
      entries.some(({ field, value }) => {
        if (field !== lookup.field) return false;
        if (lookup.op === 'null' || value === null) return lookup.op === 'null' && value === null;
        if (lookup.op === 'eq') return value === lookup.value;
        const held = value as string | number;
        const bound = lookup.value as string | number;
        return lookup.op === 'gte' ? held >= bound : held <= bound;
      }),
    ),
  );
}
