import { z } from 'zod';
import { AgentCreation, createAgentSchema } from '#domain/agents/agent-creation';
import { AgentRetirement } from '#domain/agents/agent-retirement';
import { AgentService, agentView, updateAgentSchema } from '#domain/agents/agent-service';
import { ApiKeyService } from '#domain/api-keys/api-key-service';
import { etagOf } from '#domain/records/record';
import { getRuntime } from '#adapters/runtime';
import { type ApiDependencies, lazyHandler } from '#http/api-handler';
import { listPaging, nextPageLink, paginationSchema, parseJsonBody, parseQuery, pathId } from '#http/request';
import { jsonResponse, noContent } from '#http/responses';
import { type RouteHandler, routedApi } from '#http/routed-api';
import { apiKeyRoutes } from './api-key-routes.ts';

export const agentListQuerySchema = z.object(paginationSchema).strict();

/** /api/v2/agents and their API keys: thin routing over the agent services (roles: lambdas/api/roles.ts). */
export function createAgentsHandler(
  deps: ApiDependencies & {
    agents: AgentService;
    creation: AgentCreation;
    retirement: AgentRetirement;
    apiKeys: ApiKeyService;
  },
) {
  const routes: Record<string, RouteHandler> = {
    'POST /api/v2/agents': async (event, principal) => {
      const record = await deps.creation.create(principal, parseJsonBody(event, createAgentSchema));
      return jsonResponse(201, agentView(record), {
        etag: etagOf(record),
        location: `/api/v2/agents/${record.ref.id}`,
      });
    },
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
    // As v2 (204): the agent becomes a contact, their keys are revoked, nothing is erased (docs/api.md).
    'DELETE /api/v2/agents/{id}': async (event, principal) => {
      await deps.retirement.makeContact(principal, pathId(event));
      return noContent();
    },
    ...apiKeyRoutes(deps.apiKeys),
  };
  return routedApi(deps, routes);
}

export const handler = lazyHandler(() => {
  const runtime = getRuntime('agents');
  const services = { store: runtime.records, now: runtime.now, newId: runtime.newId };
  return createAgentsHandler({
    ...runtime,
    agents: new AgentService(services),
    creation: new AgentCreation(services),
    retirement: new AgentRetirement({ ...services, keys: runtime.apiKeys }),
    apiKeys: new ApiKeyService({ ...services, keys: runtime.apiKeys, homeRegion: runtime.homeRegion }),
  });
});
