import { z } from 'zod';
import { createMigrationSchema } from '#domain/migrations/migration';
import { MigrationService, migrationView } from '#domain/migrations/migration-service';
import { getRuntime } from '#adapters/runtime';
import { type ApiDependencies, lazyHandler } from '#http/api-handler';
import { listPaging, nextPageLink, paginationSchema, parseJsonBody, parseQuery, pathId } from '#http/request';
import { jsonResponse } from '#http/responses';
import { type RouteHandler, routedApi } from '#http/routed-api';

export const migrationListQuerySchema = z.object({ ...paginationSchema }).strict();

const path = '/api/v2/migrations';

/** /api/v2/migrations (our addition): imports from other helpdesks, run in this region. */
export function createMigrationsHandler(deps: ApiDependencies & { migrations: MigrationService }) {
  const routes: Record<string, RouteHandler> = {
    [`POST ${path}`]: async (event, principal) => {
      const view = await deps.migrations.create(principal, parseJsonBody(event, createMigrationSchema));
      return jsonResponse(201, migrationView(view), { location: `${path}/${view.record.ref.id}` });
    },
    [`GET ${path}`]: async (event, principal) => {
      const query = parseQuery(event, migrationListQuerySchema);
      const paging = listPaging(query);
      const page = await deps.migrations.list(principal, paging);
      const views = await Promise.all(
        page.records.map((record) => deps.migrations.get(principal, record.ref.id)),
      );
      return jsonResponse(200, views.map(migrationView), nextPageLink(event, paging, page));
    },
    [`GET ${path}/{id}`]: async (event, principal) =>
      jsonResponse(200, migrationView(await deps.migrations.get(principal, pathId(event)))),
    [`POST ${path}/{id}/uploads`]: async (event, principal) =>
      jsonResponse(200, migrationView(await deps.migrations.reissueUploads(principal, pathId(event)))),
    [`POST ${path}/{id}/start`]: async (event, principal) =>
      jsonResponse(200, migrationView(await deps.migrations.start(principal, pathId(event)))),
  };
  return routedApi(deps, routes);
}

export const handler = lazyHandler(() => {
  const runtime = getRuntime('migrations');
  return createMigrationsHandler({
    ...runtime,
    migrations: new MigrationService({
      store: runtime.records,
      now: runtime.now,
      newId: runtime.newId,
      homeRegion: runtime.homeRegion,
      files: runtime.migrationFiles,
      ledger: runtime.migrationLedger,
      workflow: runtime.workflows.migration,
    }),
  });
});
