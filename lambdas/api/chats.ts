import { z } from 'zod';
import {
  ChatService,
  chatMessageSchema,
  chatMessageView,
  chatView,
  createChatSchema,
} from '#domain/chats/chat-service';
import { getRuntime } from '#adapters/runtime';
import { type ApiDependencies, lazyHandler } from '#http/api-handler';
import { listPaging, nextPageLink, paginationSchema, parseJsonBody, parseQuery, pathId } from '#http/request';
import { restoreRoute } from '#http/crud-routes';
import { jsonResponse, noContent } from '#http/responses';
import { type RouteHandler, routedApi } from '#http/routed-api';

export const chatListQuerySchema = z
  .object({ ...paginationSchema, contact_id: z.coerce.number().int().positive().optional() })
  .strict();
export const chatMessagesQuerySchema = z.object(paginationSchema).strict();

/** /api/v2/chats (our addition): chat conversations with their messages. */
export function createChatsHandler(deps: ApiDependencies & { chats: ChatService }) {
  const routes: Record<string, RouteHandler> = {
    'POST /api/v2/chats': async (event, principal) => {
      const record = await deps.chats.create(principal, parseJsonBody(event, createChatSchema));
      return jsonResponse(201, chatView(record), { location: `/api/v2/chats/${record.ref.id}` });
    },
    'GET /api/v2/chats': async (event, principal) => {
      const query = parseQuery(event, chatListQuerySchema);
      const paging = listPaging(query);
      const page = await deps.chats.list(principal, { ...paging, contact_id: query.contact_id });
      return jsonResponse(200, page.records.map(chatView), nextPageLink(event, paging, page));
    },
    'GET /api/v2/chats/{id}': async (event, principal) =>
      jsonResponse(200, chatView(await deps.chats.get(principal, pathId(event)))),
    'DELETE /api/v2/chats/{id}': async (event, principal) => {
      await deps.chats.softDelete(principal, pathId(event));
      return noContent();
    },
    ...restoreRoute('/api/v2/chats', (principal, id) => deps.chats.restore(principal, id)),
    'POST /api/v2/chats/{id}/messages': async (event, principal) => {
      const chatId = pathId(event);
      const record = await deps.chats.addMessage(principal, chatId, parseJsonBody(event, chatMessageSchema));
      return jsonResponse(201, chatMessageView(record));
    },
    'GET /api/v2/chats/{id}/messages': async (event, principal) => {
      const chatId = pathId(event);
      const query = parseQuery(event, chatMessagesQuerySchema);
      const paging = listPaging(query);
      const page = await deps.chats.listMessages(principal, chatId, paging);
      return jsonResponse(200, page.records.map(chatMessageView), nextPageLink(event, paging, page));
    },
  };
  return routedApi(deps, routes);
}

export const handler = lazyHandler(() => {
  const runtime = getRuntime('chats');
  return createChatsHandler({
    ...runtime,
    chats: new ChatService({
      store: runtime.records,
      now: runtime.now,
      newId: runtime.newId,
      homeRegion: runtime.homeRegion,
    }),
  });
});
