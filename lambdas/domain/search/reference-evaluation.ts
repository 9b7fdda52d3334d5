import type { CheckedQuery, CheckedTerm } from './query-check.ts';
import type { SearchDocument } from './search-document.ts';

/**
 * Whether a record matches a checked query, by the language's meaning alone (no lookups, no plan): the
 * oracle the property tests hold the query plan to. Not for serving requests: it reads every record.
 */
export function evaluateQuery(query: CheckedQuery, document: SearchDocument): boolean {
  if (query.kind === 'term') return termHolds(query, document);
  const holds = (operand: CheckedQuery) => evaluateQuery(operand, document);
  return query.kind === 'and' ? query.operands.every(holds) : query.operands.some(holds);
}

/** The values a record holds for the term's field, in the form the term compares (dates: UTC days). */
function valuesFor(term: CheckedTerm, document: SearchDocument): (string | number | boolean)[] {
  const raw = document[term.field];
  const field = term.searchField;
  return (Array.isArray(raw) ? (raw as unknown[]) : [raw]).flatMap((value): (string | number | boolean)[] => {
    if (field.type === 'date') {
      return typeof value === 'string' && !Number.isNaN(Date.parse(value))
        ? [new Date(value).toISOString().slice(0, 10)]
        : [];
    }
    if (field.type === 'string') {
      const text = typeof value === 'string' ? (field.normalise?.(value) ?? value) : '';
      return text === '' ? [] : [text];
    }
    const expected = field.type === 'boolean' ? 'boolean' : 'number';
    return typeof value === expected ? [value as number | boolean] : [];
  });
}

function termHolds(term: CheckedTerm, document: SearchDocument): boolean {
  const values = valuesFor(term, document);
  const { value, operator, searchField } = term;
  if (value.type === 'null') return values.length === 0;
  const wanted =
    value.type === 'string' && searchField.type === 'string'
      ? (searchField.normalise?.(value.value) ?? value.value)
      : value.value;
  return values.some((held) => {
    switch (operator) {
      case 'eq':
        return held === wanted;
      case 'gte':
        return held >= wanted;
      case 'lte':
        return held <= wanted;
    }
  });
}
