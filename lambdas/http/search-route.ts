import { z } from 'zod';
import type { Principal } from '#domain/account';
import type { StoredRecord } from '#domain/records/record';
import type { SearchResource } from '#domain/search/search-fields';
import { type SearchService, maxSearchPage } from '#domain/search/search-service';
import { parseQuery } from './request.ts';
import { jsonResponse } from './responses.ts';
import type { RouteHandler } from './routed-api.ts';

/** `GET /api/v2/search/{resource}`: v2's `query` (checked by the search grammar) and `page` (1–10). */
export const searchQuerySchema = z
  .object({
    query: z.string().describe('The query in double quotes, e.g. "priority:3 AND status:2" (docs/search.md)'),
    page: z.coerce
      .number()
      .int()
      .min(1)
      .max(maxSearchPage)
      .default(1)
      .describe('From 1 to 10; 30 results a page'),
  })
  .strict();

/** What a filter search answers: one page of `item`s and the number of all matches. */
export const searchResultsSchema = <T extends z.ZodType>(item: T) =>
  z.strictObject({ results: z.array(item), total: z.number().int() });

/** The filter search route of a resource: `{"results": [...], "total": n}`, each record in its list view. */
export function searchRoute<F extends object>(
  resource: SearchResource,
  search: SearchService,
  viewer: (principal: Principal) => Promise<(record: StoredRecord<F>) => unknown>,
): RouteHandler {
  return async (event, principal) => {
    const { query, page } = parseQuery(event, searchQuerySchema);
    const found = await search.search<F>(principal, resource, query, page);
    const view = await viewer(principal);
    return jsonResponse(200, { results: found.records.map(view), total: found.total });
  };
}
