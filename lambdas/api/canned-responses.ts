import { z } from 'zod';
import {
  CannedResponseFolderService,
  cannedResponseFolderSchema,
  cannedResponseFolderView,
} from '#domain/canned-responses/canned-response-folder-service';
import {
  CannedResponseService,
  type cannedResponseFolderWithResponsesViewSchema,
  cannedResponseView,
  createCannedResponseSchema,
  updateCannedResponseSchema,
} from '#domain/canned-responses/canned-response-service';
import { etagOf } from '#domain/records/record';
import { listPaging, nextPageLink, paginationSchema, parseJsonBody, parseQuery, pathId } from '#http/request';
import { jsonResponse } from '#http/responses';
import type { RouteHandler } from '#http/routed-api';

export const cannedResponseListQuerySchema = z.object(paginationSchema).strict();
/** How many of a folder's responses its view embeds, as v2's `canned_responses`; the rest by /responses. */
const embeddedResponses = 100;

const folders = '/api/v2/canned_response_folders';
const responses = '/api/v2/canned_responses';

/**
 * Canned responses and their folders (Freshdesk v2; v2 deletes neither). Served by the `fields`
 * function with the rest of the helpdesk's configuration (lambdas/api/fields.ts).
 */
export function cannedResponseRoutes(deps: {
  folders: CannedResponseFolderService;
  responses: CannedResponseService;
}): Record<string, RouteHandler> {
  return {
    [`POST ${folders}`]: async (event, principal) => {
      const folder = await deps.folders.create(principal, parseJsonBody(event, cannedResponseFolderSchema));
      return jsonResponse(201, cannedResponseFolderView(folder), {
        etag: etagOf(folder),
        location: `${folders}/${folder.ref.id}`,
      });
    },
    [`GET ${folders}`]: async (event, principal) => {
      const paging = listPaging(parseQuery(event, cannedResponseListQuerySchema));
      const page = await deps.folders.list(principal, paging);
      return jsonResponse(200, page.records.map(cannedResponseFolderView), nextPageLink(event, paging, page));
    },
    [`GET ${folders}/{id}`]: async (event, principal) => {
      const folder = await deps.folders.get(principal, pathId(event));
      const first = await deps.responses.listInFolder(principal, folder.ref.id, {
        page: 1,
        perPage: embeddedResponses,
      });
      const view = {
        ...cannedResponseFolderView(folder),
        canned_responses: first.records.map(cannedResponseView),
      } satisfies z.infer<typeof cannedResponseFolderWithResponsesViewSchema>;
      return jsonResponse(200, view, { etag: etagOf(folder) });
    },
    [`PUT ${folders}/{id}`]: async (event, principal) => {
      const changes = parseJsonBody(event, cannedResponseFolderSchema);
      const folder = await deps.folders.update(
        principal,
        pathId(event),
        changes,
        event.headers?.['if-match'],
      );
      return jsonResponse(200, cannedResponseFolderView(folder), { etag: etagOf(folder) });
    },
    [`GET ${folders}/{id}/responses`]: async (event, principal) => {
      const paging = listPaging(parseQuery(event, cannedResponseListQuerySchema));
      const page = await deps.responses.listInFolder(principal, pathId(event), paging);
      return jsonResponse(200, page.records.map(cannedResponseView), nextPageLink(event, paging, page));
    },
    [`POST ${responses}`]: async (event, principal) => {
      const response = await deps.responses.create(
        principal,
        parseJsonBody(event, createCannedResponseSchema),
      );
      return jsonResponse(201, cannedResponseView(response), {
        etag: etagOf(response),
        location: `${responses}/${response.ref.id}`,
      });
    },
    [`GET ${responses}`]: async (event, principal) => {
      const paging = listPaging(parseQuery(event, cannedResponseListQuerySchema));
      const page = await deps.responses.list(principal, paging);
      return jsonResponse(200, page.records.map(cannedResponseView), nextPageLink(event, paging, page));
    },
    [`GET ${responses}/{id}`]: async (event, principal) => {
      const response = await deps.responses.get(principal, pathId(event));
      return jsonResponse(200, cannedResponseView(response), { etag: etagOf(response) });
    },
    [`PUT ${responses}/{id}`]: async (event, principal) => {
      const changes = parseJsonBody(event, updateCannedResponseSchema);
      const id = pathId(event);
      const response = await deps.responses.update(principal, id, changes, event.headers?.['if-match']);
      return jsonResponse(200, cannedResponseView(response), { etag: etagOf(response) });
    },
  };
}
