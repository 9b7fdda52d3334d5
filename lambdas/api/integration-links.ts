import { z } from 'zod';
import { ValidationError } from '#domain/errors';
import {
  createIntegrationLinkSchema,
  IntegrationLinkService,
  integrationLinkView,
  linkableRecordTypes,
  updateIntegrationLinkSchema,
} from '#domain/integrations/integration-link-service';
import { getRuntime } from '#adapters/runtime';
import { type ApiDependencies, lazyHandler } from '#http/api-handler';
import { crudRoutes } from '#http/crud-routes';
import { listPaging, nextPageLink, paginationSchema, parseQuery } from '#http/request';
import { jsonResponse } from '#http/responses';
import { routedApi } from '#http/routed-api';

export const integrationLinkListQuerySchema = z
  .object({
    ...paginationSchema,
    record_type: z.enum(linkableRecordTypes).optional(),
    record_id: z.coerce.number().int().positive().optional(),
    app: z.string().min(1).max(64).optional(),
  })
  .strict();

/** /api/v2/integration_links (our addition): CRUD, listed by record or by app. */
export function createIntegrationLinksHandler(deps: ApiDependencies & { links: IntegrationLinkService }) {
  const path = '/api/v2/integration_links';
  return routedApi(deps, {
    ...crudRoutes({
      path,
      // The list route is replaced below (its filters are not a parent id).
      service: {
        create: (principal, input) => deps.links.create(principal, input),
        get: (principal, id) => deps.links.get(principal, id),
        update: (principal, id, changes, ifMatch) => deps.links.update(principal, id, changes, ifMatch),
        softDelete: (principal, id) => deps.links.softDelete(principal, id),
        restore: (principal, id) => deps.links.restore(principal, id),
        list: (principal, paging) => deps.links.list(principal, paging),
      },
      view: integrationLinkView,
      createSchema: createIntegrationLinkSchema,
      updateSchema: updateIntegrationLinkSchema,
      listQuerySchema: integrationLinkListQuerySchema,
    }),
    [`GET ${path}`]: async (event, principal) => {
      const query = parseQuery(event, integrationLinkListQuerySchema);
      const { record_type: type, record_id: id, app } = query;
      if ((type === undefined) !== (id === undefined) || (type && app)) {
        throw new ValidationError([
          {
            field: type === undefined ? 'record_type' : id === undefined ? 'record_id' : 'app',
            message: 'Filter by a record (record_type and record_id together) or by app, not both',
            code: 'invalid_value',
          },
        ]);
      }
      const paging = listPaging(query);
      const page = await deps.links.list(principal, paging, {
        record: type && id ? { type, id } : undefined,
        app,
      });
      return jsonResponse(
        200,
        page.records.map((record) => integrationLinkView(record)),
        nextPageLink(event, paging, page),
      );
    },
  });
}

export const handler = lazyHandler(() => {
  const runtime = getRuntime('integrationLinks');
  return createIntegrationLinksHandler({
    ...runtime,
    links: new IntegrationLinkService({ store: runtime.records, now: runtime.now, newId: runtime.newId }),
  });
});
