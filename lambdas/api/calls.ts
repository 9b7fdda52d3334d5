import { z } from 'zod';
import {
  CallService,
  callView,
  callWithRecordingViewSchema,
  createCallSchema,
  createdCallViewSchema,
} from '#domain/calls/call-service';
import { getRuntime } from '#adapters/runtime';
import { type ApiDependencies, lazyHandler } from '#http/api-handler';
import { listPaging, nextPageLink, paginationSchema, parseJsonBody, parseQuery, pathId } from '#http/request';
import { restoreRoute } from '#http/crud-routes';
import { jsonResponse, noContent } from '#http/responses';
import { type RouteHandler, routedApi } from '#http/routed-api';

export const callListQuerySchema = z
  .object({ ...paginationSchema, contact_id: z.coerce.number().int().positive().optional() })
  .strict();

/** /api/v2/calls (our addition): call records and presigned recording transfer. */
export function createCallsHandler(deps: ApiDependencies & { calls: CallService }) {
  const routes: Record<string, RouteHandler> = {
    'POST /api/v2/calls': async (event, principal) => {
      const { record, upload } = await deps.calls.create(principal, parseJsonBody(event, createCallSchema));
      return jsonResponse(
        201,
        {
          ...callView(record),
          recording: {
            location: null,
            upload_url: upload.url,
            upload_headers: upload.headers,
            upload_expires_at: upload.expiresAt,
          },
        } satisfies z.infer<typeof createdCallViewSchema>,
        { location: `/api/v2/calls/${record.ref.id}` },
      );
    },
    'GET /api/v2/calls': async (event, principal) => {
      const query = parseQuery(event, callListQuerySchema);
      const paging = listPaging(query);
      const page = await deps.calls.list(principal, { ...paging, contact_id: query.contact_id });
      return jsonResponse(200, page.records.map(callView), nextPageLink(event, paging, page));
    },
    'GET /api/v2/calls/{id}': async (event, principal) => {
      const { record, location, download } = await deps.calls.get(principal, pathId(event));
      const transfer = record.fields.recording_transfer;
      return jsonResponse(200, {
        ...callView(record),
        recording: {
          location,
          ...(transfer && {
            size: transfer.size,
            sha256: transfer.sha256,
            transferred_at: transfer.copied_at,
            staging_deleted_at: transfer.staging_deleted_at ?? null,
          }),
          ...(download && { download_url: download.url, download_expires_at: download.expiresAt }),
        },
      } satisfies z.infer<typeof callWithRecordingViewSchema>);
    },
    'DELETE /api/v2/calls/{id}': async (event, principal) => {
      await deps.calls.delete(principal, pathId(event));
      return noContent();
    },
    ...restoreRoute('/api/v2/calls', (principal, id) => deps.calls.restore(principal, id)),
  };
  return routedApi(deps, routes);
}

export const handler = lazyHandler(() => {
  const runtime = getRuntime('calls');
  return createCallsHandler({
    ...runtime,
    calls: new CallService({
      store: runtime.records,
      now: runtime.now,
      newId: runtime.newId,
      homeRegion: runtime.homeRegion,
      objects: runtime.recordings.objects,
      recordingsBucket: runtime.recordings.bucket,
      recordingStaging: runtime.recordingStaging,
    }),
  });
});
