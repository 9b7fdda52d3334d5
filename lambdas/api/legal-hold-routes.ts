import { z } from 'zod';
import { createLegalHoldSchema, legalHoldView } from '#domain/holds/legal-hold';
import type { LegalHoldService } from '#domain/holds/legal-hold-service';
import { etagOf } from '#domain/records/record';
import { listPaging, nextPageLink, paginationSchema, parseJsonBody, parseQuery, pathId } from '#http/request';
import { jsonResponse } from '#http/responses';
import type { RouteHandler } from '#http/routed-api';

export const legalHoldListQuerySchema = z.object(paginationSchema).strict();

const path = '/api/v2/legal_holds';

/** /api/v2/legal_holds (our addition): place, list, view and release legal holds (docs/legal-holds.md). */
export function legalHoldRoutes(deps: {
  holds: LegalHoldService;
  now: () => Date;
}): Record<string, RouteHandler> {
  return {
    [`POST ${path}`]: async (event, principal) => {
      const hold = await deps.holds.create(principal, parseJsonBody(event, createLegalHoldSchema));
      return jsonResponse(201, legalHoldView(hold, deps.now()), {
        etag: etagOf(hold),
        location: `${path}/${hold.ref.id}`,
      });
    },
    [`GET ${path}`]: async (event, principal) => {
      const paging = listPaging(parseQuery(event, legalHoldListQuerySchema));
      const page = await deps.holds.list(principal, paging);
      const at = deps.now();
      return jsonResponse(
        200,
        page.records.map((hold) => legalHoldView(hold, at)),
        nextPageLink(event, paging, page),
      );
    },
    [`GET ${path}/{id}`]: async (event, principal) => {
      const hold = await deps.holds.get(principal, pathId(event));
      return jsonResponse(200, legalHoldView(hold, deps.now()), { etag: etagOf(hold) });
    },
    [`DELETE ${path}/{id}`]: async (event, principal) => {
      const hold = await deps.holds.release(principal, pathId(event));
      return jsonResponse(200, legalHoldView(hold, deps.now()));
    },
  };
}
