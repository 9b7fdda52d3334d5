import { z } from 'zod';
import { recordViewShape } from '#domain/records/record-view-schema';
import { type AttachmentView, attachmentViewSchema } from '#domain/attachments/attachment-view';
import type { Principal } from '#domain/account';
import {
  type ContactServiceDependencies,
  ContactService,
  newContact,
} from '#domain/contacts/contact-service';
import { audienceOf } from '#domain/fields/field-audience';
import { FieldService } from '#domain/fields/field-service';
import { Form, checkedChanges } from '#domain/fields/form';
import { requireLiveContact } from '#domain/contacts/contact-reference';
import { requireLiveProduct } from '#domain/products/product-service';
import type { Paging } from '#domain/records/paging';
import { type NewRecord, RecordLifecycle } from '#domain/records/record-lifecycle';
import type { RecordPage } from '#domain/records/record-store';
import type { RecordRef, StoredRecord, SubjectRef } from '#domain/records/record';
import { htmlToText } from './html-text.ts';
import { readTicket, requireTicketAccess, ticketFilterFor } from './ticket-access.ts';
import { noTicketStats, statsAfterStatus, type TicketStats } from './ticket-stats.ts';
import { TicketChildren } from './ticket-children.ts';
import { type OrderType, type TicketOrderField, ticketListSource, updatedSince } from './ticket-order.ts';
import { TicketWatchers } from './ticket-watchers.ts';
import {
  type CreateTicketInput,
  type TicketFields,
  ticketDefaults,
  ticketFieldsSchema,
  ticketStatuses,
} from './ticket-schema.ts';
import type { PersonalFieldDeclaration } from '#domain/encryption/personal-field-declaration';

/**
 * A stored ticket's fields. `has_attachments` (never client-writable, never shown) is set once a file
 * is attached to the ticket itself, so a view of a ticket without files reads nothing but the ticket;
 * `stats` (never client-writable, shown with `include=stats`) says when things happened to it;
 * `merged_into` names the primary a merged ticket went into.
 */
export type StoredTicketFields = TicketFields & {
  has_attachments?: boolean;
  stats?: TicketStats;
  /** Set once the ticket is merged into another (PUT /tickets/merge), never shown nor client-writable. */
  merged_into?: number;
};
export type StoredTicket = StoredRecord<StoredTicketFields>;

/** Which ticket fields are personal (sealed under the requester's key; docs/encryption.md). */
export const ticketPersonalFields: PersonalFieldDeclaration<StoredTicketFields> = {
  subject: 'personal',
  description: 'personal',
  status: 'plain',
  priority: 'plain',
  source: 'plain',
  type: 'plain',
  requester_id: 'plain',
  responder_id: 'plain',
  group_id: 'plain',
  company_id: 'plain',
  product_id: 'plain',
  cc_emails: 'personal',
  tags: 'personal',
  due_by: 'plain',
  fr_due_by: 'plain',
  custom_fields: 'personal',
  has_attachments: 'plain',
  stats: 'plain',
  merged_into: 'plain',
};

export interface TicketFilters extends Paging {
  readonly requester_id?: number;
  readonly email?: string;
  readonly company_id?: number;
  readonly updated_since?: string;
  readonly filter?: TicketListFilter;
  readonly order_by?: TicketOrderField;
  readonly order_type?: OrderType;
}

/** v2's predefined ticket filters. */
export const ticketListFilters = ['new_and_my_open', 'watching', 'spam', 'deleted'] as const;
export type TicketListFilter = (typeof ticketListFilters)[number];

/**
 * What a predefined filter keeps, tested as the list is read (pages stay full). No ticket is marked
 * spam here: that list is empty, as it truly is. `watching` reads the caller's watches instead.
 */
function predefinedFilter(
  principal: Principal,
  filter: TicketListFilter | undefined,
): ((record: StoredRecord<TicketFields>) => boolean) | undefined {
  if (filter === 'new_and_my_open') {
    return ({ fields }) =>
      fields.status === ticketStatuses.open &&
      (fields.responder_id === null || fields.responder_id === principal.agentId);
  }
  return undefined;
}

/** Every given test at once; none given: undefined (the list reads unfiltered). */
function all<T>(...tests: ReadonlyArray<((value: T) => boolean) | undefined>) {
  const given = tests.filter((test) => test !== undefined);
  if (given.length === 0) return undefined;
  return (value: T) => given.every((test) => test(value));
}

/**
 * The requester's or company's tickets: their index key (listed by creation), and the same as a test
 * for lists read in another order.
 */
function parentOf(requesterId: number | undefined, companyId: number | undefined) {
  if (requesterId !== undefined) {
    return {
      key: requesterParentKey(requesterId),
      secondary: false,
      holds: (record: StoredRecord<TicketFields>) => record.fields.requester_id === requesterId,
    };
  }
  if (!companyId) return undefined;
  return {
    key: companyParentKey(companyId),
    secondary: true,
    holds: (record: StoredRecord<TicketFields>) => record.fields.company_id === companyId,
  };
}

const ticketRef = (id: number): RecordRef => ({ type: 'ticket', id });
export const requesterParentKey = (contactId: number) => `requester#${contactId}#ticket`;
const companyParentKey = (companyId: number) => `company#${companyId}#ticket`;

/**
 * What a ticket's fields imply: it holds its requester's data (and names its responder), and it is
 * listed under its requester and, when it has one, its company.
 */
export function deriveTicket(record: StoredTicket): StoredTicket {
  const { fields } = record;
  const subjects: SubjectRef[] = [{ kind: 'contact', id: fields.requester_id }];
  if (fields.responder_id) subjects.push({ kind: 'agent', id: fields.responder_id });
  return {
    ...record,
    subjects,
    parent: { key: requesterParentKey(fields.requester_id) },
    secondaryParent: fields.company_id ? { key: companyParentKey(fields.company_id) } : undefined,
  };
}

/** Tickets: create (with a new requester for an unknown e-mail), view, update, soft delete, restore, list. */
export class TicketService {
  private readonly lifecycle: RecordLifecycle<StoredTicketFields>;
  private readonly contacts: ContactService;
  private readonly fields: FieldService;
  private readonly children: TicketChildren;
  private readonly watchers: TicketWatchers;

  constructor(
    private readonly deps: ContactServiceDependencies,
    /** Children changed per transaction when a ticket is deleted or restored. */
    cascadeBatchSize?: number,
  ) {
    this.children = new TicketChildren(deps, cascadeBatchSize);
    this.fields = new FieldService(deps, 'ticket');
    this.lifecycle = new RecordLifecycle(
      deps,
      deriveTicket,
      'The ticket changed since you read it. Read it again and retry.',
    );
    this.contacts = new ContactService(deps);
    this.watchers = new TicketWatchers(deps);
  }

  /** Creates the ticket; `companions` (its attachments) are stored in the same transaction. */
  async create(
    principal: Principal,
    input: CreateTicketInput,
    companions: (ticket: StoredTicket) => Promise<readonly NewRecord[]> = async () => [],
  ): Promise<StoredTicket> {
    const { email: _email, name: _name, ...ticketInput } = input;
    const at = this.deps.now().toISOString();
    const form = await this.form(principal);
    const requester = await this.resolveRequester(principal, input, at);
    const fields = { ...ticketDefaults, ...ticketInput, requester_id: requester.id } as TicketFields;
    form.checkWrite(ticketInput, fields, 'create');
    await requireLiveProduct(this.deps.store, principal.accountId, ticketInput.product_id);
    const stats = statsAfterStatus(noTicketStats, undefined, fields.status, at);
    const id = await this.deps.store.nextSequence(principal.accountId, 'ticket');
    const draft = deriveTicket({
      accountId: principal.accountId,
      ref: ticketRef(id),
      version: 1,
      createdAt: at,
      updatedAt: at,
      fields: { ...fields, stats },
      subjects: [],
    });
    const extra = await companions(draft);
    const ticket = extra.some((entry) => entry.record.ref.type === 'attachment')
      ? { ...draft, fields: { ...draft.fields, has_attachments: true } }
      : draft;
    const ticketAudit = this.lifecycle.audit(principal, 'create', ticket, Object.keys(input));
    if (requester.created) {
      // The new requester and the ticket are stored together or not at all.
      const contactAudit = {
        ...ticketAudit,
        record: requester.created.ref,
        changedFields: ['email', 'name'],
      };
      await this.deps.store.createTogether([
        { record: requester.created, audit: contactAudit },
        { record: ticket, audit: ticketAudit },
        ...extra,
      ]);
    } else {
      await this.deps.store.createTogether([{ record: ticket, audit: ticketAudit }, ...extra]);
    }
    return ticket;
  }

  /**
   * A ticket within the caller's scope (deleted ones too, as v2 shows them to agents; a requester sees
   * only their live tickets); else not found.
   */
  async get(principal: Principal, id: number): Promise<StoredTicket> {
    return readTicket(this.deps.store, principal, id, { includeDeleted: principal.contactId === undefined });
  }

  /**
   * Checks changes as `update` would before reading any ticket (the caller's form, a live requester):
   * what a bulk update asks before its job starts, so bad properties are a 400, not a failure per ticket.
   */
  async checkUpdate(principal: Principal, changes: Partial<TicketFields>): Promise<void> {
    if (changes.requester_id !== undefined) await this.requireLiveContact(principal, changes.requester_id);
    const form = await this.form(principal);
    form.checkWrite(changes, changes, 'update');
  }

  async update(
    principal: Principal,
    id: number,
    changes: Partial<TicketFields>,
    ifMatch?: string,
  ): Promise<StoredTicket> {
    if (changes.requester_id !== undefined) await this.requireLiveContact(principal, changes.requester_id);
    await requireLiveProduct(this.deps.store, principal.accountId, changes.product_id);
    const form = await this.form(principal);
    const checked = checkedChanges(form, changes);
    return this.lifecycle.update(
      principal,
      ticketRef(id),
      (previous) => {
        const next = checked(requireTicketAccess(principal, previous, { toChange: true }));
        if (next.status === undefined || next.status === previous.fields.status) return next;
        const stats = previous.fields.stats ?? noTicketStats;
        const at = this.deps.now().toISOString();
        return { ...next, stats: statsAfterStatus(stats, previous.fields.status, next.status, at) };
      },
      ifMatch,
    );
  }

  /**
   * Soft-deletes the ticket with its live huddle messages and attachments (those deleted before stay
   * as they are). The ticket goes in the first transaction: from then on its children answer 404, as
   * they are reached through it; the rest follow in batches. On a deleted ticket it finishes what an
   * interrupted deletion left, so a retry completes it.
   */
  async softDelete(principal: Principal, id: number): Promise<void> {
    const ticket = await readTicket<TicketFields>(this.deps.store, principal, id, {
      includeDeleted: true,
      toChange: true,
    });
    const first = ticket.deletedAt ? [] : [this.lifecycle.deletion(principal, ticket)];
    const deletedAt = first[0]?.next.deletedAt ?? (ticket.deletedAt as string);
    const children = await this.children.matching(principal.accountId, id, (child) => !child.deletedAt);
    await this.children.commitInBatches([
      ...first,
      ...children.map((child) =>
        this.children.lifecycle.deletion(principal, child, { ref: ticket.ref, deletedAt }),
      ),
    ]);
  }

  /**
   * Restores the ticket with exactly the children deleted with it. The ticket goes in the last
   * transaction, so its children stay hidden until it is back; a retry finishes an interrupted restore.
   */
  async restore(principal: Principal, id: number): Promise<void> {
    const ticket = await readTicket<TicketFields>(this.deps.store, principal, id, {
      includeDeleted: true,
      toChange: true,
    });
    const children = await this.children.matching(
      principal.accountId,
      id,
      (child) => child.deletedWith?.type === 'ticket' && child.deletedWith.id === id,
    );
    await this.children.commitInBatches([
      ...children.map((child) => this.children.lifecycle.restoration(principal, child)),
      ...(ticket.deletedAt ? [this.lifecycle.restoration(principal, ticket)] : []),
    ]);
  }

  /**
   * Tickets by the filters in the order asked (`ticketListSource`); a scoped agent sees only the tickets
   * of their scope (filtered as the index is read, see `RecordStore`'s `where`), a requester only their
   * own. Every source is read by Query, a page at a bounded cost (docs/api-limits.md).
   */
  async list(principal: Principal, filters: TicketFilters): Promise<RecordPage<TicketFields>> {
    const paging: Paging = { page: filters.page, perPage: filters.perPage, cursor: filters.cursor };
    // A requester sees only their live tickets (readTicket): for them the trash is not a list.
    const trash = filters.filter === 'deleted' && principal.contactId === undefined;
    const ascending = filters.order_type === 'asc';
    if (filters.filter === 'spam') return { records: [], hasMore: false };
    if (filters.filter === 'watching') return this.watchedTickets(principal, filters, paging);
    // A requester lists their own tickets whatever the filters say.
    const requesterId =
      principal.contactId ??
      (filters.email
        ? (await this.contacts.findByEmail(principal, filters.email))?.ref.id
        : filters.requester_id);
    const parent = parentOf(requesterId, filters.company_id);
    const source = ticketListSource(filters.order_by, { parent, trash });
    if (filters.email && requesterId === undefined) return { records: [], hasMore: false };
    const where = all<StoredRecord<TicketFields>>(
      ticketFilterFor<TicketFields>(principal),
      predefinedFilter(principal, filters.filter),
    );
    if (source.kind === 'collection') {
      return this.deps.store.list<TicketFields>(principal.accountId, 'ticket', {
        ...paging,
        updatedSince: filters.updated_since,
        deleted: trash,
        oldestFirst: ascending,
        where: all(where, parent?.holds),
      });
    }
    const since = filters.updated_since === undefined ? undefined : updatedSince(filters.updated_since);
    if (source.kind === 'parent') {
      return this.deps.store.listByParent<TicketFields>(principal.accountId, source.parent.key, {
        ...paging,
        secondary: source.parent.secondary,
        oldestFirst: ascending,
        where: all(where, since),
      });
    }
    return this.deps.store.listByRange<TicketFields>(principal.accountId, 'ticket', source.field, {
      ...paging,
      ascending,
      withoutValue: source.field === 'due_by',
      where: all(where, since, parent?.holds),
    });
  }

  /**
   * `filter=watching`: the tickets the caller watches (ticket scope applied), newest watch first, read
   * by Query of their watches; the other filters narrow that page as it is read.
   */
  private async watchedTickets(
    principal: Principal,
    filters: TicketFilters,
    paging: Paging,
  ): Promise<RecordPage<TicketFields>> {
    const requesterId = filters.email
      ? ((await this.contacts.findByEmail(principal, filters.email))?.ref.id ?? 0)
      : filters.requester_id;
    const page = await this.watchers.watchedTickets(principal, paging);
    const records = page.records.filter(
      ({ fields, updatedAt }) =>
        (requesterId === undefined || fields.requester_id === requesterId) &&
        (filters.company_id === undefined || fields.company_id === filters.company_id) &&
        (filters.updated_since === undefined || updatedAt >= filters.updated_since),
    );
    return { ...page, records };
  }

  private async resolveRequester(principal: Principal, input: CreateTicketInput, at: string) {
    if (input.requester_id !== undefined) {
      await this.requireLiveContact(principal, input.requester_id);
      return { id: input.requester_id, created: undefined };
    }
    const email = input.email as string;
    // A contact made an agent is still the person with that address: the ticket is theirs.
    const existing = await this.contacts.findByEmail(principal, email, { includeAgents: true });
    if (existing) return { id: existing.ref.id, created: undefined };
    const created = newContact(principal.accountId, this.deps.newId(), at, {
      name: input.name ?? email,
      email,
    });
    return { id: created.ref.id, created };
  }

  /** The contact fields as the caller sees them: what an embedded requester shows. */
  requesterForm(principal: Principal): Promise<Form> {
    return this.contacts.form(principal);
  }

  /** The ticket fields as the caller sees them: what to check writes against and hide from views. */
  async form(principal: Principal): Promise<Form> {
    return new Form('ticket', await this.fields.definitions(principal), audienceOf(principal));
  }

  private requireLiveContact(principal: Principal, contactId: number): Promise<void> {
    return requireLiveContact(this.deps.store, principal.accountId, contactId, 'requester_id');
  }
}

/** A ticket as Freshdesk v2 shows it. */
export const ticketViewSchema = ticketFieldsSchema.extend({
  ...recordViewShape,
  description_text: z.string(),
  attachments: z.array(attachmentViewSchema),
  is_escalated: z.boolean(),
  spam: z.boolean(),
  deleted: z.boolean(),
});
export type TicketView = z.infer<typeof ticketViewSchema>;
export function ticketView(record: StoredTicket, attachments: readonly AttachmentView[] = []): TicketView {
  const { has_attachments: _flag, stats: _stats, merged_into: _merged, ...fields } = record.fields;
  return {
    id: record.ref.id,
    ...fields,
    description_text: htmlToText(record.fields.description),
    attachments: [...attachments],
    is_escalated: false,
    spam: false,
    deleted: Boolean(record.deletedAt),
    created_at: record.createdAt,
    updated_at: record.updatedAt,
  };
}

/** A ticket's stats as v2 shows them with `include=stats` (all empty for a ticket from before they were kept). */
export function ticketStatsView(record: StoredTicket): TicketStats {
  return record.fields.stats ?? noTicketStats;
}
