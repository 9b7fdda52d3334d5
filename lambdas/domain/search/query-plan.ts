import { startOf } from './query-ast.ts';
import type { CheckedQuery, CheckedTerm } from './query-check.ts';
import { SearchQueryError } from './search-query-error.ts';

/**
 * One lookup a store reads: records whose `field` equals `value` (`eq`), is at least or at most `value`
 * (`gte`, `lte`), or has no value (`null`). Values are normalised as the lookup items store them:
 * strings by the field's `normalise` (e-mail lower-cased, phone digits only), dates as ISO instants
 * bounding a UTC day, numbers and booleans as they are.
 */
export interface LookupTerm {
  readonly field: string;
  readonly op: 'eq' | 'gte' | 'lte' | 'null';
  readonly value: string | number | boolean | null;
}

/**
 * A query as OR of ANDs: a record matches when it matches every term of at least one alternative.
 *
 * How a store serves it without Scan: each distinct term is one DynamoDB Query on the lookup items of
 * its field (partition: account, resource and field; sort key: the normalised value, then the record
 * id). `eq` and `null` read one sort-key value (`null` reads the "no value" marker the record's write
 * put there); `gte` and `lte` read a sort-key range on the date and number lookups (numbers written in a
 * sortable form), and a `gte` and `lte` on one field in one alternative make a single BETWEEN Query.
 * AND intersects the terms' id sets, OR unions the alternatives' sets, then the page is read by id.
 */
export interface QueryPlan {
  readonly alternatives: readonly (readonly LookupTerm[])[];
}

/** At most this many alternatives: `(a OR b) AND (c OR d)` has four. */
export const maxPlanAlternatives = 32;

const dayStart = (day: string) => `${day}T00:00:00.000Z`;
const dayEnd = (day: string) => `${day}T23:59:59.999Z`;

/** The lookups one checked term stands for (a date with `:` is its day's two bounds). */
export function lookupTermsOf(term: CheckedTerm): LookupTerm[] {
  const { field, operator, value, searchField } = term;
  if (value.type === 'null') return [{ field, op: 'null', value: null }];
  if (searchField.type === 'date' && value.type === 'string') {
    const from = { field, op: 'gte', value: dayStart(value.value) } as const;
    const to = { field, op: 'lte', value: dayEnd(value.value) } as const;
    return operator === 'eq' ? [from, to] : [operator === 'gte' ? from : to];
  }
  const normalised =
    value.type === 'string' && searchField.normalise ? searchField.normalise(value.value) : value.value;
  return [{ field, op: operator, value: normalised }];
}

const keyOf = (term: LookupTerm) => JSON.stringify([term.field, term.op, term.value]);

/** One alternative's terms, each once, in a stable order. */
function conjunction(terms: readonly LookupTerm[]): LookupTerm[] {
  const unique = new Map(terms.map((term) => [keyOf(term), term]));
  return [...unique.keys()].sort().map((key) => unique.get(key) as LookupTerm);
}

/** Alternatives, each once. */
function disjunction(alternatives: readonly LookupTerm[][]): LookupTerm[][] {
  const unique = new Map(alternatives.map((terms) => [JSON.stringify(terms.map(keyOf)), terms]));
  return [...unique.values()];
}

function alternativesOf(node: CheckedQuery): LookupTerm[][] {
  if (node.kind === 'term') return [conjunction(lookupTermsOf(node))];
  const parts = node.operands.map(alternativesOf);
  const combined =
    node.kind === 'or'
      ? parts.flat()
      : parts.reduce<LookupTerm[][]>(
          (product, part) => {
            if (product.length * part.length > maxPlanAlternatives) return tooMany(node);
            return product.flatMap((left) => part.map((right) => conjunction([...left, ...right])));
          },
          [[]],
        );
  const alternatives = disjunction(combined);
  return alternatives.length > maxPlanAlternatives ? tooMany(node) : alternatives;
}

function tooMany(node: CheckedQuery): never {
  throw new SearchQueryError(
    startOf(node),
    `The query expands to more than ${maxPlanAlternatives} alternatives (OR of ANDs); use fewer ORs inside ANDs`,
  );
}

/** The plan of a checked query; throws SearchQueryError when it has too many alternatives. */
export function planQuery(query: CheckedQuery): QueryPlan {
  return { alternatives: alternativesOf(query) };
}
