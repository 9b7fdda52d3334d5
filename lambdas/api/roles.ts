import { z } from 'zod';
import { roleViews } from '#domain/agents/roles';
import { AccessDeniedError } from '#domain/errors';
import {
  CustomRoleService,
  createCustomRoleSchema,
  customRoleView,
  isFixedRoleId,
  updateCustomRoleSchema,
} from '#domain/roles/custom-role-service';
import {
  SharingRuleService,
  createSharingRuleSchema,
  sharingRuleView,
  updateSharingRuleSchema,
} from '#domain/roles/sharing-rule-service';
import { etagOf } from '#domain/records/record';
import { getRuntime } from '#adapters/runtime';
import { type ApiDependencies, lazyHandler } from '#http/api-handler';
import { crudRoutes } from '#http/crud-routes';
import { listPaging, nextPageLink, paginationSchema, parseQuery, pathId } from '#http/request';
import { jsonResponse } from '#http/responses';
import { type RouteHandler, routedApi } from '#http/routed-api';

export const roleListQuerySchema = z.object(paginationSchema).strict();
export const sharingRuleListQuerySchema = z.object(paginationSchema).strict();

const fixedRolesAreReadOnly = () => {
  throw new AccessDeniedError('The fixed roles (ids 1 to 4) are read-only.');
};

/**
 * /api/v2/roles (the fixed roles and the account's custom roles) and /api/v2/sharing_rules. Who may
 * call which route is declared in `routePermissions`.
 */
export function createRolesHandler(
  deps: ApiDependencies & { roles: CustomRoleService; sharingRules: SharingRuleService },
) {
  const custom = crudRoutes({
    path: '/api/v2/roles',
    service: deps.roles,
    view: customRoleView,
    createSchema: createCustomRoleSchema,
    updateSchema: updateCustomRoleSchema,
    listQuerySchema: roleListQuerySchema,
  });
  const routes: Record<string, RouteHandler> = {
    ...custom,
    // The fixed roles first, on the first page; then the account's custom roles.
    'GET /api/v2/roles': async (event, principal) => {
      const query = parseQuery(event, roleListQuerySchema);
      const paging = listPaging(query);
      const page = await deps.roles.list(principal, paging);
      const first = paging.page === 1 && !paging.cursor ? roleViews : [];
      return jsonResponse(
        200,
        [...first, ...page.records.map(customRoleView)],
        nextPageLink(event, paging, page),
      );
    },
    'GET /api/v2/roles/{id}': async (event, principal) => {
      const id = pathId(event);
      const fixed = roleViews.find((view) => view.id === id);
      if (fixed) return jsonResponse(200, fixed);
      const record = await deps.roles.get(principal, id);
      return jsonResponse(200, customRoleView(record), { etag: etagOf(record) });
    },
    'PUT /api/v2/roles/{id}': (event, principal) =>
      isFixedRoleId(pathId(event))
        ? fixedRolesAreReadOnly()
        : custom['PUT /api/v2/roles/{id}']!(event, principal),
    'DELETE /api/v2/roles/{id}': (event, principal) =>
      isFixedRoleId(pathId(event))
        ? fixedRolesAreReadOnly()
        : custom['DELETE /api/v2/roles/{id}']!(event, principal),
    ...crudRoutes({
      path: '/api/v2/sharing_rules',
      service: deps.sharingRules,
      view: sharingRuleView,
      createSchema: createSharingRuleSchema,
      updateSchema: updateSharingRuleSchema,
      listQuerySchema: sharingRuleListQuerySchema,
    }),
  };
  return routedApi(deps, routes);
}

export const handler = lazyHandler(() => {
  const runtime = getRuntime('roles');
  return createRolesHandler({
    ...runtime,
    roles: new CustomRoleService({ store: runtime.records, now: runtime.now }),
    sharingRules: new SharingRuleService({ store: runtime.records, now: runtime.now }),
  });
});
