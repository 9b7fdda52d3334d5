import { recordViewSchema } from '#domain/records/record-view-schema';
import { z } from 'zod';
import type { Principal } from '#domain/account';
import type { ContactServiceDependencies } from '#domain/contacts/contact-service';
import { requireLiveContact, withContactAndAgent } from '#domain/contacts/contact-reference';
import { ValidationError } from '#domain/errors';
import { RecordTrash } from '#domain/purge/record-trash';
import { RecordLifecycle } from '#domain/records/record-lifecycle';
import type { RecordRef, StoredRecord, SubjectRef } from '#domain/records/record';
import { requireCategoryHosted } from '#domain/residency-rules';
import type { HostingRegionKey } from '#lib/residency/index';
import type { Paging } from '#domain/records/paging';
import { chatMessagesKey } from './chat-messages.ts';
import type { PersonalFieldDeclaration } from '#domain/encryption/personal-field-declaration';

export const createChatSchema = z
  .object({
    contact_id: z.number().int().positive().optional(),
    agent_id: z.number().int().positive().optional(),
    channel: z.enum(['web', 'mobile', 'social']).default('web'),
    started_at: z.iso.datetime({ offset: true }),
  })
  .strict();

export const chatMessageSchema = z
  .object({
    body: z.string().min(1, 'It should not be blank').max(10_000),
    actor_type: z.enum(['contact', 'agent']),
    actor_id: z.number().int().positive().optional(),
  })
  .strict();

export interface ChatFields {
  contact_id: number | null;
  agent_id: number | null;
  channel: 'web' | 'mobile' | 'social';
  started_at: string;
}

export interface ChatMessageFields {
  chat_id: number;
  contact_id: number | null;
  actor_type: 'contact' | 'agent';
  actor_id: number;
  body: string;
}

export type StoredChat = StoredRecord<ChatFields>;
export type StoredChatMessage = StoredRecord<ChatMessageFields>;

/** A chat holds ids, its channel and its start: nothing in it is sealed (docs/encryption.md). */
export const chatPersonalFields: PersonalFieldDeclaration<ChatFields> = {
  contact_id: 'plain',
  agent_id: 'plain',
  channel: 'plain',
  started_at: 'plain',
};

/** Which chat message fields are personal: the message (docs/encryption.md). */
export const chatMessagePersonalFields: PersonalFieldDeclaration<ChatMessageFields> = {
  chat_id: 'plain',
  contact_id: 'plain',
  actor_type: 'plain',
  actor_id: 'plain',
  body: 'personal',
};
const chatRef = (id: number): RecordRef => ({ type: 'chat', id });

export const deriveChat = withContactAndAgent<StoredChat>('chat');

/** A message holds its author's words and belongs to the chat's contact. */
export const deriveMessage = (record: StoredChatMessage): StoredChatMessage => {
  const { fields } = record;
  const subjects: SubjectRef[] = [{ kind: fields.actor_type, id: fields.actor_id }];
  if (fields.contact_id && !(fields.actor_type === 'contact' && fields.actor_id === fields.contact_id)) {
    subjects.push({ kind: 'contact', id: fields.contact_id });
  }
  return { ...record, subjects, parent: { key: chatMessagesKey(fields.chat_id) } };
};

/** Chat conversations and their messages: only where the residency matrix hosts chat messages. */
export class ChatService {
  private readonly chats: RecordLifecycle<ChatFields>;
  private readonly messages: RecordLifecycle<ChatMessageFields>;
  private readonly trash: RecordTrash;

  constructor(private readonly deps: ContactServiceDependencies & { homeRegion: HostingRegionKey }) {
    this.chats = new RecordLifecycle(deps, deriveChat, 'The chat changed since you read it.');
    this.messages = new RecordLifecycle(deps, deriveMessage, 'The message could not be saved.');
    this.trash = new RecordTrash(deps);
  }

  async create(principal: Principal, input: z.infer<typeof createChatSchema>): Promise<StoredChat> {
    requireCategoryHosted('chat_messages', this.deps.homeRegion);
    if (input.contact_id !== undefined) {
      await requireLiveContact(this.deps.store, principal.accountId, input.contact_id, 'contact_id');
    }
    const at = this.deps.now().toISOString();
    return this.chats.create(
      principal,
      {
        accountId: principal.accountId,
        ref: chatRef(this.deps.newId()),
        version: 1,
        createdAt: at,
        updatedAt: at,
        fields: {
          contact_id: input.contact_id ?? null,
          agent_id: input.agent_id ?? null,
          channel: input.channel,
          started_at: input.started_at,
        },
        subjects: [],
      },
      Object.keys(input),
    );
  }

  get(principal: Principal, id: number): Promise<StoredChat> {
    requireCategoryHosted('chat_messages', this.deps.homeRegion);
    return this.chats.getLive(principal, chatRef(id));
  }

  list(principal: Principal, filters: Paging & { contact_id?: number }) {
    requireCategoryHosted('chat_messages', this.deps.homeRegion);
    const paging = { page: filters.page, perPage: filters.perPage, cursor: filters.cursor };
    return filters.contact_id
      ? this.deps.store.listByParent<ChatFields>(
          principal.accountId,
          `contact#${filters.contact_id}#chat`,
          paging,
        )
      : this.deps.store.list<ChatFields>(principal.accountId, 'chat', paging);
  }

  async addMessage(
    principal: Principal,
    chatId: number,
    input: z.infer<typeof chatMessageSchema>,
  ): Promise<StoredChatMessage> {
    const chat = await this.get(principal, chatId);
    const actorId =
      input.actor_id ?? (input.actor_type === 'agent' ? principal.agentId : chat.fields.contact_id);
    if (!actorId) {
      throw new ValidationError([
        {
          field: 'actor_id',
          message: 'It should be specified for a chat without a contact',
          code: 'missing_field',
        },
      ]);
    }
    const at = this.deps.now().toISOString();
    return this.messages.create(
      principal,
      {
        accountId: principal.accountId,
        ref: { type: 'chat_message', id: this.deps.newId() },
        version: 1,
        createdAt: at,
        updatedAt: at,
        fields: {
          chat_id: chat.ref.id,
          contact_id: chat.fields.contact_id,
          actor_type: input.actor_type,
          actor_id: actorId,
          body: input.body,
        },
        subjects: [],
      },
      Object.keys(input),
    );
  }

  /**
   * Soft-deletes the chat with its messages (restorable together until the 60-day purge); on a deleted
   * chat it finishes an interrupted deletion.
   */
  async softDelete(principal: Principal, id: number): Promise<void> {
    requireCategoryHosted('chat_messages', this.deps.homeRegion);
    await this.trash.deleteWithDescendants(principal, chatRef(id));
  }

  /** Restores the chat with exactly the messages deleted with it. */
  async restore(principal: Principal, id: number): Promise<void> {
    requireCategoryHosted('chat_messages', this.deps.homeRegion);
    await this.trash.restore(principal, chatRef(id));
  }

  async listMessages(principal: Principal, chatId: number, paging: Paging) {
    await this.get(principal, chatId);
    return this.deps.store.listByParent<ChatMessageFields>(principal.accountId, chatMessagesKey(chatId), {
      ...paging,
      oldestFirst: true,
    });
  }
}

export const chatViewSchema = recordViewSchema({
  contact_id: z.number().int().nullable(),
  agent_id: z.number().int().nullable(),
  channel: z.enum(['web', 'mobile', 'social']),
  started_at: z.string(),
});
export const chatMessageViewSchema = z.strictObject({
  id: z.number().int(),
  chat_id: z.number().int(),
  actor_type: z.enum(['contact', 'agent']),
  actor_id: z.number().int(),
  body: z.string(),
  created_at: z.string(),
});
export const chatView = (record: StoredChat): z.infer<typeof chatViewSchema> => ({
  id: record.ref.id,
  ...record.fields,
  created_at: record.createdAt,
  updated_at: record.updatedAt,
});
export const chatMessageView = (record: StoredChatMessage): z.infer<typeof chatMessageViewSchema> => {
  const { contact_id: _contact, ...fields } = record.fields;
  return { id: record.ref.id, ...fields, created_at: record.createdAt };
};
