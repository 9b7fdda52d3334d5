import { recordViewShape } from '#domain/records/record-view-schema';
import { z } from 'zod';
import type { Principal } from '#domain/account';
import { audienceOf } from '#domain/fields/field-audience';
import { FieldService } from '#domain/fields/field-service';
import { Form, checkedChanges } from '#domain/fields/form';
import { suggestByPrefix } from '#domain/records/autocomplete';
import { prefixValueOf } from '#domain/records/prefix-value';
import { RecordLifecycle } from '#domain/records/record-lifecycle';
import type { Paging } from '#domain/records/paging';
import type { RecordPage, RecordStore } from '#domain/records/record-store';
import type { RecordRef, StoredRecord } from '#domain/records/record';
import {
  type ContactFields,
  contactDefaults,
  contactFieldsSchema,
  normaliseEmail,
  normalisePhone,
} from './contact-schema.ts';
import { checkRectification } from './rectification.ts';

export interface ContactServiceDependencies {
  readonly store: RecordStore;
  readonly now: () => Date;
  readonly newId: () => number;
}

export type StoredContact = StoredRecord<ContactFields>;

export interface ContactFilters extends Paging {
  readonly email?: string;
  readonly phone?: string;
  readonly mobile?: string;
  readonly company_id?: number;
  readonly updated_since?: string;
  readonly state?: ContactState;
  readonly unique_external_id?: string;
}

/** v2's contact states. Nothing verifies or blocks contacts here: those two lists are empty. */
export const contactStates = ['blocked', 'deleted', 'unverified', 'verified'] as const;
export type ContactState = (typeof contactStates)[number];

export const contactRef = (id: number): RecordRef => ({ type: 'contact', id });

/**
 * The values a contact is found by (hashed in the key, like the e-mail's claim): phone numbers,
 * normalised, and the external id exactly as given.
 */
function contactLookups(fields: ContactFields): Record<string, string> | undefined {
  const lookups = Object.fromEntries(
    [
      ...(['phone', 'mobile'] as const).map((name) => [name, normalisePhone(fields[name] ?? '')] as const),
      ['unique_external_id', fields.unique_external_id ?? ''] as const,
    ].filter(([, value]) => value !== ''),
  );
  return Object.keys(lookups).length ? lookups : undefined;
}

/** What a contact's autocomplete matches the beginning of: its name and its e-mail address. */
const namePrefixes = (fields: ContactFields): Record<string, string> => ({
  name: prefixValueOf(fields.name),
  ...(fields.email ? { email: prefixValueOf(fields.email) } : {}),
});

/**
 * What a contact's fields imply: it is its own subject, listed under its company, unique by e-mail,
 * found by phone and mobile and by the beginning of its name or e-mail. A contact made an agent keeps its e-mail but is no longer listed or found.
 */
export function deriveContact(record: StoredContact): StoredContact {
  const { fields } = record;
  const listed = !record.supersededBy;
  return {
    ...record,
    subjects: [{ kind: 'contact', id: record.ref.id }],
    parent: listed && fields.company_id ? { key: `company#${fields.company_id}#contact` } : undefined,
    uniqueValues: fields.email ? { email: normaliseEmail(fields.email) } : undefined,
    lookupValues: listed ? contactLookups(fields) : undefined,
    prefixValues: listed ? namePrefixes(fields) : undefined,
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

/**
 * Contacts (requesters): create, view, update, soft delete, restore, list. Writes are checked against
 * the account's contact fields as the caller's role sees them (`form`).
 */
export class ContactService {
  private readonly lifecycle: RecordLifecycle<ContactFields>;
  private readonly fields: FieldService;

  constructor(private readonly deps: ContactServiceDependencies) {
    this.lifecycle = new RecordLifecycle(
      deps,
      deriveContact,
      'The contact could not be saved: its e-mail belongs to another contact, or it changed since you read it.',
    );
    this.fields = new FieldService(deps, 'contact');
  }

  /** The contact fields as the caller sees them: what to validate writes against and hide from views. */
  async form(principal: Principal): Promise<Form> {
    return new Form('contact', await this.fields.definitions(principal), audienceOf(principal));
  }

  create(
    principal: Principal,
    input: Partial<ContactFields> & { name: string },
    form: Form,
  ): Promise<StoredContact> {
    form.checkWrite(input, { ...contactDefaults, ...input }, 'create');
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
    form: Form,
    ifMatch?: string,
  ): Promise<StoredContact> {
    const checked = checkedChanges(form, changes);
    return this.lifecycle.update(
      principal,
      contactRef(id),
      (previous) => {
        checkRectification(principal, previous.fields, changes);
        return checked(previous);
      },
      ifMatch,
    );
  }

  /**
   * The live contact holding an e-mail address, if any; with `includeAgents`, also a contact made an
   * agent (the person keeps the address, e.g. to be a ticket's requester).
   */
  async findByEmail(
    principal: Principal,
    email: string,
    options: { includeAgents?: boolean } = {},
  ): Promise<StoredContact | undefined> {
    const id = await this.deps.store.findByUniqueValue(
      principal.accountId,
      'contact',
      'email',
      normaliseEmail(email),
    );
    const record = id
      ? await this.deps.store.get<ContactFields>(principal.accountId, contactRef(id))
      : undefined;
    if (!record || record.deletedAt) return undefined;
    return record.supersededBy && !options.includeAgents ? undefined : record;
  }

  /** `GET /contacts/autocomplete?term=`: contacts whose name or e-mail begins with the term (v2). */
  autocomplete(principal: Principal, term: string) {
    return suggestByPrefix<ContactFields>(
      this.deps.store,
      principal.accountId,
      'contact',
      ['name', 'email'],
      term,
    );
  }

  async list(principal: Principal, filters: ContactFilters, form: Form): Promise<RecordPage<ContactFields>> {
    const paging: Paging = { page: filters.page, perPage: filters.perPage, cursor: filters.cursor };
    if (filters.email) {
      const record = await this.findByEmail(principal, filters.email);
      return { records: record && filters.page === 1 ? [record] : [], hasMore: false };
    }
    for (const name of ['phone', 'mobile'] as const) {
      const value = filters[name];
      if (value === undefined) continue;
      form.requireVisible(name);
      const normalised = normalisePhone(value);
      if (!normalised) return { records: [], hasMore: false };
      return this.deps.store.listByLookupValue<ContactFields>(
        principal.accountId,
        'contact',
        name,
        normalised,
        paging,
      );
    }
    if (filters.unique_external_id !== undefined) {
      form.requireVisible('unique_external_id');
      return this.deps.store.listByLookupValue<ContactFields>(
        principal.accountId,
        'contact',
        'unique_external_id',
        filters.unique_external_id,
        paging,
      );
    }
    if (filters.state === 'blocked' || filters.state === 'verified') return { records: [], hasMore: false };
    if (filters.company_id) {
      form.requireVisible('company_id');
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
export const contactViewSchema = contactFieldsSchema.extend({
  ...recordViewShape,
  active: z.boolean(),
  deleted: z.boolean(),
});
export function contactView(record: StoredContact): z.infer<typeof contactViewSchema> {
  return {
    id: record.ref.id,
    ...record.fields,
    active: false,
    deleted: Boolean(record.deletedAt),
    created_at: record.createdAt,
    updated_at: record.updatedAt,
  };
}
