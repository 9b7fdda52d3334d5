import { z } from 'zod';
import type { Principal } from '#domain/account';
import type { ContactServiceDependencies } from '#domain/contacts/contact-service';
import { ValidationError } from '#domain/errors';
import type { ObjectStore, PresignedUpload } from '#domain/object-store';
import { type NewRecord, RecordLifecycle } from '#domain/records/record-lifecycle';
import type { RecordRef, StoredRecord, SubjectRef } from '#domain/records/record';
import { requesterAndAuthor } from '#domain/tickets/conversation-service';
import { RecordTrash } from '#domain/purge/record-trash';
import { mayChangeTicketChild, readTicket } from '#domain/tickets/ticket-access';
import { ticketAttachmentsKey } from '#domain/tickets/ticket-children';
import { type PendingUploads, pendingUpload } from './pending-uploads.ts';
import type { PersonalFieldDeclaration } from '#domain/encryption/personal-field-declaration';
export { attachmentView, attachmentViewSchema } from './attachment-view.ts';

/** Presigned attachment URLs (download and upload) live this long. */
export const attachmentUrlSeconds = 900;
/** Largest file a presigned upload may announce (Freshdesk v2 allows 20 MB per ticket; ours per file). */
export const maxPresignedAttachmentBytes = 100 * 1024 * 1024;

const fileName = z.string().trim().min(1, 'It should not be blank').max(255);
const contentType = z
  .string()
  .max(255)
  .regex(/^[\w!#$&^.+-]{1,127}\/[\w!#$&^.+-]{1,127}$/, 'It should be a media type such as image/png');

/** POST /tickets/{id}/attachments (our addition): announce a file to upload through a presigned URL. */
export const presignAttachmentSchema = z
  .object({
    name: fileName,
    content_type: contentType,
    size: z.number().int().min(1).max(maxPresignedAttachmentBytes),
    conversation_id: z.number().int().positive().optional(),
  })
  .strict();

export interface AttachmentFields {
  name: string;
  content_type: string;
  size: number;
  ticket_id: number;
  /** The conversation the file belongs to; null for the ticket's own (description) attachments. */
  conversation_id: number | null;
  requester_id: number;
  author_kind: 'contact' | 'agent';
  author_id: number;
  /** Object key in the attachments bucket: ids only, never a file name or an e-mail address. */
  object_key: string;
  /** `direct`: the API stored the bytes; `presigned`: visible once an object of `size` bytes exists. */
  upload: 'direct' | 'presigned';
}

export type StoredAttachment = StoredRecord<AttachmentFields>;

/** Which attachment fields are personal: the file name; the object key holds ids only (docs/encryption.md). */
export const attachmentPersonalFields: PersonalFieldDeclaration<AttachmentFields> = {
  name: 'personal',
  content_type: 'plain',
  size: 'plain',
  ticket_id: 'plain',
  conversation_id: 'plain',
  requester_id: 'plain',
  author_kind: 'plain',
  author_id: 'plain',
  object_key: 'plain',
  upload: 'plain',
};

/** What an attachment hangs on: a ticket, or one of its conversations, and who wrote it. */
export interface AttachmentOwner {
  readonly ticketId: number;
  /** The ticket as read, so a file of the ticket itself can mark it in the same transaction. */
  readonly ticket?: StoredRecord<{ requester_id: number; has_attachments?: boolean }>;
  readonly conversationId: number | null;
  readonly requesterId: number;
  readonly author: SubjectRef;
}

/** A file the API received in a multipart request. */
export interface ReceivedFile {
  readonly name: string;
  readonly contentType: string;
  readonly bytes: Uint8Array;
}

const attachmentRef = (id: number): RecordRef => ({ type: 'attachment', id });
export const attachmentKey = (accountId: string, ticketId: number, attachmentId: number) =>
  `accounts/${accountId}/tickets/${ticketId}/attachments/${attachmentId}`;

/** An attachment holds data of the ticket's requester and of its author; it is listed under its ticket. */
export function deriveAttachment(record: StoredAttachment): StoredAttachment {
  const { fields } = record;
  const subjects = requesterAndAuthor(fields.requester_id, {
    kind: fields.author_kind,
    id: fields.author_id,
  });
  return { ...record, subjects, parent: { key: ticketAttachmentsKey(fields.ticket_id) } };
}

/** An attachment with the URL it can be downloaded from, once its bytes are stored. */
export interface VisibleAttachment {
  readonly record: StoredAttachment;
  readonly url: string | null;
}

/**
 * Files on tickets and conversations, kept in the region's attachments bucket. Records are written in
 * the transaction of their ticket or conversation; the bytes are stored just before it, so a failed
 * write leaves at most an object no record points to: never shown, and removed when its pending upload
 * (written before any byte) is due (`OrphanUploadSweep`, a day later).
 */
export class AttachmentService {
  private readonly lifecycle: RecordLifecycle<StoredAttachment['fields']>;
  private readonly trash: RecordTrash;

  constructor(
    private readonly deps: ContactServiceDependencies & {
      readonly objects: ObjectStore;
      readonly bucket: string;
      /** Where the objects about to be stored are noted first, for the orphan sweep. */
      readonly uploads: PendingUploads;
    },
  ) {
    this.lifecycle = new RecordLifecycle(deps, deriveAttachment, 'The attachment changed since you read it.');
    this.trash = new RecordTrash(deps);
  }

  /** Stores the files' bytes under the owner's ids and answers their records, to write with the owner. */
  async store(
    principal: Principal,
    owner: AttachmentOwner,
    files: readonly ReceivedFile[],
  ): Promise<{ records: StoredAttachment[]; entries: NewRecord[] }> {
    const records = files.map((file, position) =>
      this.newRecord(
        principal,
        owner,
        { name: file.name, content_type: file.contentType, size: file.bytes.length, upload: 'direct' },
        position,
      ),
    );
    if (records.length > 0) await this.expectUpload(principal, records);
    await Promise.all(
      records.map((record, index) =>
        this.deps.objects.put(
          this.deps.bucket,
          record.fields.object_key,
          files[index]?.bytes ?? new Uint8Array(),
          record.fields.content_type,
        ),
      ),
    );
    const entries = records.map((record) => ({
      record,
      audit: this.lifecycle.audit(principal, 'create', record, ['content_type', 'name', 'size']),
    }));
    return { records, entries };
  }

  /**
   * What a new file of the caller hangs on: a live ticket of the account, or one of its live
   * conversations; another account's or a deleted ticket is not found.
   */
  async ownerFor(principal: Principal, ticketId: number, conversationId?: number): Promise<AttachmentOwner> {
    const { store } = this.deps;
    const ticket = await readTicket(store, principal, ticketId, { toChange: true });
    const owner = {
      ticketId,
      ticket,
      conversationId: null,
      requesterId: ticket.fields.requester_id,
      author: authorOf(principal),
    } as const;
    if (conversationId === undefined) return owner;
    const conversation = await store.get<{ ticket_id: number }>(principal.accountId, {
      type: 'conversation',
      id: conversationId,
    });
    if (!conversation || conversation.deletedAt || conversation.fields.ticket_id !== ticketId) {
      throw new ValidationError([
        {
          field: 'conversation_id',
          message: 'There is no conversation matching the given conversation_id on this ticket',
          code: 'invalid_value',
        },
      ]);
    }
    return { ...owner, conversationId };
  }

  /**
   * Records a file the client uploads itself, answering the presigned URL to PUT its bytes to: it
   * binds the announced type and size, so S3 refuses any other.
   */
  async presign(
    principal: Principal,
    owner: AttachmentOwner,
    input: z.infer<typeof presignAttachmentSchema>,
  ): Promise<{ record: StoredAttachment; upload: PresignedUpload }> {
    const record = this.newRecord(principal, owner, {
      name: input.name,
      content_type: input.content_type,
      size: input.size,
      upload: 'presigned',
    });
    const audit = this.lifecycle.audit(principal, 'create', record, Object.keys(input));
    // An upload that arrives after its record is gone, or of another size, is removed when this is due.
    await this.expectUpload(principal, [record]);
    const ticket = owner.ticket;
    if (owner.conversationId === null && ticket && !ticket.fields.has_attachments) {
      // The ticket's first own file: the attachment and the ticket's mark are stored together.
      const marked = {
        ...ticket,
        version: ticket.version + 1,
        updatedAt:
          record.updatedAt > ticket.updatedAt
            ? record.updatedAt
            : new Date(Date.parse(ticket.updatedAt) + 1).toISOString(),
        fields: { ...ticket.fields, has_attachments: true },
      };
      const ticketAudit = {
        ...audit,
        at: marked.updatedAt,
        operation: 'update' as const,
        record: ticket.ref,
        changedFields: ['has_attachments'],
      };
      await this.deps.store.commit([
        { create: record, audit },
        { previous: ticket, next: marked, audit: ticketAudit },
      ]);
    } else {
      await this.deps.store.create(record, audit);
    }
    const upload = await this.deps.objects.presignUpload(
      this.deps.bucket,
      record.fields.object_key,
      { contentType: record.fields.content_type, bytes: record.fields.size },
      attachmentUrlSeconds,
    );
    return { record, upload };
  }

  /**
   * The attachments of the ticket itself (owner null) or of the given conversations of it, whose bytes
   * are stored (a presigned one once its object has the announced size); none for a deleted ticket,
   * whose files are gone with it. Only these get download URLs: a file of a conversation the caller
   * is not shown (a requester and a private note) never does.
   */
  async ofTicket(
    principal: Principal,
    ticketId: number,
    owners: readonly (number | null)[],
  ): Promise<VisibleAttachment[]> {
    return this.filesOf(
      principal,
      await readTicket(this.deps.store, principal, ticketId, { includeDeleted: true }),
      owners,
    );
  }

  /** As `ofTicket`, for a ticket the caller has already read (within their scope). */
  async filesOf(
    principal: Principal,
    ticket: StoredRecord<object>,
    owners: readonly (number | null)[],
  ): Promise<VisibleAttachment[]> {
    if (ticket.deletedAt || owners.length === 0) return [];
    const page = await this.deps.store.listByParent<AttachmentFields>(
      principal.accountId,
      ticketAttachmentsKey(ticket.ref.id),
      { page: 1, perPage: 1000, oldestFirst: true },
    );
    const owned = page.records.filter((record) => owners.includes(record.fields.conversation_id));
    const all = await this.visibleAll(owned);
    return all.filter((attachment) => attachment.url !== null);
  }

  /** Download URLs for attachments just stored by the API. */
  visibleAll(records: readonly StoredAttachment[]): Promise<VisibleAttachment[]> {
    return Promise.all(records.map((record) => this.visible(record)));
  }

  /** One attachment, with a download URL once its bytes are stored. */
  async get(principal: Principal, id: number): Promise<VisibleAttachment> {
    return this.visible(await this.reachable(principal, id, false));
  }

  async softDelete(principal: Principal, id: number): Promise<void> {
    await this.reachable(principal, id, true);
    return this.lifecycle.softDelete(principal, attachmentRef(id));
  }

  /** Brings the file back (its object stayed) while its ticket is live (else 409) and in scope. */
  restore(principal: Principal, id: number): Promise<void> {
    return this.trash.restore(principal, attachmentRef(id), mayChangeTicketChild(this.deps.store));
  }

  /** A live attachment of a live ticket within the caller's scope (a deleted ticket's files are gone with it). */
  private async reachable(principal: Principal, id: number, toChange: boolean): Promise<StoredAttachment> {
    const record = await this.lifecycle.getLive(principal, attachmentRef(id));
    await readTicket(this.deps.store, principal, record.fields.ticket_id, { toChange });
    return record;
  }

  private async visible(record: StoredAttachment): Promise<VisibleAttachment> {
    const { bucket, objects } = this.deps;
    const stored =
      record.fields.upload === 'direct' ||
      (await objects.sizeOf(bucket, record.fields.object_key)) === record.fields.size;
    const url = stored
      ? (
          await objects.presignDownload(
            bucket,
            record.fields.object_key,
            record.fields.content_type,
            attachmentUrlSeconds,
          )
        ).url
      : null;
    return { record, url };
  }

  private expectUpload(principal: Principal, records: readonly StoredAttachment[]): Promise<void> {
    const objects = records.map((record) => ({
      attachmentId: record.ref.id,
      objectKey: record.fields.object_key,
    }));
    return this.deps.uploads.expect(pendingUpload(principal.accountId, objects, this.deps.now()));
  }

  private newRecord(
    principal: Principal,
    owner: AttachmentOwner,
    file: Pick<AttachmentFields, 'name' | 'content_type' | 'size' | 'upload'>,
    position = 0,
  ): StoredAttachment {
    const id = this.deps.newId();
    // Files of one request list in the order sent: each is stamped a millisecond after the one before.
    const at = new Date(this.deps.now().getTime() + position).toISOString();
    return deriveAttachment({
      accountId: principal.accountId,
      ref: attachmentRef(id),
      version: 1,
      createdAt: at,
      updatedAt: at,
      fields: {
        ...file,
        ticket_id: owner.ticketId,
        conversation_id: owner.conversationId,
        requester_id: owner.requesterId,
        author_kind: owner.author.kind,
        author_id: owner.author.id,
        object_key: attachmentKey(principal.accountId, owner.ticketId, id),
      },
      subjects: [],
    });
  }
}

/** Who writes a file: the requester acting through a portal token, else the calling agent. */
export const authorOf = (principal: Principal): SubjectRef =>
  principal.contactId !== undefined
    ? { kind: 'contact', id: principal.contactId }
    : { kind: 'agent', id: principal.agentId };
