import type { Principal } from '#domain/account';
import { RecordLifecycle } from '#domain/records/record-lifecycle';
import type { RecordStore } from '#domain/records/record-store';
import type { RecordRef, StoredRecord } from '#domain/records/record';
import { type ContactFields, contactDefaults, normaliseEmail } from './contact-schema.ts';

export interface ContactServiceDependencies {
  readonly store: RecordStore;
  readonly now: () => Date;
  readonly newId: () => number;
}

export type StoredContact = StoredRecord<ContactFields>;

export interface ContactFilters {
  readonly email?: string;
  readonly company_id?: number;
  readonly updated_since?: string;
  readonly state?: 'deleted';
  readonly page: number;
  readonly per_page: number;
}

const contactRef = (id: number): RecordRef => ({ type: 'contact', id });

/** What a contact's fields imply: it is its own subject, listed under its company, unique by e-mail. */
export function deriveContact(record: StoredContact): StoredContact {
  const { fields } = record;
  return {
    ...record,
    subjects: [{ kind: 'contact', id: record.ref.id }],
    parent: fields.company_id ? { key: `company#${fields.company_id}#contact` } : undefined,
    uniqueValues: fields.email ? { email: normaliseEmail(fields.email) } : undefined,
  };
}

/** A new contact record (not yet stored). */
export function newContact(
  accountId: string,
  id: number,
  at: string,
  input: Partial<ContactFields> & { name: string },
) {
  return deriveContact({
    accountId,
    ref: contactRef(id),
    version: 1,
    createdAt: at,
    updatedAt: at,
    fields: { ...contactDefaults, ...input },
    subjects: [],
  });
}

/** Contacts (requesters): create, view, update, soft delete, restore, list. */
export class ContactService {
  private readonly lifecycle: RecordLifecycle<ContactFields>;

  constructor(private readonly deps: ContactServiceDependencies) {
    this.lifecycle = new RecordLifecycle(
      deps,
      deriveContact,
      'The contact could not be saved: its e-mail belongs to another contact, or it changed since you read it.',
    );
  }

  create(principal: Principal, input: Partial<ContactFields> & { name: string }): Promise<StoredContact> {
    const record = newContact(principal.accountId, this.deps.newId(), this.deps.now().toISOString(), input);
    return this.lifecycle.create(principal, record, Object.keys(input));
  }

  get(principal: Principal, id: number): Promise<StoredContact> {
    return this.lifecycle.get(principal, contactRef(id));
  }

  update(
    principal: Principal,
    id: number,
    changes: Partial<ContactFields>,
    ifMatch?: string,
  ): Promise<StoredContact> {
    return this.lifecycle.update(principal, contactRef(id), changes, ifMatch);
  }

  softDelete(principal: Principal, id: number): Promise<void> {
    return this.lifecycle.softDelete(principal, contactRef(id));
  }

  restore(principal: Principal, id: number): Promise<void> {
    return this.lifecycle.restore(principal, contactRef(id));
  }

  /** The live contact holding an e-mail address, if any. */
  async findByEmail(principal: Principal, email: string): Promise<StoredContact | undefined> {
    const id = await this.deps.store.findByUniqueValue(
      principal.accountId,
      'contact',
      'email',
      normaliseEmail(email),
    );
    const record = id
      ? await this.deps.store.get<ContactFields>(principal.accountId, contactRef(id))
      : undefined;
    return record && !record.deletedAt ? record : undefined;
  }

  async list(
    principal: Principal,
    filters: ContactFilters,
  ): Promise<{ records: StoredContact[]; hasMore: boolean }> {
    const paging = { page: filters.page, perPage: filters.per_page };
    if (filters.email) {
      const record = await this.findByEmail(principal, filters.email);
      return { records: record && filters.page === 1 ? [record] : [], hasMore: false };
    }
    if (filters.company_id) {
      return this.deps.store.listByParent<ContactFields>(
        principal.accountId,
        `company#${filters.company_id}#contact`,
        paging,
      );
    }
    return this.deps.store.list<ContactFields>(principal.accountId, 'contact', {
      ...paging,
      updatedSince: filters.updated_since,
      deleted: filters.state === 'deleted',
    });
  }
}

/** A contact as Freshdesk v2 shows it. */
export function contactView(record: StoredContact) {
  return {
    id: record.ref.id,
    ...record.fields,
    active: false,
    deleted: Boolean(record.deletedAt),
    created_at: record.createdAt,
    updated_at: record.updatedAt,
  };
}
