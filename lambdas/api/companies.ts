import { z } from 'zod';
import { SearchService } from '#domain/search/search-service';
import {
  type CompanyFields,
  CompanyService,
  companyView,
  createCompanySchema,
  updateCompanySchema,
} from '#domain/companies/company-service';
import { suggestionView } from '#domain/records/autocomplete';
import { getRuntime } from '#adapters/runtime';
import { type ApiDependencies, lazyHandler } from '#http/api-handler';
import { crudRoutes } from '#http/crud-routes';
import { paginationSchema, parseQuery } from '#http/request';
import { jsonResponse } from '#http/responses';
import { searchRoute } from '#http/search-route';
import { routedApi } from '#http/routed-api';

export const companyListQuerySchema = z.object(paginationSchema).strict();
/** v2's autocomplete takes the beginning of a name. */
export const companyAutocompleteQuerySchema = z
  .object({ name: z.string().trim().min(1, 'It should not be blank').max(255) })
  .strict();

/** /api/v2/companies: the five Freshdesk v2 operations over CompanyService, the autocomplete and search. */
export function createCompaniesHandler(
  deps: ApiDependencies & { companies: CompanyService; search: SearchService },
) {
  return routedApi(deps, {
    'GET /api/v2/companies/autocomplete': async (event, principal) => {
      const { name } = parseQuery(event, companyAutocompleteQuerySchema);
      const companies = await deps.companies.autocomplete(principal, name);
      return jsonResponse(200, { companies: companies.map(suggestionView) });
    },
    'GET /api/v2/search/companies': searchRoute<CompanyFields>(
      'companies',
      deps.search,
      async () => companyView,
    ),
    ...crudRoutes({
      path: '/api/v2/companies',
      service: deps.companies,
      view: companyView,
      createSchema: createCompanySchema,
      updateSchema: updateCompanySchema,
      listQuerySchema: companyListQuerySchema,
    }),
  });
}

export const handler = lazyHandler(() => {
  const runtime = getRuntime('companies');
  const services = { store: runtime.records, now: runtime.now, newId: runtime.newId };
  return createCompaniesHandler({
    ...runtime,
    companies: new CompanyService(services),
    search: new SearchService(services),
  });
});
