import type { QueryNode, QueryTerm } from './query-ast.ts';
import type { SearchCatalogue, SearchField } from './search-fields.ts';
import { SearchQueryError } from './search-query-error.ts';

/** A term whose field is known: `field` is the field's own name, whatever alias the query used. */
export interface CheckedTerm extends QueryTerm {
  readonly searchField: SearchField;
}

export type CheckedQuery = QueryNode<CheckedTerm>;

const dayPattern = /^\d{4}-\d{2}-\d{2}$/;

/** Whether text is a real calendar day written 'YYYY-MM-DD'. */
export const isDay = (text: string) =>
  dayPattern.test(text) && !Number.isNaN(Date.parse(text)) && new Date(text).toISOString().startsWith(text);

const rangeTypes = new Set<SearchField['type']>(['enum', 'number', 'date']);

/** Why a term's value or operator does not fit its field, or undefined when it fits. */
function misfit(term: QueryTerm, field: SearchField): { detail: string; position: number } | undefined {
  const { value, operator } = term;
  const name = `'${field.name}'`;
  const atValue = (detail: string) => ({ detail, position: term.valuePosition });
  if (operator !== 'eq' && !rangeTypes.has(field.type)) {
    return {
      detail: `${name} takes ':' only (':>' and ':<' need a number or a date field)`,
      position: term.position,
    };
  }
  if (value.type === 'null') {
    if (operator !== 'eq') return atValue(`null goes with ':' only`);
    return field.nullable ? undefined : atValue(`${name} always has a value; null is not allowed`);
  }
  switch (field.type) {
    case 'id':
    case 'number':
      return value.type === 'integer' ? undefined : atValue(`${name} takes an integer`);
    case 'enum': {
      const choices = field.choices ?? [];
      if (value.type !== 'integer') return atValue(`${name} takes an integer`);
      if (operator === 'eq' && !choices.includes(value.value)) {
        return atValue(`${name} takes one of ${choices.join(', ')}`);
      }
      return undefined;
    }
    case 'string':
      if (value.type !== 'string') return atValue(`${name} takes a quoted string`);
      return field.normalise?.(value.value) === ''
        ? atValue(`${name} takes a value with content (null finds records without one)`)
        : undefined;
    case 'date':
      return value.type === 'string' && isDay(value.value)
        ? undefined
        : atValue(`${name} takes a date written 'YYYY-MM-DD'`);
    case 'boolean':
      return value.type === 'boolean' ? undefined : atValue(`${name} takes true or false`);
  }
}

function checkTerm(term: QueryTerm, catalogue: SearchCatalogue): CheckedTerm {
  const field = catalogue.field(term.field);
  if (!field)
    throw new SearchQueryError(term.position, `Unknown field '${term.field}' for ${catalogue.resource}`);
  if (field.encrypted) {
    throw new SearchQueryError(
      term.position,
      `'${field.name}' is encrypted; encrypted fields cannot be searched`,
    );
  }
  const problem = misfit(term, field);
  if (problem) throw new SearchQueryError(problem.position, problem.detail);
  return { ...term, field: field.name, searchField: field };
}

/**
 * The query with every term's field resolved in the catalogue. Throws SearchQueryError for the first
 * unknown field, or a value or operator its field does not take, naming the field and the position.
 */
export function checkQuery(node: QueryNode, catalogue: SearchCatalogue): CheckedQuery {
  if (node.kind === 'term') return checkTerm(node, catalogue);
  return { kind: node.kind, operands: node.operands.map((operand) => checkQuery(operand, catalogue)) };
}
