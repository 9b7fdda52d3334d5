import { recordViewSchema } from '#domain/records/record-view-schema';
import { z } from 'zod';
import type { Principal } from '#domain/account';
import type { ContactServiceDependencies } from '#domain/contacts/contact-service';
import { RecordLifecycle } from '#domain/records/record-lifecycle';
import { RecordTrash } from '#domain/purge/record-trash';
import { mayChangeTicketChild, readTicket } from './ticket-access.ts';
import { ticketHuddleKey } from './ticket-children.ts';
import type { RecordRef, StoredRecord } from '#domain/records/record';
import type { TicketFields } from './ticket-schema.ts';
import type { Paging } from '#domain/records/paging';
import type { PersonalFieldDeclaration } from '#domain/encryption/personal-field-declaration';

/** A message in a ticket's team huddle: agents discussing the ticket among themselves. */
export const huddleMessageSchema = z
  .object({ body: z.string().min(1, 'It should not be blank').max(100_000) })
  .strict();

export interface HuddleFields {
  body: string;
  ticket_id: number;
  requester_id: number;
  agent_id: number;
}

export type StoredHuddleMessage = StoredRecord<HuddleFields>;

/** Which huddle message fields are personal (docs/encryption.md). */
export const huddlePersonalFields: PersonalFieldDeclaration<HuddleFields> = {
  body: 'personal',
  ticket_id: 'plain',
  requester_id: 'plain',
  agent_id: 'plain',
};
const huddleRef = (id: number): RecordRef => ({ type: 'huddle', id });

/** A huddle message is its author's contribution and is about the ticket's requester. */
export const deriveHuddle = (record: StoredHuddleMessage): StoredHuddleMessage => ({
  ...record,
  subjects: [
    { kind: 'contact', id: record.fields.requester_id },
    { kind: 'agent', id: record.fields.agent_id },
  ],
  parent: { key: ticketHuddleKey(record.fields.ticket_id) },
});

/** Team huddles (brief, seed 002): internal discussions linked to a ticket. */
export class HuddleService {
  private readonly lifecycle: RecordLifecycle<HuddleFields>;
  private readonly trash: RecordTrash;

  constructor(private readonly deps: ContactServiceDependencies) {
    this.lifecycle = new RecordLifecycle(deps, deriveHuddle, 'The huddle message changed since you read it.');
    this.trash = new RecordTrash(deps);
  }

  async post(principal: Principal, ticketId: number, input: { body: string }): Promise<StoredHuddleMessage> {
    const ticket = await readTicket<TicketFields>(this.deps.store, principal, ticketId, { toChange: true });
    const at = this.deps.now().toISOString();
    return this.lifecycle.create(
      principal,
      {
        accountId: principal.accountId,
        ref: huddleRef(this.deps.newId()),
        version: 1,
        createdAt: at,
        updatedAt: at,
        fields: {
          body: input.body,
          ticket_id: ticket.ref.id,
          requester_id: ticket.fields.requester_id,
          agent_id: principal.agentId,
        },
        subjects: [],
      },
      ['body'],
    );
  }

  /** The huddle, oldest first; a deleted ticket's is gone with it (empty, even while its deletion runs). */
  async list(principal: Principal, ticketId: number, paging: Paging) {
    const ticket = await readTicket(this.deps.store, principal, ticketId, { includeDeleted: true });
    if (ticket.deletedAt) return { records: [], hasMore: false };
    return this.deps.store.listByParent<HuddleFields>(principal.accountId, ticketHuddleKey(ticketId), {
      ...paging,
      oldestFirst: true,
    });
  }

  async softDelete(principal: Principal, id: number): Promise<void> {
    const message = await this.lifecycle.getLive(principal, huddleRef(id));
    // A message of a deleted ticket is gone with it (404), even while the deletion runs.
    await readTicket(this.deps.store, principal, message.fields.ticket_id, { toChange: true });
    return this.lifecycle.softDelete(principal, huddleRef(id));
  }

  /** Brings the message back while its ticket is live (else 409) and within the caller's scope. */
  restore(principal: Principal, id: number): Promise<void> {
    return this.trash.restore(principal, huddleRef(id), mayChangeTicketChild(this.deps.store));
  }
}

export const huddleViewSchema = recordViewSchema({
  body: z.string(),
  ticket_id: z.number().int(),
  agent_id: z.number().int(),
});
export function huddleView(record: StoredHuddleMessage): z.infer<typeof huddleViewSchema> {
  const { requester_id: _requester, ...fields } = record.fields;
  return { id: record.ref.id, ...fields, created_at: record.createdAt, updated_at: record.updatedAt };
}
