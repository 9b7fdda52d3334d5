import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { z } from 'zod';
import { etagOf } from '#domain/records/record';
import {
  ConversationService,
  conversationView,
  noteSchema,
  replySchema,
  updateConversationSchema,
} from '#domain/tickets/conversation-service';
import { HuddleService, huddleMessageSchema, huddleView } from '#domain/tickets/huddle-service';
import { createTicketSchema, updateTicketSchema } from '#domain/tickets/ticket-schema';
import { TicketService, ticketView } from '#domain/tickets/ticket-service';
import { getRuntime } from '#adapters/runtime';
import { type ApiDependencies, lazyHandler } from '#http/api-handler';
import { nextPageLink, paginationSchema, parseJsonBody, parseQuery, pathId } from '#http/request';
import { jsonResponse, noContent } from '#http/responses';
import { type RouteHandler, routedApi } from '#http/routed-api';

export const ticketListQuerySchema = z
  .object({
    ...paginationSchema,
    requester_id: z.coerce.number().int().positive().optional(),
    email: z.string().max(254).optional(),
    company_id: z.coerce.number().int().positive().optional(),
    updated_since: z.iso.datetime({ offset: true }).optional(),
    filter: z.enum(['deleted']).optional(),
  })
  .strict();
export const conversationPageQuerySchema = z.object(paginationSchema).strict();

/** /api/v2/tickets and /api/v2/conversations: thin routing over TicketService and ConversationService. */
export function createTicketsHandler(
  deps: ApiDependencies & {
    tickets: TicketService;
    conversations: ConversationService;
    huddles: HuddleService;
  },
) {
  const page = <T>(
    event: APIGatewayProxyEventV2,
    query: { page: number; per_page: number },
    result: { records: T[]; hasMore: boolean },
    view: (record: T) => unknown,
  ) =>
    jsonResponse(
      200,
      result.records.map(view),
      result.hasMore ? nextPageLink(event, query.page, query.per_page) : {},
    );
  const routes: Record<string, RouteHandler> = {
    'POST /api/v2/tickets': async (event, principal) => {
      const record = await deps.tickets.create(principal, parseJsonBody(event, createTicketSchema));
      return jsonResponse(201, ticketView(record), {
        etag: etagOf(record),
        location: `/api/v2/tickets/${record.ref.id}`,
      });
    },
    'GET /api/v2/tickets': async (event, principal) => {
      const query = parseQuery(event, ticketListQuerySchema);
      return page(event, query, await deps.tickets.list(principal, query), ticketView);
    },
    'GET /api/v2/tickets/{id}': async (event, principal) => {
      const record = await deps.tickets.get(principal, pathId(event));
      return jsonResponse(200, ticketView(record), { etag: etagOf(record) });
    },
    'PUT /api/v2/tickets/{id}': async (event, principal) => {
      const id = pathId(event);
      const changes = parseJsonBody(event, updateTicketSchema);
      const record = await deps.tickets.update(principal, id, changes, event.headers?.['if-match']);
      return jsonResponse(200, ticketView(record), { etag: etagOf(record) });
    },
    'DELETE /api/v2/tickets/{id}': async (event, principal) => {
      await deps.tickets.softDelete(principal, pathId(event));
      return noContent();
    },
    'PUT /api/v2/tickets/{id}/restore': async (event, principal) => {
      await deps.tickets.restore(principal, pathId(event));
      return noContent();
    },
    'POST /api/v2/tickets/{id}/reply': async (event, principal) => {
      const id = pathId(event);
      const record = await deps.conversations.add(principal, id, 'reply', parseJsonBody(event, replySchema));
      return jsonResponse(201, conversationView(record));
    },
    'POST /api/v2/tickets/{id}/notes': async (event, principal) => {
      const id = pathId(event);
      const record = await deps.conversations.add(principal, id, 'note', parseJsonBody(event, noteSchema));
      return jsonResponse(201, conversationView(record));
    },
    'GET /api/v2/tickets/{id}/conversations': async (event, principal) => {
      const id = pathId(event);
      const query = parseQuery(event, conversationPageQuerySchema);
      const result = await deps.conversations.list(principal, id, {
        page: query.page,
        perPage: query.per_page,
      });
      return page(event, query, result, conversationView);
    },
    'PUT /api/v2/conversations/{id}': async (event, principal) => {
      const id = pathId(event);
      const record = await deps.conversations.update(
        principal,
        id,
        parseJsonBody(event, updateConversationSchema),
      );
      return jsonResponse(200, conversationView(record));
    },
    'POST /api/v2/tickets/{id}/huddle': async (event, principal) => {
      const id = pathId(event);
      const record = await deps.huddles.post(principal, id, parseJsonBody(event, huddleMessageSchema));
      return jsonResponse(201, huddleView(record));
    },
    'GET /api/v2/tickets/{id}/huddle': async (event, principal) => {
      const id = pathId(event);
      const query = parseQuery(event, conversationPageQuerySchema);
      const result = await deps.huddles.list(principal, id, { page: query.page, perPage: query.per_page });
      return page(event, query, result, huddleView);
    },
    'DELETE /api/v2/huddle_messages/{id}': async (event, principal) => {
      await deps.huddles.softDelete(principal, pathId(event));
      return noContent();
    },
    'DELETE /api/v2/conversations/{id}': async (event, principal) => {
      await deps.conversations.softDelete(principal, pathId(event));
      return noContent();
    },
  };
  return routedApi(deps, routes);
}

export const handler = lazyHandler(() => {
  const runtime = getRuntime();
  const services = { store: runtime.records, now: runtime.now, newId: runtime.newId };
  return createTicketsHandler({
    ...runtime,
    homeRegion: runtime.env.HOME_REGION,
    tickets: new TicketService(services),
    conversations: new ConversationService(services),
    huddles: new HuddleService(services),
  });
});
