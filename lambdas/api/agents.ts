import { z } from 'zod';
import { AgentService, agentView, updateAgentSchema } from '#domain/agents/agent-service';
import { requirePermission } from '#domain/roles/permission-check';
import { ConflictError } from '#domain/errors';
import { PrivacyRequestService } from '#domain/privacy/privacy-request-service';
import { etagOf } from '#domain/records/record';
import { getRuntime } from '#adapters/runtime';
import { type ApiDependencies, lazyHandler } from '#http/api-handler';
import { listPaging, nextPageLink, paginationSchema, parseJsonBody, parseQuery, pathId } from '#http/request';
import { erasureStarted, jsonResponse } from '#http/responses';
import { type RouteHandler, routedApi } from '#http/routed-api';

export const agentListQuerySchema = z.object(paginationSchema).strict();

/** /api/v2/agents: thin routing over AgentService (roles: lambdas/api/roles.ts). */
export function createAgentsHandler(
  deps: ApiDependencies & { agents: AgentService; erasures: PrivacyRequestService },
) {
  const routes: Record<string, RouteHandler> = {
    'GET /api/v2/agents/me': async (_event, principal) => {
      const record = await deps.agents.get(principal, principal.agentId);
      return jsonResponse(200, agentView(record), { etag: etagOf(record) });
    },
    'GET /api/v2/agents': async (event, principal) => {
      const query = parseQuery(event, agentListQuerySchema);
      const paging = listPaging(query);
      const page = await deps.agents.list(principal, paging);
      return jsonResponse(200, page.records.map(agentView), nextPageLink(event, paging, page));
    },
    'GET /api/v2/agents/{id}': async (event, principal) => {
      const record = await deps.agents.get(principal, pathId(event));
      return jsonResponse(200, agentView(record), { etag: etagOf(record) });
    },
    'PUT /api/v2/agents/{id}': async (event, principal) => {
      const id = pathId(event);
      const record = await deps.agents.update(
        principal,
        id,
        parseJsonBody(event, updateAgentSchema),
        event.headers?.['if-match'],
      );
      return jsonResponse(200, agentView(record), { etag: etagOf(record) });
    },
    // An erasure: the profile goes for good, contributions stay with a placeholder (docs/privacy-requests.md).
    'DELETE /api/v2/agents/{id}': async (event, principal) => {
      const id = pathId(event);
      requirePermission(principal, 'admin.agents', 'delete an agent');
      if (id === principal.agentId) {
        throw new ConflictError('An admin cannot delete themselves; ask another admin.');
      }
      return erasureStarted(await deps.erasures.eraseByAdmin(principal, { kind: 'agent', id }, 'permanent'));
    },
  };
  return routedApi(deps, routes);
}

export const handler = lazyHandler(() => {
  const runtime = getRuntime('agents');
  return createAgentsHandler({
    ...runtime,
    agents: new AgentService({ store: runtime.records, now: runtime.now }),
    erasures: new PrivacyRequestService({
      store: runtime.records,
      now: runtime.now,
      newId: runtime.newId,
      erasureWorkflow: runtime.workflows.privacyErasure,
    }),
  });
});
