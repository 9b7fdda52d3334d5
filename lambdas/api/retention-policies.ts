import { z } from 'zod';
import { retentionHoldCheck } from '#domain/holds/hold-checks';
import { StoredHolds } from '#domain/holds/stored-holds';
import {
  createRetentionPolicySchema,
  retentionPolicyView,
  updateRetentionPolicySchema,
} from '#domain/retention/retention-policy';
import { RetentionPolicyService } from '#domain/retention/retention-policy-service';
import { getRuntime } from '#adapters/runtime';
import { type ApiDependencies, lazyHandler } from '#http/api-handler';
import { crudRoutes } from '#http/crud-routes';
import { paginationSchema, pathId } from '#http/request';
import { jsonResponse } from '#http/responses';
import { type RouteHandler, routedApi } from '#http/routed-api';

export const retentionPolicyListQuerySchema = z.object(paginationSchema).strict();

/**
 * /api/v2/retention_policies (our addition): an account's retention rules and their dry run. Who may
 * call which route is declared in `routePermissions` (admin area `retention`).
 */
export function createRetentionPoliciesHandler(
  deps: ApiDependencies & { retentionPolicies: RetentionPolicyService },
) {
  const routes: Record<string, RouteHandler> = {
    ...crudRoutes({
      path: '/api/v2/retention_policies',
      service: deps.retentionPolicies,
      view: retentionPolicyView,
      createSchema: createRetentionPolicySchema,
      updateSchema: updateRetentionPolicySchema,
      listQuerySchema: retentionPolicyListQuerySchema,
    }),
    'POST /api/v2/retention_policies/{id}/preview': async (event, principal) =>
      jsonResponse(200, await deps.retentionPolicies.preview(principal, pathId(event))),
  };
  return routedApi(deps, routes);
}

export const handler = lazyHandler(() => {
  const runtime = getRuntime('retentionPolicies');
  return createRetentionPoliciesHandler({
    ...runtime,
    // Legal holds: the lead wires `heldBy` here when the legal-hold part is merged.
    retentionPolicies: new RetentionPolicyService({
      store: runtime.records,
      now: runtime.now,
      holds: retentionHoldCheck(new StoredHolds(runtime.records), runtime.records, runtime.now),
    }),
  });
});
