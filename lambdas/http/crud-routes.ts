import type { z } from 'zod';
import type { Principal } from '#domain/account';
import { etagOf, type StoredRecord } from '#domain/records/record';
import type { Paging } from '#domain/records/paging';
import { listPaging, nextPageLink, parseJsonBody, parseQuery, pathId } from './request.ts';
import { jsonResponse, noContent } from './responses.ts';
import type { RouteHandler } from './routed-api.ts';

/**
 * What a plain resource service offers: the five Freshdesk v2 operations. A resource listed under a
 * parent (forums of a category) gets the parent's id from the path on create and list.
 */
export interface CrudService<R extends StoredRecord<object>, C, U> {
  create(principal: Principal, input: C, parentId?: number): Promise<R>;
  get(principal: Principal, id: number): Promise<R>;
  update(principal: Principal, id: number, changes: U, ifMatch?: string): Promise<R>;
  softDelete(principal: Principal, id: number): Promise<void>;
  list(
    principal: Principal,
    paging: Paging,
    parentId?: number,
  ): Promise<{ records: R[]; hasMore: boolean; next?: string }>;
  /** Brings a soft-deleted record back from the trash: with it, the resource has a restore route. */
  restore?(principal: Principal, id: number): Promise<void>;
}

/**
 * The create/list/view/update/delete routes of a resource at `path` (e.g. /api/v2/groups), and
 * `PUT <path>/{id}/restore` when the service restores. With
 * `under`, the collection lives under its parent as Freshdesk v2 nests it: create and list at
 * `<under.path>/{id}/<under.collection>` (e.g. /api/v2/discussions/categories/{id}/forums), view,
 * update and delete at `<path>/{id}` (e.g. /api/v2/discussions/forums/{id}).
 */
export function crudRoutes<R extends StoredRecord<object>, C, U>(options: {
  readonly path: string;
  readonly under?: { readonly path: string; readonly collection: string };
  readonly service: CrudService<R, C, U>;
  readonly view: (record: R) => unknown;
  readonly createSchema: z.ZodType<C>;
  readonly updateSchema: z.ZodType<U>;
  readonly listQuerySchema: z.ZodType<{ page: number; per_page: number; cursor?: string }>;
}): Record<string, RouteHandler> {
  const { path, under, service, view } = options;
  const collection = under ? `${under.path}/{id}/${under.collection}` : path;
  const parentOf = under ? pathId : () => undefined;
  return {
    [`POST ${collection}`]: async (event, principal) => {
      const parentId = parentOf(event);
      const record = await service.create(principal, parseJsonBody(event, options.createSchema), parentId);
      return jsonResponse(201, view(record), { etag: etagOf(record), location: `${path}/${record.ref.id}` });
    },
    [`GET ${collection}`]: async (event, principal) => {
      const parentId = parentOf(event);
      const query = parseQuery(event, options.listQuerySchema);
      const paging = listPaging(query);
      const page = await service.list(principal, paging, parentId);
      return jsonResponse(200, page.records.map(view), nextPageLink(event, paging, page));
    },
    [`GET ${path}/{id}`]: async (event, principal) => {
      const record = await service.get(principal, pathId(event));
      return jsonResponse(200, view(record), { etag: etagOf(record) });
    },
    [`PUT ${path}/{id}`]: async (event, principal) => {
      const id = pathId(event);
      const record = await service.update(
        principal,
        id,
        parseJsonBody(event, options.updateSchema),
        event.headers?.['if-match'],
      );
      return jsonResponse(200, view(record), { etag: etagOf(record) });
    },
    [`DELETE ${path}/{id}`]: async (event, principal) => {
      await service.softDelete(principal, pathId(event));
      return noContent();
    },
    ...(service.restore && restoreRoute(path, service.restore.bind(service))),
  };
}

/** `PUT <path>/{id}/restore`: 204 whether the record came back or was live already. */
export function restoreRoute(
  path: string,
  restore: (principal: Principal, id: number) => Promise<void>,
): Record<string, RouteHandler> {
  return {
    [`PUT ${path}/{id}/restore`]: async (event, principal) => {
      await restore(principal, pathId(event));
      return noContent();
    },
  };
}
