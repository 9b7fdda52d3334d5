import {
  attachmentStateViewSchema,
  presignedAttachmentViewSchema,
} from '#domain/attachments/attachment-view';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { z } from 'zod';
import type { Principal } from '#domain/account';
import {
  AttachmentService,
  attachmentView,
  authorOf,
  presignAttachmentSchema,
  type VisibleAttachment,
} from '#domain/attachments/attachment-service';
import { etagOf } from '#domain/records/record';
import {
  ConversationService,
  noteSchema,
  replySchema,
  requesterReplySchema,
  type StoredConversation,
  updateConversationSchema,
} from '#domain/tickets/conversation-service';
import { HuddleService, huddleMessageSchema, huddleView } from '#domain/tickets/huddle-service';
import {
  type TicketFields,
  createTicketSchema,
  requesterTicketSchema,
  updateTicketSchema,
} from '#domain/tickets/ticket-schema';
import {
  includeParameter,
  type TicketInclude,
  TicketIncludes,
  ticketListIncludes,
  ticketViewIncludes,
} from '#domain/tickets/ticket-includes';
import { type StoredTicket, TicketService, ticketListFilters } from '#domain/tickets/ticket-service';
import { orderTypes, ticketOrderFields } from '#domain/tickets/ticket-order';
import { TicketMerge, ticketMergeSchema } from '#domain/tickets/ticket-merge';
import { conversationViewer, type shownTicketSchema, ticketViewer } from '#domain/requesters/requester-views';
import { getRuntime } from '#adapters/runtime';
import { type ApiDependencies, lazyHandler } from '#http/api-handler';
import { listPaging, nextPageLink, paginationSchema, parseJsonBody, parseQuery, pathId } from '#http/request';
import type { Paging } from '#domain/records/paging';
import { parseBodyWithFiles } from '#http/multipart';
import { restoreRoute } from '#http/crud-routes';
import { jsonResponse, noContent } from '#http/responses';
import { type RouteHandler, routedApi } from '#http/routed-api';
import { searchRoute } from '#http/search-route';
import { SearchService } from '#domain/search/search-service';
import { TicketWatchers } from '#domain/tickets/ticket-watchers';
import { ticketWatchRoutes } from './ticket-watch-routes.ts';

export const ticketListQuerySchema = z
  .object({
    ...paginationSchema,
    requester_id: z.coerce.number().int().positive().optional(),
    email: z.string().max(254).optional(),
    company_id: z.coerce.number().int().positive().optional(),
    updated_since: z.iso.datetime({ offset: true }).optional(),
    filter: z.enum(ticketListFilters).optional(),
    include: includeParameter(ticketListIncludes),
    order_by: z.enum(ticketOrderFields).optional(),
    order_type: z.enum(orderTypes).optional(),
  })
  .strict();
export const ticketViewQuerySchema = z.object({ include: includeParameter(ticketViewIncludes) }).strict();
export const conversationPageQuerySchema = z.object(paginationSchema).strict();
/** How many conversations `include=conversations` embeds in a ticket, as v2 does. */
export const embeddedConversations = 10;

type ShownTicket = z.infer<typeof shownTicketSchema>;
/** /api/v2/tickets and /api/v2/conversations: thin routing over TicketService and ConversationService. */
export function createTicketsHandler(
  deps: ApiDependencies & {
    tickets: TicketService;
    conversations: ConversationService;
    huddles: HuddleService;
    attachments: AttachmentService;
    search: SearchService;
    merges: TicketMerge;
    watchers: TicketWatchers;
    now: () => Date;
  },
) {
  const includes = new TicketIncludes({ store: deps.records });
  const page = <T>(
    event: APIGatewayProxyEventV2,
    paging: Paging,
    result: { records: T[]; hasMore: boolean; next?: string },
    view: (record: T) => unknown,
  ) =>
    jsonResponse(
      200,
      result.records.map((record) => view(record)),
      nextPageLink(event, paging, result),
    );
  const routes: Record<string, RouteHandler> = {
    'POST /api/v2/tickets': async (event, principal) => {
      const { input, files } = await ticketToCreate(event, principal);
      let attached: VisibleAttachment[] = [];
      const record = await deps.tickets.create(principal, input, async (ticket) => {
        const owner = {
          ticketId: ticket.ref.id,
          conversationId: null,
          requesterId: ticket.fields.requester_id,
          author: authorOf(principal),
        };
        const stored = await deps.attachments.store(principal, owner, files);
        attached = await deps.attachments.visibleAll(stored.records);
        return stored.entries;
      });
      const view = await ticketViewer(principal, deps.tickets);
      return jsonResponse(201, view(record, attached.map(attachmentView)), {
        etag: etagOf(record),
        location: `/api/v2/tickets/${record.ref.id}`,
      });
    },
    'GET /api/v2/tickets': async (event, principal) => {
      const { include = new Set<TicketInclude>(), ...query } = parseQuery(event, ticketListQuerySchema);
      const paging = listPaging(query);
      const result = await deps.tickets.list(principal, { ...query, ...paging });
      const view = await ticketViewer(principal, deps.tickets);
      const embedded = await includes.embedder(principal, result.records, include, () =>
        deps.tickets.requesterForm(principal),
      );
      // As v2: a list shows descriptions only when asked to.
      const described = include.has('description');
      return page(event, paging, result, (record: StoredTicket) => {
        const { description, description_text, ...shown } = view(record);
        return {
          ...shown,
          ...(described && { description, description_text }),
          ...embedded(record),
        } satisfies ShownTicket;
      });
    },
    'GET /api/v2/search/tickets': searchRoute<TicketFields>('tickets', deps.search, async (principal) => {
      const view = await ticketViewer(principal, deps.tickets);
      // As the list shows tickets: without their descriptions.
      return (record) => {
        const { description: _description, description_text: _text, ...shown } = view(record as StoredTicket);
        return shown satisfies ShownTicket;
      };
    }),
    'GET /api/v2/tickets/{id}': async (event, principal) => {
      // The id first: a malformed one is a 404 whatever the query says, as for every {id} route.
      const id = pathId(event);
      const { include = new Set<TicketInclude>() } = parseQuery(event, ticketViewQuerySchema);
      const record = await deps.tickets.get(principal, id);
      // A ticket that never had a file of its own is one read; only one that had is listed further.
      const attachments = record.fields.has_attachments
        ? await deps.attachments.filesOf(principal, record, [null])
        : [];
      const view = await ticketViewer(principal, deps.tickets);
      const embedded = await includes.embedder(principal, [record], include, () =>
        deps.tickets.requesterForm(principal),
      );
      const conversations = include.has('conversations')
        ? { conversations: await firstConversations(principal, record.ref.id) }
        : {};
      return jsonResponse(
        200,
        {
          ...view(record, ownAttachments(attachments, null)),
          ...embedded(record),
          ...conversations,
        } satisfies ShownTicket,
        { etag: etagOf(record) },
      );
    },
    'PUT /api/v2/tickets/{id}': async (event, principal) => {
      const id = pathId(event);
      const changes = parseJsonBody(event, updateTicketSchema);
      const record = await deps.tickets.update(principal, id, changes, event.headers?.['if-match']);
      const view = await ticketViewer(principal, deps.tickets);
      return jsonResponse(200, view(record), { etag: etagOf(record) });
    },
    'DELETE /api/v2/tickets/{id}': async (event, principal) => {
      await deps.tickets.softDelete(principal, pathId(event));
      return noContent();
    },
    'PUT /api/v2/tickets/{id}/restore': async (event, principal) => {
      await deps.tickets.restore(principal, pathId(event));
      return noContent();
    },
    'PUT /api/v2/tickets/merge': async (event, principal) => {
      await deps.merges.merge(principal, parseJsonBody(event, ticketMergeSchema));
      return noContent();
    },
    ...ticketWatchRoutes(deps.watchers),
    'POST /api/v2/tickets/{id}/reply': (event, principal) =>
      addConversation(
        event,
        principal,
        'reply',
        principal.contactId === undefined ? replySchema : requesterReplySchema,
      ),
    'POST /api/v2/tickets/{id}/notes': (event, principal) =>
      addConversation(event, principal, 'note', noteSchema),
    'GET /api/v2/tickets/{id}/conversations': async (event, principal) => {
      const id = pathId(event);
      const query = parseQuery(event, conversationPageQuerySchema);
      const paging = listPaging(query);
      const result = await deps.conversations.list(principal, id, paging);
      return page(event, paging, result, await conversationsViewer(principal, id, result.records));
    },
    'PUT /api/v2/conversations/{id}': async (event, principal) => {
      const id = pathId(event);
      const record = await deps.conversations.update(
        principal,
        id,
        parseJsonBody(event, updateConversationSchema),
      );
      const attachments = await deps.attachments.ofTicket(principal, record.fields.ticket_id, [
        record.ref.id,
      ]);
      const view = conversationViewer(principal);
      return jsonResponse(200, view(record, ownAttachments(attachments, record.ref.id)));
    },
    'POST /api/v2/tickets/{id}/huddle': async (event, principal) => {
      const id = pathId(event);
      const record = await deps.huddles.post(principal, id, parseJsonBody(event, huddleMessageSchema));
      return jsonResponse(201, huddleView(record));
    },
    'GET /api/v2/tickets/{id}/huddle': async (event, principal) => {
      const id = pathId(event);
      const query = parseQuery(event, conversationPageQuerySchema);
      const paging = listPaging(query);
      const result = await deps.huddles.list(principal, id, paging);
      return page(event, paging, result, huddleView);
    },
    'DELETE /api/v2/huddle_messages/{id}': async (event, principal) => {
      await deps.huddles.softDelete(principal, pathId(event));
      return noContent();
    },
    'DELETE /api/v2/conversations/{id}': async (event, principal) => {
      await deps.conversations.softDelete(principal, pathId(event));
      return noContent();
    },
    'POST /api/v2/tickets/{id}/attachments': async (event, principal) => {
      const id = pathId(event);
      const input = parseJsonBody(event, presignAttachmentSchema);
      const owner = await deps.attachments.ownerFor(principal, id, input.conversation_id);
      const { record, upload } = await deps.attachments.presign(principal, owner, input);
      return jsonResponse(
        201,
        {
          ...attachmentView({ record, url: null }),
          upload_url: upload.url,
          upload_headers: upload.headers,
          upload_expires_at: upload.expiresAt,
        } satisfies z.infer<typeof presignedAttachmentViewSchema>,
        { location: `/api/v2/attachments/${record.ref.id}` },
      );
    },
    'GET /api/v2/attachments/{id}': async (event, principal) => {
      const attachment = await deps.attachments.get(principal, pathId(event));
      return jsonResponse(200, {
        ...attachmentView(attachment),
        state: attachment.url ? 'stored' : 'awaiting_upload',
      } satisfies z.infer<typeof attachmentStateViewSchema>);
    },
    'DELETE /api/v2/attachments/{id}': async (event, principal) => {
      await deps.attachments.softDelete(principal, pathId(event));
      return noContent();
    },
    ...restoreRoute('/api/v2/attachments', (principal, id) => deps.attachments.restore(principal, id)),
    ...restoreRoute('/api/v2/conversations', (principal, id) => deps.conversations.restore(principal, id)),
    ...restoreRoute('/api/v2/huddle_messages', (principal, id) => deps.huddles.restore(principal, id)),
  };
  return routedApi(deps, routes);

  /** How conversations of the ticket are shown, each with its own files. */
  async function conversationsViewer(
    principal: Principal,
    ticketId: number,
    conversations: readonly StoredConversation[],
  ) {
    const attachments = await deps.attachments.ofTicket(
      principal,
      ticketId,
      conversations.map((record) => record.ref.id),
    );
    const view = conversationViewer(principal);
    return (record: StoredConversation) => view(record, ownAttachments(attachments, record.ref.id));
  }

  /** The ticket's first conversations, oldest first, as `include=conversations` embeds them. */
  async function firstConversations(principal: Principal, ticketId: number) {
    const first = await deps.conversations.list(principal, ticketId, {
      page: 1,
      perPage: embeddedConversations,
    });
    return first.records.map(await conversationsViewer(principal, ticketId, first.records));
  }

  /** Reply or note, JSON or multipart with files; the files' records are written with the conversation. */
  async function addConversation(
    event: APIGatewayProxyEventV2,
    principal: Principal,
    kind: 'reply' | 'note',
    schema: typeof replySchema | typeof noteSchema | typeof requesterReplySchema,
  ) {
    const id = pathId(event);
    const { input, files } = await parseBodyWithFiles(event, schema);
    let attached: VisibleAttachment[] = [];
    const record = await deps.conversations.add(principal, id, kind, input, async (conversation) => {
      const owner = {
        ticketId: conversation.fields.ticket_id,
        conversationId: conversation.ref.id,
        requesterId: conversation.fields.requester_id,
        author: { kind: conversation.fields.author_kind, id: conversation.fields.user_id },
      };
      const stored = await deps.attachments.store(principal, owner, files);
      attached = await deps.attachments.visibleAll(stored.records);
      return stored.entries;
    });
    return jsonResponse(201, conversationViewer(principal)(record, attached.map(attachmentView)));
  }
}

/** A new ticket's fields and files; a requester (portal token) says less, and is its requester. */
async function ticketToCreate(event: APIGatewayProxyEventV2, principal: Principal) {
  if (principal.contactId === undefined) return parseBodyWithFiles(event, createTicketSchema);
  const { input, files } = await parseBodyWithFiles(event, requesterTicketSchema);
  return { input: { ...input, requester_id: principal.contactId }, files };
}

/** The attachments of one conversation (or, for null, of the ticket itself), as v2 shows them. */
function ownAttachments(attachments: readonly VisibleAttachment[], conversationId: number | null) {
  return attachments
    .filter((attachment) => attachment.record.fields.conversation_id === conversationId)
    .map(attachmentView);
}

export const handler = lazyHandler(() => {
  const runtime = getRuntime('tickets');
  const services = { store: runtime.records, now: runtime.now, newId: runtime.newId };
  return createTicketsHandler({
    ...runtime,
    tickets: new TicketService(services),
    conversations: new ConversationService(services),
    huddles: new HuddleService(services),
    attachments: new AttachmentService({
      ...services,
      ...runtime.attachments,
      uploads: runtime.pendingUploads,
    }),
    search: new SearchService(services),
    merges: new TicketMerge(services),
    watchers: new TicketWatchers(services),
    now: runtime.now,
  });
});
