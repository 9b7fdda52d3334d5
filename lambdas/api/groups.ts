import { z } from 'zod';
import { GroupService, groupView, createGroupSchema, updateGroupSchema } from '#domain/groups/group-service';
import { etagOf } from '#domain/records/record';
import { getRuntime } from '#adapters/runtime';
import { type ApiDependencies, lazyHandler } from '#http/api-handler';
import { nextPageLink, paginationSchema, parseJsonBody, parseQuery, pathId } from '#http/request';
import { jsonResponse, noContent } from '#http/responses';
import { type RouteHandler, routedApi } from '#http/routed-api';

export const groupListQuerySchema = z.object(paginationSchema).strict();

/** /api/v2/groups: thin routing over GroupService. */
export function createGroupsHandler(deps: ApiDependencies & { groups: GroupService }) {
  const routes: Record<string, RouteHandler> = {
    'POST /api/v2/groups': async (event, principal) => {
      const record = await deps.groups.create(principal, parseJsonBody(event, createGroupSchema));
      return jsonResponse(201, groupView(record), {
        etag: etagOf(record),
        location: `/api/v2/groups/${record.ref.id}`,
      });
    },
    'GET /api/v2/groups': async (event, principal) => {
      const query = parseQuery(event, groupListQuerySchema);
      const page = await deps.groups.list(principal, { page: query.page, perPage: query.per_page });
      return jsonResponse(
        200,
        page.records.map(groupView),
        page.hasMore ? nextPageLink(event, query.page, query.per_page) : {},
      );
    },
    'GET /api/v2/groups/{id}': async (event, principal) => {
      const record = await deps.groups.get(principal, pathId(event));
      return jsonResponse(200, groupView(record), { etag: etagOf(record) });
    },
    'PUT /api/v2/groups/{id}': async (event, principal) => {
      const id = pathId(event);
      const record = await deps.groups.update(
        principal,
        id,
        parseJsonBody(event, updateGroupSchema),
        event.headers?.['if-match'],
      );
      return jsonResponse(200, groupView(record), { etag: etagOf(record) });
    },
    'DELETE /api/v2/groups/{id}': async (event, principal) => {
      await deps.groups.softDelete(principal, pathId(event));
      return noContent();
    },
  };
  return routedApi(deps, routes);
}

export const handler = lazyHandler(() => {
  const runtime = getRuntime();
  return createGroupsHandler({
    ...runtime,
    homeRegion: runtime.env.HOME_REGION,
    groups: new GroupService({ store: runtime.records, now: runtime.now, newId: runtime.newId }),
  });
});
