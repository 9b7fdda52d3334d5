import { z } from 'zod';
import {
  TimeEntryService,
  createTimeEntrySchema,
  timeEntryView,
  updateTimeEntrySchema,
} from '#domain/time-entries/time-entry-service';
import { getRuntime } from '#adapters/runtime';
import { type ApiDependencies, lazyHandler } from '#http/api-handler';
import { listPaging, nextPageLink, paginationSchema, parseJsonBody, parseQuery, pathId } from '#http/request';
import { jsonResponse, noContent } from '#http/responses';
import { type RouteHandler, routedApi } from '#http/routed-api';
import { restoreRoute } from '#http/crud-routes';

/**
 * An id filter that may come empty: v2 clients (the freshdesk-api library among them) send
 * `company_id=&agent_id=` when no such filter is set, which means none.
 */
const optionalId = z.preprocess(
  (value) => (value === '' ? undefined : value),
  z.coerce.number().int().positive().optional(),
);
/** v2's filters of GET /time_entries; `billable` is `true` or `false`. */
export const timeEntryListQuerySchema = z
  .object({
    ...paginationSchema,
    company_id: optionalId,
    agent_id: optionalId,
    executed_after: z.iso.datetime({ offset: true }).optional(),
    executed_before: z.iso.datetime({ offset: true }).optional(),
    billable: z
      .enum(['true', 'false'])
      .transform((value) => value === 'true')
      .optional(),
  })
  .strict();
export const ticketTimeEntriesQuerySchema = z.object(paginationSchema).strict();

/** Time entries (Freshdesk v2): on a ticket, account-wide, and the timer. */
export function createTimeEntriesHandler(deps: ApiDependencies & { timeEntries: TimeEntryService }) {
  const routes: Record<string, RouteHandler> = {
    'POST /api/v2/tickets/{id}/time_entries': async (event, principal) => {
      const input = parseJsonBody(event, createTimeEntrySchema);
      return jsonResponse(201, timeEntryView(await deps.timeEntries.create(principal, pathId(event), input)));
    },
    'GET /api/v2/tickets/{id}/time_entries': async (event, principal) => {
      const paging = listPaging(parseQuery(event, ticketTimeEntriesQuerySchema));
      const page = await deps.timeEntries.listForTicket(principal, pathId(event), paging);
      return jsonResponse(200, page.records.map(timeEntryView), nextPageLink(event, paging, page));
    },
    'GET /api/v2/time_entries': async (event, principal) => {
      const { page, per_page, cursor, ...filters } = parseQuery(event, timeEntryListQuerySchema);
      const paging = listPaging({ page, per_page, cursor });
      const entries = await deps.timeEntries.list(principal, filters, paging);
      return jsonResponse(200, entries.records.map(timeEntryView), nextPageLink(event, paging, entries));
    },
    'PUT /api/v2/time_entries/{id}': async (event, principal) => {
      const input = parseJsonBody(event, updateTimeEntrySchema);
      return jsonResponse(200, timeEntryView(await deps.timeEntries.update(principal, pathId(event), input)));
    },
    'PUT /api/v2/time_entries/{id}/toggle_timer': async (event, principal) =>
      jsonResponse(200, timeEntryView(await deps.timeEntries.toggle(principal, pathId(event)))),
    'DELETE /api/v2/time_entries/{id}': async (event, principal) => {
      await deps.timeEntries.softDelete(principal, pathId(event));
      return noContent();
    },
    ...restoreRoute('/api/v2/time_entries', (principal, id) => deps.timeEntries.restore(principal, id)),
  };
  return routedApi(deps, routes);
}

export const handler = lazyHandler(() => {
  const runtime = getRuntime('timeEntries');
  return createTimeEntriesHandler({
    ...runtime,
    timeEntries: new TimeEntryService({ store: runtime.records, now: runtime.now, newId: runtime.newId }),
  });
});
