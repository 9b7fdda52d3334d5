import { recordViewShape } from '#domain/records/record-view-schema';
import { z } from 'zod';
import type { Principal } from '#domain/account';
import { RecordTrash } from '#domain/purge/record-trash';
import { audienceOf } from '#domain/fields/field-audience';
import { FieldService } from '#domain/fields/field-service';
import { Form, checkedChanges } from '#domain/fields/form';
import { suggestByPrefix } from '#domain/records/autocomplete';
import { prefixValueOf } from '#domain/records/prefix-value';
import { RecordLifecycle } from '#domain/records/record-lifecycle';
import type { RecordStore } from '#domain/records/record-store';
import type { RecordRef, StoredRecord } from '#domain/records/record';
import type { Paging } from '#domain/records/paging';

const text = (max: number) => z.string().trim().max(max);

/** Company fields, Freshdesk API v2 names. A company is an organisation: it holds no person's data. */
export const companyFieldsSchema = z
  .object({
    name: text(255).min(1, 'It should not be blank'),
    description: z.string().max(10_000).nullable(),
    note: z.string().max(10_000).nullable(),
    domains: z.array(text(255).min(1)).max(50),
    health_score: text(64).nullable(),
    account_tier: text(64).nullable(),
    renewal_date: z.iso.date().nullable(),
    industry: text(255).nullable(),
    custom_fields: z.record(
      z.string().max(64),
      z.union([z.string().max(10_000), z.number(), z.boolean(), z.null()]),
    ),
  })
  .strict();

export type CompanyFields = z.infer<typeof companyFieldsSchema>;
export const createCompanySchema = companyFieldsSchema.partial().required({ name: true }).strict();
export const updateCompanySchema = companyFieldsSchema
  .partial()
  .strict()
  .refine((body) => Object.keys(body).length > 0, {
    message: 'The request contains no field to update',
    path: ['body'],
  });

export const companyDefaults: Omit<CompanyFields, 'name'> = {
  description: null,
  note: null,
  domains: [],
  health_score: null,
  account_tier: null,
  renewal_date: null,
  industry: null,
  custom_fields: {},
};

const companyRef = (id: number): RecordRef => ({ type: 'company', id });
export type StoredCompany = StoredRecord<CompanyFields>;

/** Company names are unique per account, compared without case, and found by their beginning. */
export const deriveCompany = (record: StoredCompany): StoredCompany => ({
  ...record,
  subjects: [],
  uniqueValues: { name: record.fields.name.trim().toLowerCase() },
  prefixValues: { name: prefixValueOf(record.fields.name) },
});

/**
 * Companies: create, view, update, soft delete, list (contacts keep their company_id). Writes are
 * checked against the account's company fields (`custom_fields` defined and of their type, required
 * fields filled); an update changes only the custom fields it names.
 */
export class CompanyService {
  private readonly lifecycle: RecordLifecycle<CompanyFields>;
  private readonly trash: RecordTrash;
  private readonly fields: FieldService;

  constructor(private readonly deps: { store: RecordStore; now: () => Date; newId: () => number }) {
    this.lifecycle = new RecordLifecycle(
      deps,
      deriveCompany,
      'A company of that name exists, or it changed since you read it.',
    );
    this.trash = new RecordTrash(deps);
    this.fields = new FieldService(deps, 'company');
  }

  private async form(principal: Principal): Promise<Form> {
    return new Form('company', await this.fields.definitions(principal), audienceOf(principal));
  }

  async create(
    principal: Principal,
    input: Partial<CompanyFields> & { name: string },
  ): Promise<StoredCompany> {
    (await this.form(principal)).checkWrite(input, { ...companyDefaults, ...input }, 'create');
    const at = this.deps.now().toISOString();
    const record: StoredCompany = {
      accountId: principal.accountId,
      ref: companyRef(this.deps.newId()),
      version: 1,
      createdAt: at,
      updatedAt: at,
      fields: { ...companyDefaults, ...input },
      subjects: [],
    };
    return this.lifecycle.create(principal, record, Object.keys(input));
  }

  get = (principal: Principal, id: number) => this.lifecycle.getLive(principal, companyRef(id));
  update = async (principal: Principal, id: number, changes: Partial<CompanyFields>, ifMatch?: string) =>
    this.lifecycle.update(
      principal,
      companyRef(id),
      checkedChanges(await this.form(principal), changes),
      ifMatch,
    );
  softDelete = (principal: Principal, id: number) => this.lifecycle.softDelete(principal, companyRef(id));
  restore = (principal: Principal, id: number) => this.trash.restore(principal, companyRef(id));
  list = (principal: Principal, paging: Paging) =>
    this.deps.store.list<CompanyFields>(principal.accountId, 'company', paging);
  /** `GET /companies/autocomplete?name=`: companies whose name begins with the term (v2). */
  autocomplete = (principal: Principal, name: string) =>
    suggestByPrefix<CompanyFields>(this.deps.store, principal.accountId, 'company', ['name'], name);
}

/** A company as Freshdesk v2 shows it. */
export const companyViewSchema = companyFieldsSchema.extend(recordViewShape);
export function companyView(record: StoredCompany): z.infer<typeof companyViewSchema> {
  return { id: record.ref.id, ...record.fields, created_at: record.createdAt, updated_at: record.updatedAt };
}
