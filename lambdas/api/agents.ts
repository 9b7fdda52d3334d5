import { z } from 'zod';
import { AgentService, agentView, updateAgentSchema } from '#domain/agents/agent-service';
import { roleViews } from '#domain/agents/roles';
import { NotFoundError } from '#domain/errors';
import { etagOf } from '#domain/records/record';
import { getRuntime } from '#adapters/runtime';
import { type ApiDependencies, lazyHandler } from '#http/api-handler';
import { nextPageLink, paginationSchema, parseJsonBody, parseQuery, pathId } from '#http/request';
import { jsonResponse } from '#http/responses';
import { type RouteHandler, routedApi } from '#http/routed-api';

export const agentListQuerySchema = z.object(paginationSchema).strict();

/** /api/v2/agents and the read-only /api/v2/roles: thin routing over AgentService. */
export function createAgentsHandler(deps: ApiDependencies & { agents: AgentService }) {
  const routes: Record<string, RouteHandler> = {
    'GET /api/v2/agents/me': async (_event, principal) => {
      const record = await deps.agents.get(principal, principal.agentId);
      return jsonResponse(200, agentView(record), { etag: etagOf(record) });
    },
    'GET /api/v2/agents': async (event, principal) => {
      const query = parseQuery(event, agentListQuerySchema);
      const page = await deps.agents.list(principal, { page: query.page, perPage: query.per_page });
      return jsonResponse(
        200,
        page.records.map(agentView),
        page.hasMore ? nextPageLink(event, query.page, query.per_page) : {},
      );
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
    'GET /api/v2/roles': async () => jsonResponse(200, roleViews),
    'GET /api/v2/roles/{id}': async (event) => {
      const id = pathId(event);
      const role = roleViews.find((view) => view.id === id);
      if (!role) throw new NotFoundError();
      return jsonResponse(200, role);
    },
  };
  return routedApi(deps, routes);
}

export const handler = lazyHandler(() => {
  const runtime = getRuntime();
  return createAgentsHandler({
    ...runtime,
    homeRegion: runtime.env.HOME_REGION,
    agents: new AgentService({ store: runtime.records, now: runtime.now }),
  });
});
