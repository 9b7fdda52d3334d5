import { z } from 'zod';
import type { Principal } from '#domain/account';
import { hasPermission, requirePermission } from '#domain/roles/permission-check';
import {
  createPrivacyRequestSchema,
  privacyRequestStatuses,
  privacyRequestTypes,
  privacyRequestStatusView,
  privacyRequestView,
  rejectPrivacyRequestSchema,
  type shownPrivacyRequestSchema,
  type StoredPrivacyRequest,
  verifyPrivacyRequestSchema,
} from '#domain/privacy/privacy-request';
import { ExportDownloads } from '#domain/privacy/export-downloads';
import { PrivacyRequestService } from '#domain/privacy/privacy-request-service';
import { ErasurePreview } from '#domain/privacy/erasure-preview';
import { LegalHoldService } from '#domain/holds/legal-hold-service';
import { StoredHolds } from '#domain/holds/stored-holds';
import { getRuntime } from '#adapters/runtime';
import { type ApiDependencies, lazyHandler } from '#http/api-handler';
import {
  listPaging,
  nextPageLink,
  pageNumberSchema,
  paginationSchema,
  parseJsonBody,
  parseQuery,
  pathId,
} from '#http/request';
import { jsonResponse } from '#http/responses';
import { type RouteHandler, routedApi } from '#http/routed-api';
import { legalHoldRoutes } from './legal-hold-routes.ts';

export const privacyRequestListQuerySchema = z
  .object({
    ...paginationSchema,
    status: z.enum(privacyRequestStatuses).optional(),
    type: z.enum(privacyRequestTypes).optional(),
    overdue: z.enum(['true', 'false']).optional(),
  })
  .strict();
export const storedFilesQuerySchema = z.object(pageNumberSchema).strict();

const path = '/api/v2/privacy/requests';

/**
 * /api/v2/privacy/requests (our addition): data subjects' requests, their verification, preview and
 * result; and /api/v2/legal_holds, which erasures respect.
 */
export function createPrivacyRequestsHandler(
  deps: ApiDependencies & {
    requests: PrivacyRequestService;
    downloads: ExportDownloads;
    preview: ErasurePreview;
    holds: LegalHoldService;
    now: () => Date;
  },
) {
  // A completed export's URLs are minted for each read, valid until its `available_until` at most, and
  // only for administrators: any other agent sees a request's status and dates.
  const view = async (
    record: StoredPrivacyRequest,
    principal: Principal,
  ): Promise<z.infer<typeof shownPrivacyRequestSchema>> => {
    if (!hasPermission(principal, 'privacy_requests.manage'))
      return privacyRequestStatusView(record, deps.now());
    const { result } = record.fields;
    return {
      ...privacyRequestView(record, deps.now()),
      result: result && (await deps.downloads.offer(result)),
    };
  };
  const routes: Record<string, RouteHandler> = {
    [`POST ${path}`]: async (event, principal) => {
      const record = await deps.requests.create(principal, parseJsonBody(event, createPrivacyRequestSchema));
      return jsonResponse(201, await view(record, principal), { location: `${path}/${record.ref.id}` });
    },
    [`GET ${path}`]: async (event, principal) => {
      const query = parseQuery(event, privacyRequestListQuerySchema);
      const paging = listPaging(query);
      const page = await deps.requests.list(principal, {
        status: query.status,
        type: query.type,
        overdue: query.overdue === undefined ? undefined : query.overdue === 'true',
        ...paging,
      });
      return jsonResponse(
        200,
        await Promise.all(page.records.map((record) => view(record, principal))),
        nextPageLink(event, paging, page),
      );
    },
    [`GET ${path}/{id}`]: async (event, principal) =>
      jsonResponse(200, await view(await deps.requests.get(principal, pathId(event)), principal)),
    [`GET ${path}/{id}/files`]: async (event, principal) => {
      requirePermission(principal, 'exports.download', "download a data subject's exported files");
      const query = parseQuery(event, storedFilesQuerySchema);
      const request = await deps.requests.get(principal, pathId(event));
      const paging = listPaging(query);
      const page = await deps.downloads.storedFiles(request, paging);
      return jsonResponse(200, page.files, nextPageLink(event, paging, page));
    },
    [`POST ${path}/{id}/verify`]: async (event, principal) => {
      const id = pathId(event);
      const { method } = parseJsonBody(event, verifyPrivacyRequestSchema);
      return jsonResponse(200, await view(await deps.requests.verify(principal, id, method), principal));
    },
    [`POST ${path}/{id}/reject`]: async (event, principal) => {
      const id = pathId(event);
      const { reason } = parseJsonBody(event, rejectPrivacyRequestSchema);
      return jsonResponse(200, await view(await deps.requests.reject(principal, id, reason), principal));
    },
    [`POST ${path}/{id}/retry`]: async (event, principal) =>
      jsonResponse(202, await view(await deps.requests.retry(principal, pathId(event)), principal)),
    [`POST ${path}/{id}/restore`]: async (event, principal) =>
      jsonResponse(202, await view(await deps.requests.restore(principal, pathId(event)), principal)),
    [`GET ${path}/{id}/preview`]: async (event, principal) =>
      jsonResponse(200, await deps.preview.of(await deps.requests.get(principal, pathId(event)))),
    ...legalHoldRoutes(deps),
  };
  return routedApi(deps, routes);
}

export const handler = lazyHandler(() => {
  const runtime = getRuntime('privacyRequests');
  return createPrivacyRequestsHandler({
    ...runtime,
    requests: new PrivacyRequestService({
      store: runtime.records,
      now: runtime.now,
      newId: runtime.newId,
      exportWorkflow: runtime.workflows.privacyExport,
      erasureWorkflow: runtime.workflows.privacyErasure,
    }),
    downloads: new ExportDownloads({ files: runtime.exportFiles, now: runtime.now }),
    preview: new ErasurePreview({
      store: runtime.records,
      erasure: runtime.erasureTrash,
      holds: new StoredHolds(runtime.records),
      now: runtime.now,
    }),
    holds: new LegalHoldService({ store: runtime.records, now: runtime.now }),
  });
});
