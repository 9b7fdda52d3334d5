import { z } from 'zod';
import { createRatingSchema, RatingService } from '#domain/satisfaction/rating-service';
import { ratingViewer } from '#domain/requesters/requester-views';
import { getRuntime } from '#adapters/runtime';
import { type ApiDependencies, lazyHandler } from '#http/api-handler';
import { listPaging, nextPageLink, paginationSchema, parseJsonBody, parseQuery, pathId } from '#http/request';
import { jsonResponse } from '#http/responses';
import { type RouteHandler, routedApi } from '#http/routed-api';

export const ratingListQuerySchema = z
  .object({
    ...paginationSchema,
    user_id: z.coerce.number().int().positive().optional(),
    created_since: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();
export const ticketRatingsQuerySchema = z.object(paginationSchema).strict();

/** Satisfaction ratings: create on a ticket, list all (by user, since), list a ticket's. */
export function createSatisfactionRatingsHandler(deps: ApiDependencies & { ratings: RatingService }) {
  const routes: Record<string, RouteHandler> = {
    'POST /api/v2/tickets/{id}/satisfaction_ratings': async (event, principal) => {
      const ticketId = pathId(event);
      const record = await deps.ratings.create(principal, ticketId, parseJsonBody(event, createRatingSchema));
      return jsonResponse(201, ratingViewer(principal)(record));
    },
    'GET /api/v2/surveys/satisfaction_ratings': async (event, principal) => {
      const query = parseQuery(event, ratingListQuerySchema);
      const paging = listPaging(query);
      const page = await deps.ratings.list(principal, {
        ...paging,
        user_id: query.user_id,
        created_since: query.created_since,
      });
      return jsonResponse(200, page.records.map(ratingViewer(principal)), nextPageLink(event, paging, page));
    },
    'GET /api/v2/tickets/{id}/satisfaction_ratings': async (event, principal) => {
      const ticketId = pathId(event);
      const query = parseQuery(event, ticketRatingsQuerySchema);
      const paging = listPaging(query);
      const page = await deps.ratings.listForTicket(principal, ticketId, paging);
      return jsonResponse(200, page.records.map(ratingViewer(principal)), nextPageLink(event, paging, page));
    },
  };
  return routedApi(deps, routes);
}

export const handler = lazyHandler(() => {
  const runtime = getRuntime('satisfactionRatings');
  return createSatisfactionRatingsHandler({
    ...runtime,
    ratings: new RatingService({ store: runtime.records, now: runtime.now, newId: runtime.newId }),
  });
});
