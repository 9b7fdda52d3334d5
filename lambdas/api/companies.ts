import { z } from 'zod';
import {
  CompanyService,
  companyView,
  createCompanySchema,
  updateCompanySchema,
} from '#domain/companies/company-service';
import { etagOf } from '#domain/records/record';
import { getRuntime } from '#adapters/runtime';
import { type ApiDependencies, lazyHandler } from '#http/api-handler';
import { nextPageLink, paginationSchema, parseJsonBody, parseQuery, pathId } from '#http/request';
import { jsonResponse, noContent } from '#http/responses';
import { type RouteHandler, routedApi } from '#http/routed-api';

export const companyListQuerySchema = z.object(paginationSchema).strict();

/** /api/v2/companies: thin routing over CompanyService. */
export function createCompaniesHandler(deps: ApiDependencies & { companies: CompanyService }) {
  const routes: Record<string, RouteHandler> = {
    'POST /api/v2/companies': async (event, principal) => {
      const record = await deps.companies.create(principal, parseJsonBody(event, createCompanySchema));
      return jsonResponse(201, companyView(record), {
        etag: etagOf(record),
        location: `/api/v2/companies/${record.ref.id}`,
      });
    },
    'GET /api/v2/companies': async (event, principal) => {
      const query = parseQuery(event, companyListQuerySchema);
      const page = await deps.companies.list(principal, { page: query.page, perPage: query.per_page });
      return jsonResponse(
        200,
        page.records.map(companyView),
        page.hasMore ? nextPageLink(event, query.page, query.per_page) : {},
      );
    },
    'GET /api/v2/companies/{id}': async (event, principal) => {
      const record = await deps.companies.get(principal, pathId(event));
      return jsonResponse(200, companyView(record), { etag: etagOf(record) });
    },
    'PUT /api/v2/companies/{id}': async (event, principal) => {
      const id = pathId(event);
      const record = await deps.companies.update(
        principal,
        id,
        parseJsonBody(event, updateCompanySchema),
        event.headers?.['if-match'],
      );
      return jsonResponse(200, companyView(record), { etag: etagOf(record) });
    },
    'DELETE /api/v2/companies/{id}': async (event, principal) => {
      await deps.companies.softDelete(principal, pathId(event));
      return noContent();
    },
  };
  return routedApi(deps, routes);
}

export const handler = lazyHandler(() => {
  const runtime = getRuntime();
  return createCompaniesHandler({
    ...runtime,
    homeRegion: runtime.env.HOME_REGION,
    companies: new CompanyService({ store: runtime.records, now: runtime.now, newId: runtime.newId }),
  });
});
