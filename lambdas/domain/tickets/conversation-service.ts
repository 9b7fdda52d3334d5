import { recordViewSchema } from '#domain/records/record-view-schema';
import { type AttachmentView, attachmentViewSchema } from '#domain/attachments/attachment-view';
import { z } from 'zod';
import type { Principal } from '#domain/account';
import type { ContactServiceDependencies } from '#domain/contacts/contact-service';
import { ConflictError } from '#domain/errors';
import { actorOf, type NewRecord, nextChangeAt, RecordLifecycle } from '#domain/records/record-lifecycle';
import type { RecordChange } from '#domain/records/record-store';
import { htmlToText } from './html-text.ts';
import { RecordTrash } from '#domain/purge/record-trash';
import { mayChangeTicketChild, readTicket, requireTicketInScope } from './ticket-access.ts';
import type { RecordRef, StoredRecord, SubjectRef } from '#domain/records/record';
import type { StoredTicketFields } from './ticket-service.ts';
import { noTicketStats, statsAfterConversation } from './ticket-stats.ts';
import type { Paging } from '#domain/records/paging';
import type { PersonalFieldDeclaration } from '#domain/encryption/personal-field-declaration';

const email = z.string().trim().max(254).email('It should be a valid email address');
const body = z.string().min(1, 'It should not be blank').max(100_000);
const userId = z.number().int().positive();

/** POST /tickets/{id}/reply, Freshdesk v2 fields. */
export const replySchema = z
  .object({
    body,
    from_email: email.optional(),
    user_id: userId.optional(),
    cc_emails: z.array(email).max(50).optional(),
    bcc_emails: z.array(email).max(50).optional(),
  })
  .strict();

/** A reply by a requester through a portal token: always written as themselves. */
export const requesterReplySchema = replySchema.pick({ body: true, cc_emails: true });

/** POST /tickets/{id}/notes, Freshdesk v2 fields; notes are private unless said otherwise. */
export const noteSchema = z
  .object({
    body,
    incoming: z.boolean().optional(),
    private: z.boolean().optional(),
    user_id: userId.optional(),
    notify_emails: z.array(email).max(50).optional(),
  })
  .strict();

export const updateConversationSchema = z.object({ body }).strict();

export interface ConversationFields {
  body: string;
  /** 0 reply, 2 note (Freshdesk v2 `source`). */
  source: 0 | 2;
  private: boolean;
  incoming: boolean;
  user_id: number;
  /** Whether `user_id` is a contact (an incoming message) or an agent. */
  author_kind: 'contact' | 'agent';
  ticket_id: number;
  requester_id: number;
  from_email: string | null;
  cc_emails: string[];
  bcc_emails: string[];
  notify_emails: string[];
}

export type StoredConversation = StoredRecord<ConversationFields>;

/** Which conversation fields are personal (docs/encryption.md). */
export const conversationPersonalFields: PersonalFieldDeclaration<ConversationFields> = {
  body: 'personal',
  source: 'plain',
  private: 'plain',
  incoming: 'plain',
  user_id: 'plain',
  author_kind: 'plain',
  ticket_id: 'plain',
  requester_id: 'plain',
  from_email: 'personal',
  cc_emails: 'personal',
  bcc_emails: 'personal',
  notify_emails: 'personal',
};

const conversationRef = (id: number): RecordRef => ({ type: 'conversation', id });
export const ticketConversationsKey = (ticketId: number) => `ticket#${ticketId}#conversation`;
/** The public ones (replies, public notes) only: what a requester lists. `private` never changes. */
export const ticketPublicConversationsKey = (ticketId: number) => `ticket#${ticketId}#public_conversation`;

/**
 * A conversation holds its author's and its ticket requester's data, and is listed under its ticket;
 * a public one is also listed under its ticket's public conversations, so a requester's list is one
 * Query whose pages hold only what they may see.
 */
export function deriveConversation(record: StoredConversation): StoredConversation {
  const { fields } = record;
  const subjects = requesterAndAuthor(fields.requester_id, { kind: fields.author_kind, id: fields.user_id });
  return {
    ...record,
    subjects,
    parent: { key: ticketConversationsKey(fields.ticket_id) },
    secondaryParent: fields.private ? undefined : { key: ticketPublicConversationsKey(fields.ticket_id) },
  };
}

/** Whether the caller may see a conversation: agents every one, a requester only public ones. */
export const mayReadConversation = (principal: Principal, fields: Pick<ConversationFields, 'private'>) =>
  principal.contactId === undefined || !fields.private;

/** The people a message on a ticket is about: the ticket's requester and its author (once if the same). */
export function requesterAndAuthor(requesterId: number, author: SubjectRef): SubjectRef[] {
  const requester: SubjectRef = { kind: 'contact', id: requesterId };
  const same = author.kind === 'contact' && author.id === requesterId;
  return same ? [requester] : [requester, author];
}

/** Replies and notes on tickets: add, list in order, edit, delete. */
export class ConversationService {
  private readonly lifecycle: RecordLifecycle<ConversationFields>;
  private readonly trash: RecordTrash;

  constructor(private readonly deps: ContactServiceDependencies) {
    this.lifecycle = new RecordLifecycle(
      deps,
      deriveConversation,
      'The conversation changed since you read it.',
    );
    this.trash = new RecordTrash(deps);
  }

  async add(
    principal: Principal,
    ticketId: number,
    kind: 'reply' | 'note',
    input: z.infer<typeof replySchema> & z.infer<typeof noteSchema>,
    companions: (conversation: StoredConversation) => Promise<readonly NewRecord[]> = async () => [],
  ): Promise<StoredConversation> {
    const ticket = await readTicket<StoredTicketFields>(this.deps.store, principal, ticketId, {
      toChange: true,
    });
    // A requester (portal token) always writes as themselves; an agent may write for another user.
    const authorId = principal.contactId ?? input.user_id ?? principal.agentId;
    const authorIsContact =
      principal.contactId !== undefined ||
      (input.user_id !== undefined &&
        Boolean(await this.deps.store.get(principal.accountId, { type: 'contact', id: input.user_id })));
    const at = this.deps.now().toISOString();
    const record: StoredConversation = {
      accountId: principal.accountId,
      ref: conversationRef(this.deps.newId()),
      version: 1,
      createdAt: at,
      updatedAt: at,
      fields: {
        body: input.body,
        source: kind === 'reply' ? 0 : 2,
        private: kind === 'note' ? (input.private ?? true) : false,
        incoming: input.incoming ?? principal.contactId !== undefined,
        user_id: authorId,
        author_kind: authorIsContact ? 'contact' : 'agent',
        ticket_id: ticket.ref.id,
        requester_id: ticket.fields.requester_id,
        from_email: input.from_email ?? null,
        cc_emails: input.cc_emails ?? [],
        bcc_emails: input.bcc_emails ?? [],
        notify_emails: input.notify_emails ?? [],
      },
      subjects: [],
    };
    const ticketChange = this.ticketStatsChange(principal, ticket, record);
    try {
      return await this.lifecycle.create(
        principal,
        record,
        Object.keys(input),
        companions,
        ticketChange ? [ticketChange] : [],
      );
    } catch (error) {
      if (ticketChange && error instanceof ConflictError) {
        throw new ConflictError('The ticket changed while this was being added. Send it again.');
      }
      throw error;
    }
  }

  /** The ticket's change a new conversation makes (its response stats and last change), if any. */
  private ticketStatsChange(
    principal: Principal,
    ticket: StoredRecord<StoredTicketFields>,
    conversation: StoredConversation,
  ): RecordChange | undefined {
    const { fields } = conversation;
    const activity = {
      kind: fields.source === 0 ? ('reply' as const) : ('note' as const),
      private: fields.private,
      incoming: fields.incoming,
      author_kind: fields.author_kind,
    };
    const stats = statsAfterConversation(
      ticket.fields.stats ?? noTicketStats,
      activity,
      conversation.createdAt,
    );
    if (!stats) return undefined;
    const next = {
      ...ticket,
      version: ticket.version + 1,
      updatedAt: nextChangeAt(ticket, new Date(conversation.createdAt)),
      fields: { ...ticket.fields, stats },
    };
    const audit = {
      at: next.updatedAt,
      actor: actorOf(principal),
      operation: 'update' as const,
      record: ticket.ref,
      changedFields: ['stats'],
    };
    return { previous: ticket, next, audit };
  }

  /**
   * A page of the ticket's conversations, oldest first. A requester lists their live ticket's public
   * conversations from the index that holds only those, so no page comes back short and nothing tells
   * how many private notes there are; agents list every conversation, of deleted tickets too.
   */
  async list(principal: Principal, ticketId: number, paging: Paging) {
    const requester = principal.contactId !== undefined;
    await readTicket(this.deps.store, principal, ticketId, { includeDeleted: !requester });
    const page = await this.deps.store.listByParent<ConversationFields>(
      principal.accountId,
      requester ? ticketPublicConversationsKey(ticketId) : ticketConversationsKey(ticketId),
      { ...paging, oldestFirst: true, secondary: requester },
    );
    // The index holds public conversations only; checked again, so a stray entry stays hidden.
    return {
      ...page,
      records: page.records.filter((record) => mayReadConversation(principal, record.fields)),
    };
  }

  async update(principal: Principal, id: number, changes: { body: string }): Promise<StoredConversation> {
    await this.requireInScope(principal, id);
    return this.lifecycle.update(principal, conversationRef(id), changes);
  }

  /**
   * Soft-deletes the conversation with its live files (restorable together until the 60-day purge),
   * the conversation first, the files in bounded batches; on a deleted conversation it finishes an
   * interrupted deletion. Its ticket must be live (a deleted ticket hides it, and its restore would
   * bring back the files its deletion took) and within the caller's scope, to change.
   */
  async softDelete(principal: Principal, id: number): Promise<void> {
    await this.trash.deleteWithDescendants(principal, conversationRef(id), async (caller, conversation) => {
      const { ticket_id: ticketId } = conversation.fields as ConversationFields;
      await readTicket(this.deps.store, caller, ticketId, { toChange: true });
    });
  }

  /**
   * Brings the conversation back, with exactly the files deleted with it, while its ticket is live
   * (else 409) and within the caller's scope.
   */
  restore(principal: Principal, id: number): Promise<void> {
    return this.trash.restore(principal, conversationRef(id), mayChangeTicketChild(this.deps.store));
  }

  /** A conversation is changed only while its ticket is within the caller's scope, to change. */
  private async requireInScope(principal: Principal, id: number): Promise<void> {
    const conversation = await this.lifecycle.getLive(principal, conversationRef(id));
    await requireTicketInScope(this.deps.store, principal, conversation.fields.ticket_id, { toChange: true });
  }
}

/** A conversation as Freshdesk v2 shows it. */
/** A conversation (reply or note) as Freshdesk v2 shows it. */
export const conversationViewSchema = recordViewSchema({
  body: z.string(),
  body_text: z.string(),
  source: z.union([z.literal(0), z.literal(2)]),
  private: z.boolean(),
  incoming: z.boolean(),
  user_id: z.number().int(),
  ticket_id: z.number().int(),
  from_email: z.string().nullable(),
  cc_emails: z.array(z.string()),
  bcc_emails: z.array(z.string()),
  notify_emails: z.array(z.string()),
  to_emails: z.array(z.string()),
  attachments: z.array(attachmentViewSchema),
});
export type ConversationView = z.infer<typeof conversationViewSchema>;
export function conversationView(
  record: StoredConversation,
  attachments: readonly AttachmentView[] = [],
): ConversationView {
  const { author_kind: _kind, requester_id: _requester, ...fields } = record.fields;
  return {
    id: record.ref.id,
    ...fields,
    body_text: htmlToText(fields.body),
    to_emails: [],
    attachments: [...attachments],
    created_at: record.createdAt,
    updated_at: record.updatedAt,
  };
}
