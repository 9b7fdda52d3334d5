import { z } from 'zod';
import { GroupService, groupView, createGroupSchema, updateGroupSchema } from '#domain/groups/group-service';
import { getRuntime } from '#adapters/runtime';
import { type ApiDependencies, lazyHandler } from '#http/api-handler';
import { crudRoutes } from '#http/crud-routes';
import { paginationSchema } from '#http/request';
import { routedApi } from '#http/routed-api';

export const groupListQuerySchema = z.object(paginationSchema).strict();

/** /api/v2/groups: the five Freshdesk v2 operations over GroupService. */
export function createGroupsHandler(deps: ApiDependencies & { groups: GroupService }) {
  return routedApi(
    deps,
    crudRoutes({
      path: '/api/v2/groups',
      service: deps.groups,
      view: groupView,
      createSchema: createGroupSchema,
      updateSchema: updateGroupSchema,
      listQuerySchema: groupListQuerySchema,
    }),
  );
}

export const handler = lazyHandler(() => {
  const runtime = getRuntime('groups');
  return createGroupsHandler({
    ...runtime,
    groups: new GroupService({ store: runtime.records, now: runtime.now, newId: runtime.newId }),
  });
});
