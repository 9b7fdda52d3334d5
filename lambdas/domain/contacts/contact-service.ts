import type { Principal } from '#domain/account';
import { ConflictError, NotFoundError } from '#domain/errors';
import type { RecordStore } from '#domain/records/record-store';
import { type Actor, changedFieldNames, etagOf, type StoredRecord } from '#domain/records/record';
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

const actorOf = (principal: Principal): Actor => ({ type: 'agent', id: principal.agentId });

/** Contacts (requesters): create, view, update, soft delete, restore, list. */
export class ContactService {
  constructor(private readonly deps: ContactServiceDependencies) {}

  async create(
    principal: Principal,
    input: Partial<ContactFields> & { name: string },
  ): Promise<StoredContact> {
    const at = this.deps.now().toISOString();
    const id = this.deps.newId();
    const fields: ContactFields = { ...contactDefaults, ...input };
    const record: StoredContact = {
      accountId: principal.accountId,
      ref: { type: 'contact', id },
      version: 1,
      createdAt: at,
      updatedAt: at,
      fields,
      subjects: [{ kind: 'contact', id }],
      parent: fields.company_id ? { key: `company#${fields.company_id}#contact` } : undefined,
      uniqueValues: uniqueValuesOf(fields),
    };
    await this.write(() =>
      this.deps.store.create(record, {
        at,
        actor: actorOf(principal),
        operation: 'create',
        record: record.ref,
        changedFields: Object.keys(input).sort(),
      }),
    );
    return record;
  }

  async get(principal: Principal, id: number): Promise<StoredContact> {
    const record = await this.deps.store.get<ContactFields>(principal.accountId, { type: 'contact', id });
    if (!record) throw new NotFoundError();
    return record;
  }

  async update(
    principal: Principal,
    id: number,
    changes: Partial<ContactFields>,
    ifMatch?: string,
  ): Promise<StoredContact> {
    const previous = await this.get(principal, id);
    if (previous.deletedAt) throw new NotFoundError();
    if (ifMatch && ifMatch !== etagOf(previous)) {
      throw new ConflictError(
        'The contact changed since you read it (ETag mismatch). Read it again and retry.',
      );
    }
    const fields: ContactFields = { ...previous.fields, ...changes };
    const changedFields = changedFieldNames(previous.fields, fields);
    if (changedFields.length === 0) return previous;
    const next: StoredContact = {
      ...previous,
      version: previous.version + 1,
      updatedAt: this.laterThan(previous.updatedAt),
      fields,
      parent: fields.company_id ? { key: `company#${fields.company_id}#contact` } : undefined,
      uniqueValues: uniqueValuesOf(fields),
    };
    await this.write(() =>
      this.deps.store.replace(previous, next, {
        at: next.updatedAt,
        actor: actorOf(principal),
        operation: 'update',
        record: next.ref,
        changedFields,
      }),
    );
    return next;
  }

  /** Soft delete: hidden from lists, e-mail freed, restorable. */
  async softDelete(principal: Principal, id: number): Promise<void> {
    const previous = await this.get(principal, id);
    if (previous.deletedAt) throw new NotFoundError();
    const at = this.laterThan(previous.updatedAt);
    const next: StoredContact = { ...previous, version: previous.version + 1, updatedAt: at, deletedAt: at };
    await this.deps.store.replace(previous, next, {
      at,
      actor: actorOf(principal),
      operation: 'delete',
      record: next.ref,
      changedFields: [],
    });
  }

  async restore(principal: Principal, id: number): Promise<void> {
    const previous = await this.get(principal, id);
    if (!previous.deletedAt) return;
    const at = this.laterThan(previous.updatedAt);
    const { deletedAt: _deleted, ...live } = previous;
    const next: StoredContact = { ...live, version: previous.version + 1, updatedAt: at };
    await this.write(() =>
      this.deps.store.replace(previous, next, {
        at,
        actor: actorOf(principal),
        operation: 'restore',
        record: next.ref,
        changedFields: [],
      }),
    );
  }

  async list(
    principal: Principal,
    filters: ContactFilters,
  ): Promise<{ records: StoredContact[]; hasMore: boolean }> {
    const paging = { page: filters.page, perPage: filters.per_page };
    if (filters.email) {
      const id = await this.deps.store.findByUniqueValue(
        principal.accountId,
        'contact',
        'email',
        normaliseEmail(filters.email),
      );
      const record = id
        ? await this.deps.store.get<ContactFields>(principal.accountId, { type: 'contact', id })
        : undefined;
      const matches = record && !record.deletedAt && filters.page === 1 ? [record] : [];
      return { records: matches, hasMore: false };
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

  /** A timestamp strictly after `previous`, so versions order by time even within one millisecond. */
  private laterThan(previous: string): string {
    const now = this.deps.now();
    const floor = new Date(Date.parse(previous) + 1);
    return (now > floor ? now : floor).toISOString();
  }

  private async write(action: () => Promise<void>): Promise<void> {
    try {
      await action();
    } catch (error) {
      if (error instanceof ConflictError) {
        throw new ConflictError(
          'The contact could not be saved: its e-mail belongs to another contact, or it changed since you read it.',
        );
      }
      throw error;
    }
  }
}

function uniqueValuesOf(fields: ContactFields): Record<string, string> | undefined {
  return fields.email ? { email: normaliseEmail(fields.email) } : undefined;
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
