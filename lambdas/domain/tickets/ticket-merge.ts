import { z } from 'zod';
import type { Principal } from '#domain/account';
import type { ContactServiceDependencies } from '#domain/contacts/contact-service';
import type { ContactFields } from '#domain/contacts/contact-schema';
import { ConflictError } from '#domain/errors';
import { type ChangeOfRecord, type NewRecord, RecordLifecycle } from '#domain/records/record-lifecycle';
import { pagesUnder } from '#domain/records/parent-pages';
import type { RecordChange } from '#domain/records/record-store';
import type { StoredRecord } from '#domain/records/record';
import type { AttachmentFields } from '#domain/attachments/attachment-service';
import {
  type ConversationFields,
  deriveConversation,
  type StoredConversation,
  ticketConversationsKey,
} from './conversation-service.ts';
import { readTicket } from './ticket-access.ts';
import { cascadeBatchSize, ticketAttachmentsKey } from './ticket-children.ts';
import { deriveTicket, type StoredTicket, type StoredTicketFields } from './ticket-service.ts';
import { ticketStatuses } from './ticket-schema.ts';
import { noTicketStats, statsAfterStatus } from './ticket-stats.ts';

/** How many tickets one merge takes into its primary (a bound, so one request stays small). */
export const maxMergedTickets = 30;

const mergeNoteSchema = z
  .object({
    body: z.string().min(1, 'It should not be blank').max(100_000),
    private: z.boolean().optional(),
  })
  .strict();

/** PUT /api/v2/tickets/merge, Freshdesk v2 fields (v2 spells `convert_recepients_to_cc` so). */
export const ticketMergeSchema = z
  .object({
    primary_id: z.number().int().positive(),
    ticket_ids: z.array(z.number().int().positive()).min(1).max(maxMergedTickets),
    convert_recepients_to_cc: z.boolean().optional(),
    note_in_primary: mergeNoteSchema.optional(),
    note_in_secondary: mergeNoteSchema.optional(),
  })
  .strict()
  .refine((body) => body.ticket_ids.some((id) => id !== body.primary_id), {
    message: 'It should name at least one ticket other than primary_id',
    path: ['ticket_ids'],
  });
export type TicketMergeInput = z.infer<typeof ticketMergeSchema>;

/** The note a closed secondary gets unless the caller writes one: ids only. */
export const secondaryNoteBody = (primaryId: number) =>
  `This ticket is closed and merged into ticket ${primaryId}.`;
/** The note the primary gets unless the caller writes one: ids only. */
export const primaryNoteBody = (secondaryIds: readonly number[]) =>
  `Tickets ${secondaryIds.join(', ')} were merged into this ticket.`;

const maxCcEmails = 50;

/**
 * Merges tickets into a primary as Freshdesk v2 does: each secondary's conversations (and their files)
 * move to the primary, then the secondary is closed with a note naming the primary and marked
 * `merged_into` (hidden from views), and the primary gets a note, with the last secondary's closing.
 * Every ticket must be within the caller's scope, to change. Moves go in transactions of `batchSize`;
 * a secondary already merged into this primary is skipped, so repeating a merge cut short finishes it
 * exactly once. A moved conversation keeps `requester_id`: it stays linked to the person it is about.
 */
export class TicketMerge {
  private readonly tickets: RecordLifecycle<StoredTicketFields>;
  private readonly conversations: RecordLifecycle<ConversationFields>;
  private readonly attachments: RecordLifecycle<AttachmentFields>;

  constructor(
    private readonly deps: ContactServiceDependencies,
    private readonly batchSize = cascadeBatchSize,
  ) {
    const message = 'A ticket changed while it was being merged. Send the merge again.';
    this.tickets = new RecordLifecycle(deps, deriveTicket, message);
    this.conversations = new RecordLifecycle(deps, deriveConversation, message);
    // An attachment's listing and subjects follow its fields; the merge changes `ticket_id` only.
    this.attachments = new RecordLifecycle(
      deps,
      (record) => ({ ...record, parent: { key: ticketAttachmentsKey(record.fields.ticket_id) } }),
      message,
    );
  }

  async merge(principal: Principal, input: TicketMergeInput): Promise<void> {
    const primary = await this.readForMerge(principal, input.primary_id);
    if (primary.fields.merged_into) {
      throw new ConflictError(
        `Ticket ${primary.ref.id} is merged into ticket ${primary.fields.merged_into}.`,
      );
    }
    const secondaryIds = [...new Set(input.ticket_ids)].filter((id) => id !== primary.ref.id);
    const secondaries: StoredTicket[] = [];
    for (const id of secondaryIds) {
      const ticket = await this.readForMerge(principal, id);
      const mergedInto = ticket.fields.merged_into;
      if (mergedInto !== undefined && mergedInto !== primary.ref.id) {
        throw new ConflictError(`Ticket ${id} is merged into ticket ${mergedInto} already.`);
      }
      if (mergedInto === undefined) secondaries.push(ticket);
    }
    for (const [index, secondary] of secondaries.entries()) {
      await this.moveConversations(principal, secondary, primary.ref.id);
      const last = index === secondaries.length - 1;
      await this.conversations.commit([
        ...this.closing(principal, secondary, primary.ref.id, input),
        ...(last ? await this.primaryChanges(principal, primary, secondaryIds, input) : []),
      ]);
    }
  }

  /** A live ticket of the caller's scope they may change; merged tickets are read as they are. */
  private readForMerge(principal: Principal, id: number): Promise<StoredTicket> {
    return readTicket<StoredTicketFields>(this.deps.store, principal, id, { toChange: true });
  }

  /** Moves every conversation of `secondary` (live or deleted) and their files, a batch per transaction. */
  private async moveConversations(principal: Principal, secondary: StoredTicket, primaryId: number) {
    const { accountId } = principal;
    const moves: ChangeOfRecord[] = [];
    const moved = new Set<number>();
    for await (const page of pagesUnder(this.deps.store, accountId, [
      ticketConversationsKey(secondary.ref.id),
    ])) {
      for (const listed of page) {
        // Read again, consistently: the parent index it is found through may lag.
        const current = await this.deps.store.get<ConversationFields>(accountId, listed.ref);
        if (!current || current.fields.ticket_id !== secondary.ref.id) continue;
        moved.add(current.ref.id);
        moves.push(this.moveTo(this.conversations, principal, current, primaryId));
      }
    }
    const files = pagesUnder(this.deps.store, accountId, [ticketAttachmentsKey(secondary.ref.id)]);
    for await (const page of files) {
      for (const listed of page) {
        const current = await this.deps.store.get<AttachmentFields>(accountId, listed.ref);
        const conversationId = current?.fields.conversation_id;
        if (!current || current.fields.ticket_id !== secondary.ref.id) continue;
        if (conversationId === null || conversationId === undefined || !moved.has(conversationId)) continue;
        moves.push(this.moveTo(this.attachments, principal, current, primaryId));
      }
    }
    for (let start = 0; start < moves.length; start += this.batchSize) {
      await this.conversations.commit(moves.slice(start, start + this.batchSize));
    }
  }

  private moveTo<F extends { ticket_id: number }>(
    lifecycle: RecordLifecycle<F>,
    principal: Principal,
    record: StoredRecord<F>,
    primaryId: number,
  ): ChangeOfRecord {
    return lifecycle.change(principal, record, { ticket_id: primaryId } as Partial<F>) as ChangeOfRecord;
  }

  /** The secondary closed and marked merged, with its note naming the primary. */
  private closing(
    principal: Principal,
    secondary: StoredTicket,
    primaryId: number,
    input: TicketMergeInput,
  ): RecordChange[] {
    const at = this.deps.now().toISOString();
    const closed = ticketStatuses.closed;
    const stats = statsAfterStatus(
      secondary.fields.stats ?? noTicketStats,
      secondary.fields.status,
      closed,
      at,
    );
    const change = this.tickets.change(principal, secondary, {
      status: closed,
      merged_into: primaryId,
      stats: secondary.fields.status === closed ? secondary.fields.stats : stats,
    });
    const note = this.note(principal, secondary, {
      body: input.note_in_secondary?.body ?? secondaryNoteBody(primaryId),
      private: input.note_in_secondary?.private ?? true,
    });
    return [...(change ? [change] : []), { create: note.record, audit: note.audit }];
  }

  /** The primary's note, and with `convert_recepients_to_cc` the secondaries' requesters in its CC. */
  private async primaryChanges(
    principal: Principal,
    primary: StoredTicket,
    secondaryIds: readonly number[],
    input: TicketMergeInput,
  ): Promise<RecordChange[]> {
    const note = this.note(principal, primary, {
      body: input.note_in_primary?.body ?? primaryNoteBody(secondaryIds),
      private: input.note_in_primary?.private ?? true,
    });
    const changes: RecordChange[] = [{ create: note.record, audit: note.audit }];
    if (input.convert_recepients_to_cc) {
      const cc = await this.recipientsOf(principal, primary, secondaryIds);
      const change = this.tickets.change(principal, primary, { cc_emails: cc });
      if (change) changes.push(change);
    }
    return changes;
  }

  /** The primary's CC with the secondaries' requesters' addresses and CCs added (at most 50). */
  private async recipientsOf(
    principal: Principal,
    primary: StoredTicket,
    secondaryIds: readonly number[],
  ): Promise<string[]> {
    const tickets = await this.deps.store.getMany<StoredTicketFields>(
      principal.accountId,
      secondaryIds.map((id) => ({ type: 'ticket' as const, id })),
    );
    const requesterIds = [...new Set(tickets.map((ticket) => ticket.fields.requester_id))].filter(
      (id) => id !== primary.fields.requester_id,
    );
    const requesters = await this.deps.store.getMany<ContactFields>(
      principal.accountId,
      requesterIds.map((id) => ({ type: 'contact' as const, id })),
    );
    const addresses = [
      ...primary.fields.cc_emails,
      ...requesters.flatMap((contact) =>
        contact.deletedAt || !contact.fields.email ? [] : [contact.fields.email],
      ),
      ...tickets.flatMap((ticket) => ticket.fields.cc_emails),
    ];
    const unique = [...new Map(addresses.map((address) => [address.toLowerCase(), address])).values()];
    return unique.slice(0, maxCcEmails);
  }

  private note(
    principal: Principal,
    ticket: StoredTicket,
    content: { body: string; private: boolean },
  ): NewRecord & { record: StoredConversation } {
    const at = this.deps.now().toISOString();
    const record = deriveConversation({
      accountId: principal.accountId,
      ref: { type: 'conversation', id: this.deps.newId() },
      version: 1,
      createdAt: at,
      updatedAt: at,
      fields: {
        body: content.body,
        source: 2,
        private: content.private,
        incoming: false,
        user_id: principal.agentId,
        author_kind: 'agent',
        ticket_id: ticket.ref.id,
        requester_id: ticket.fields.requester_id,
        from_email: null,
        cc_emails: [],
        bcc_emails: [],
        notify_emails: [],
      },
      subjects: [],
    });
    return { record, audit: this.conversations.audit(principal, 'create', record, ['body', 'private']) };
  }
}
