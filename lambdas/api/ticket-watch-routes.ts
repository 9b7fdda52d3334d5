import type { z } from 'zod';
import {
  type TicketWatchers,
  type ticketWatchersViewSchema,
  bulkUnwatchSchema,
  bulkWatchSchema,
  watchSchema,
} from '#domain/tickets/ticket-watchers';
import { parseJsonBody, pathId } from '#http/request';
import { jsonResponse, noContent } from '#http/responses';
import type { RouteHandler } from '#http/routed-api';

/** v2's ticket watchers, served by the tickets function: watch, unwatch, list, and in bulk. */
export function ticketWatchRoutes(watchers: TicketWatchers): Record<string, RouteHandler> {
  return {
    'POST /api/v2/tickets/{id}/watch': async (event, principal) => {
      // v2 clients send no body to watch as themselves.
      const { user_id } = event.body ? parseJsonBody(event, watchSchema) : {};
      await watchers.watch(principal, pathId(event), user_id);
      return noContent();
    },
    'PUT /api/v2/tickets/{id}/unwatch': async (event, principal) => {
      await watchers.unwatch(principal, pathId(event));
      return noContent();
    },
    'GET /api/v2/tickets/{id}/watchers': async (event, principal) =>
      jsonResponse(200, {
        watcher_ids: await watchers.watcherIds(principal, pathId(event)),
      } satisfies z.infer<typeof ticketWatchersViewSchema>),
    'POST /api/v2/tickets/bulk_watch': async (event, principal) => {
      const { ids, user_id } = parseJsonBody(event, bulkWatchSchema);
      await watchers.bulk(principal, ids, true, user_id);
      return noContent();
    },
    'PUT /api/v2/tickets/bulk_unwatch': async (event, principal) => {
      await watchers.bulk(principal, parseJsonBody(event, bulkUnwatchSchema).ids, false);
      return noContent();
    },
  };
}
