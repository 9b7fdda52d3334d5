import { z } from 'zod';
import {
  CompanyService,
  companyView,
  createCompanySchema,
  updateCompanySchema,
} from '#domain/companies/company-service';
import { getRuntime } from '#adapters/runtime';
import { type ApiDependencies, lazyHandler } from '#http/api-handler';
import { crudRoutes } from '#http/crud-routes';
import { paginationSchema } from '#http/request';
import { routedApi } from '#http/routed-api';

export const companyListQuerySchema = z.object(paginationSchema).strict();

/** /api/v2/companies: the five Freshdesk v2 operations over CompanyService. */
export function createCompaniesHandler(deps: ApiDependencies & { companies: CompanyService }) {
  return routedApi(
    deps,
    crudRoutes({
      path: '/api/v2/companies',
      service: deps.companies,
      view: companyView,
      createSchema: createCompanySchema,
      updateSchema: updateCompanySchema,
      listQuerySchema: companyListQuerySchema,
    }),
  );
}

export const handler = lazyHandler(() => {
  const runtime = getRuntime('companies');
  return createCompaniesHandler({
    ...runtime,
    companies: new CompanyService({ store: runtime.records, now: runtime.now, newId: runtime.newId }),
  });
});
