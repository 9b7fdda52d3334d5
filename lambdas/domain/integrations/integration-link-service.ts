import { recordViewSchema } from '#domain/records/record-view-schema';
import { z } from 'zod';
import type { Principal } from '#domain/account';
import type { ContactServiceDependencies } from '#domain/contacts/contact-service';
import { NotFoundError } from '#domain/errors';
import { RecordTrash } from '#domain/purge/record-trash';
import { RecordLifecycle } from '#domain/records/record-lifecycle';
import type { RecordPage } from '#domain/records/record-store';
import type { RecordRef, StoredRecord } from '#domain/records/record';
import type { Paging } from '#domain/records/paging';
import type { PersonalFieldDeclaration } from '#domain/encryption/personal-field-declaration';

/** The records an app may link to an outside record. */
export const linkableRecordTypes = ['ticket', 'contact', 'company', 'call', 'chat'] as const;
export type LinkableRecordType = (typeof linkableRecordTypes)[number];

const app = z
  .string()
  .min(1, 'It should not be blank')
  .max(64)
  .regex(/^[a-z0-9][a-z0-9_.-]*$/, 'It should be an app name in lower case: letters, digits, _ . -');
const externalId = z.string().trim().min(1, 'It should not be blank').max(255);
const externalUrl = z
  .url({ protocol: /^https?$/, error: 'It should be an http(s) URL' })
  .max(2048)
  .nullable();

/** POST /api/v2/integration_links (our addition). */
export const createIntegrationLinkSchema = z
  .object({
    app,
    record_type: z.enum(linkableRecordTypes),
    record_id: z.number().int().positive(),
    external_id: externalId,
    external_url: externalUrl.optional(),
  })
  .strict();

/** PUT /api/v2/integration_links/{id}: the outside end of the link may change, not the record. */
export const updateIntegrationLinkSchema = z
  .object({ external_id: externalId.optional(), external_url: externalUrl.optional() })
  .strict()
  .refine((body) => Object.keys(body).length > 0, {
    message: 'The request contains no field to update',
    path: ['body'],
  });

export interface IntegrationLinkFields {
  app: string;
  record_type: LinkableRecordType;
  record_id: number;
  external_id: string;
  external_url: string | null;
  /** The person whose data the linked record holds (a ticket's requester, a contact), if any. */
  contact_id: number | null;
}

export type StoredIntegrationLink = StoredRecord<IntegrationLinkFields>;

/**
 * Which integration link fields are personal: the outside URL (it may name the person, e.g. a CRM
 * page); the outside id is an id, claimed unique with the link (docs/encryption.md).
 */
export const integrationLinkPersonalFields: PersonalFieldDeclaration<IntegrationLinkFields> = {
  app: 'plain',
  record_type: 'plain',
  record_id: 'plain',
  external_id: 'plain',
  external_url: 'personal',
  contact_id: 'plain',
};

const linkRef = (id: number): RecordRef => ({ type: 'integration_link', id });
const recordLinksKey = (type: string, id: number) => `${type}#${id}#integration_link`;
const appLinksKey = (name: string) => `app#${name}#integration_link`;

/**
 * A link is listed under its record and its app, is unique per (app, record, external id), and holds
 * data of the person its record is about.
 */
export function deriveLink(record: StoredIntegrationLink): StoredIntegrationLink {
  const { fields } = record;
  return {
    ...record,
    subjects: fields.contact_id ? [{ kind: 'contact', id: fields.contact_id }] : [],
    parent: { key: recordLinksKey(fields.record_type, fields.record_id) },
    secondaryParent: { key: appLinksKey(fields.app) },
    uniqueValues: {
      link: JSON.stringify([fields.app, fields.record_type, fields.record_id, fields.external_id]),
    },
  };
}

/** Which contact a linked record is about: a ticket's requester, the contact itself, a call's or chat's contact. */
function contactOf(type: LinkableRecordType, record: StoredRecord): number | null {
  if (type === 'contact') return record.ref.id;
  const field = type === 'ticket' ? 'requester_id' : type === 'company' ? undefined : 'contact_id';
  const value = field ? record.fields[field] : undefined;
  return typeof value === 'number' ? value : null;
}

export interface IntegrationLinkFilters {
  readonly record?: { readonly type: LinkableRecordType; readonly id: number };
  readonly app?: string;
}

/** Integration links (our addition): an app's link from one of our records to a record elsewhere. */
export class IntegrationLinkService {
  private readonly lifecycle: RecordLifecycle<IntegrationLinkFields>;
  private readonly trash: RecordTrash;

  constructor(private readonly deps: ContactServiceDependencies) {
    this.lifecycle = new RecordLifecycle(
      deps,
      deriveLink,
      'This app already links the record to that external id, or the link changed since you read it.',
    );
    this.trash = new RecordTrash(deps);
  }

  async create(
    principal: Principal,
    input: z.infer<typeof createIntegrationLinkSchema>,
  ): Promise<StoredIntegrationLink> {
    const linked = await this.deps.store.get<Record<string, unknown>>(principal.accountId, {
      type: input.record_type,
      id: input.record_id,
    });
    if (!linked || linked.deletedAt) throw new NotFoundError('The linked record could not be found.');
    const at = this.deps.now().toISOString();
    return this.lifecycle.create(
      principal,
      {
        accountId: principal.accountId,
        ref: linkRef(this.deps.newId()),
        version: 1,
        createdAt: at,
        updatedAt: at,
        fields: {
          ...input,
          external_url: input.external_url ?? null,
          contact_id: contactOf(input.record_type, linked),
        },
        subjects: [],
      },
      Object.keys(input),
    );
  }

  get(principal: Principal, id: number): Promise<StoredIntegrationLink> {
    return this.lifecycle.getLive(principal, linkRef(id));
  }

  update(
    principal: Principal,
    id: number,
    changes: z.infer<typeof updateIntegrationLinkSchema>,
    ifMatch?: string,
  ): Promise<StoredIntegrationLink> {
    return this.lifecycle.update(principal, linkRef(id), changes, ifMatch);
  }

  softDelete(principal: Principal, id: number): Promise<void> {
    return this.lifecycle.softDelete(principal, linkRef(id));
  }

  /** Brings the link back (409 if the app links the record to the same external id again meanwhile). */
  restore(principal: Principal, id: number): Promise<void> {
    return this.trash.restore(principal, linkRef(id));
  }

  list(
    principal: Principal,
    paging: Paging,
    filters: IntegrationLinkFilters = {},
  ): Promise<RecordPage<IntegrationLinkFields>> {
    const { store } = this.deps;
    if (filters.record) {
      const key = recordLinksKey(filters.record.type, filters.record.id);
      return store.listByParent(principal.accountId, key, paging);
    }
    if (filters.app) {
      return store.listByParent(principal.accountId, appLinksKey(filters.app), {
        ...paging,
        secondary: true,
      });
    }
    return store.list(principal.accountId, 'integration_link', paging);
  }
}

/** A link as the API shows it. */
export const integrationLinkViewSchema = recordViewSchema({
  app: z.string(),
  record_type: z.enum(linkableRecordTypes),
  record_id: z.number().int(),
  external_id: z.string(),
  external_url: z.string().nullable(),
});
export function integrationLinkView(
  record: StoredIntegrationLink,
): z.infer<typeof integrationLinkViewSchema> {
  const { contact_id: _contact, ...fields } = record.fields;
  return { id: record.ref.id, ...fields, created_at: record.createdAt, updated_at: record.updatedAt };
}
