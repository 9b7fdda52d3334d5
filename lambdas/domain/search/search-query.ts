import { type CheckedQuery, checkQuery } from './query-check.ts';
import { parseQueryText } from './query-parser.ts';
import { planQuery, type QueryPlan } from './query-plan.ts';
import { type CustomSearchField, SearchCatalogue, type SearchResource } from './search-fields.ts';
import { SearchQueryError } from './search-query-error.ts';

/** The longest query v2 takes, counted between the double quotes. */
export const maxQueryLength = 512;

export interface SearchQuery {
  readonly query: CheckedQuery;
  readonly plan: QueryPlan;
}

/**
 * The text between the double quotes v2 requires around the `query` parameter (`query="priority:3"`,
 * URL-decoded). Positions in errors count from the first character after the opening quote.
 */
export function queryTextOf(parameter: string): string {
  if (parameter.length < 2 || !parameter.startsWith('"') || !parameter.endsWith('"')) {
    throw new SearchQueryError(0, 'The query must be enclosed in double quotes');
  }
  const text = parameter.slice(1, -1);
  if (text.length > maxQueryLength) {
    throw new SearchQueryError(maxQueryLength, `The query is longer than ${maxQueryLength} characters`);
  }
  return text;
}

/**
 * A `query` parameter of `GET /api/v2/search/{resource}` parsed, checked against the resource's fields
 * (built-in and the account's `customFields`) and planned. Throws SearchQueryError (a ValidationError:
 * v2's 400) for anything else; never any other error.
 */
export function parseSearchQuery(
  parameter: string,
  resource: SearchResource,
  customFields: readonly CustomSearchField[] = [],
): SearchQuery {
  const query = checkQuery(
    parseQueryText(queryTextOf(parameter)),
    new SearchCatalogue(resource, customFields),
  );
  return { query, plan: planQuery(query) };
}
