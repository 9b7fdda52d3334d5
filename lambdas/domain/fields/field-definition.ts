import { recordViewSchema } from '#domain/records/record-view-schema';
import { z } from 'zod';
import type { StoredRecord } from '#domain/records/record';
import { hasChoices } from './default-fields.ts';

/** Contact, ticket and company fields: the forms whose fields an admin defines (Freshdesk v2). */
export type FieldKind = 'contact' | 'ticket' | 'company';

/** Types of custom fields, Freshdesk v2 names. */
export const customFieldTypes = [
  'custom_text',
  'custom_paragraph',
  'custom_checkbox',
  'custom_number',
  'custom_decimal',
  'custom_date',
  'custom_dropdown',
] as const;
export type CustomFieldType = (typeof customFieldTypes)[number];

/** Roles a contact field can be hidden from (our addition); administrators always see every field. */
export const hideableRoles = ['supervisor', 'agent'] as const;
export type HideableRole = (typeof hideableRoles)[number];

export interface FieldChoice {
  readonly id: number;
  readonly value: string;
  readonly position: number;
}

/** A field definition as stored: what v2 shows of it, minus id and timestamps. */
export interface FieldDefinitionFields {
  readonly name: string;
  readonly label: string;
  readonly label_for_customers: string;
  /** `default_<name>` for the built-in fields, one of `customFieldTypes` for the others. */
  readonly type: string;
  readonly default: boolean;
  readonly position: number;
  readonly required_for_agents: boolean;
  readonly required_for_customers: boolean;
  readonly customers_can_edit: boolean;
  readonly displayed_for_customers: boolean;
  readonly choices: readonly FieldChoice[];
  /**
   * Contact fields, and custom ticket fields: roles for which the field is absent from answers and
   * refused on write.
   */
  readonly hidden_from_roles: readonly HideableRole[];
  /**
   * Custom contact and ticket fields (our addition, docs/encryption.md "Admin-encrypted fields"): the
   * values are also encrypted under the account's field key, and the field is never searchable.
   * Absent on definitions stored before it existed: false.
   */
  readonly encrypted?: boolean;
}

export type StoredField = StoredRecord<FieldDefinitionFields>;

const text = (max: number) => z.string().trim().max(max);
const choiceSchema = z
  .object({ value: text(255).min(1, 'It should not be blank'), position: z.number().int().min(1).max(1000) })
  .partial()
  .required({ value: true })
  .strict();

const settings = {
  label: text(255).min(1, 'It should not be blank'),
  label_for_customers: text(255).min(1, 'It should not be blank'),
  position: z.number().int().min(1).max(1000),
  required_for_agents: z.boolean(),
  required_for_customers: z.boolean(),
  customers_can_edit: z.boolean(),
  displayed_for_customers: z.boolean(),
  choices: z
    .array(choiceSchema)
    .min(1)
    .max(500)
    .refine((choices) => new Set(choices.map((c) => c.value.toLowerCase())).size === choices.length, {
      message: 'Choices must be unique',
    }),
};
const hiddenFromRoles = z
  .array(z.enum(hideableRoles))
  .max(hideableRoles.length)
  .refine((roles) => new Set(roles).size === roles.length, { message: 'Roles must be unique' });

const dropdownChoices = <T extends { type: string; choices?: unknown }>(body: T, ctx: z.RefinementCtx) => {
  if (body.type === 'custom_dropdown' && body.choices === undefined) {
    ctx.addIssue({ code: 'custom', path: ['choices'], message: 'A dropdown field needs choices' });
  }
  if (body.type !== 'custom_dropdown' && body.choices !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['choices'], message: 'Only a dropdown field has choices' });
  }
};

/** POST /api/v2/admin/contact_fields (v2 requires both labels and the type). */
export const createContactFieldSchema = z
  .object({
    ...settings,
    type: z.enum(customFieldTypes),
    hidden_from_roles: hiddenFromRoles,
    encrypted: z.boolean(),
  })
  .partial()
  .required({ label: true, label_for_customers: true, type: true })
  .strict()
  .superRefine(dropdownChoices);

/**
 * Ticket fields take v2's `displayed_to_customers` (contact fields: `displayed_for_customers`); both are
 * stored as `displayed_for_customers`.
 */
const { displayed_for_customers: _contactName, ...ticketSettingsBase } = settings;
const ticketSettings = {
  ...ticketSettingsBase,
  displayed_to_customers: z.boolean(),
  hidden_from_roles: hiddenFromRoles,
  encrypted: z.boolean(),
};
const storedTicketSettings = <T extends { displayed_to_customers?: boolean }>({
  displayed_to_customers,
  ...rest
}: T) =>
  displayed_to_customers === undefined ? rest : { ...rest, displayed_for_customers: displayed_to_customers };

/** POST /api/v2/admin/ticket_fields. */
export const createTicketFieldSchema = z
  .object({ ...ticketSettings, type: z.enum(customFieldTypes) })
  .partial()
  .required({ label: true, type: true })
  .strict()
  .superRefine(dropdownChoices)
  .transform(storedTicketSettings);

/**
 * POST /api/v2/admin/company_fields. Companies are agents' records only: their fields have no
 * customer settings, as in v2.
 */
const { label, position, required_for_agents, choices } = settings;
const companySettings = { label, position, required_for_agents, choices };
export const createCompanyFieldSchema = z
  .object({ ...companySettings, type: z.enum(customFieldTypes) })
  .partial()
  .required({ label: true, type: true })
  .strict()
  .superRefine(dropdownChoices);

const notEmpty = {
  message: 'The request contains no field to update',
  path: ['body'],
};

/** PUT /api/v2/admin/contact_fields/{id}: a field's type and name never change. */
export const updateContactFieldSchema = z
  .object({ ...settings, hidden_from_roles: hiddenFromRoles, encrypted: z.boolean() })
  .partial()
  .strict()
  .refine((body) => Object.keys(body).length > 0, notEmpty);

export const updateTicketFieldSchema = z
  .object(ticketSettings)
  .partial()
  .strict()
  .refine((body) => Object.keys(body).length > 0, notEmpty)
  .transform(storedTicketSettings);

export const updateCompanyFieldSchema = z
  .object(companySettings)
  .partial()
  .strict()
  .refine((body) => Object.keys(body).length > 0, notEmpty);

export type CreateFieldInput = z.infer<typeof createContactFieldSchema>;
export type UpdateFieldInput = z.infer<typeof updateContactFieldSchema>;

/** The name a custom field gets from its label, as v2 derives it (tickets prefix `cf_`). */
export function fieldNameOf(kind: FieldKind, label: string): string {
  const slug = label
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 60);
  return slug && kind === 'ticket' ? `cf_${slug}` : slug;
}

/** A field definition as Freshdesk v2 shows it, per kind: contact and ticket fields have customer settings. */
const fieldViewBase = recordViewSchema({
  name: z.string(),
  label: z.string(),
  type: z.string(),
  default: z.boolean(),
  position: z.number().int(),
  required_for_agents: z.boolean(),
  /** Dropdowns and the built-in ticket type only. */
  choices: z
    .array(z.strictObject({ id: z.number().int(), value: z.string(), position: z.number().int() }))
    .optional(),
});
const customerSettings = {
  label_for_customers: z.string(),
  required_for_customers: z.boolean(),
  customers_can_edit: z.boolean(),
};
const formSettings = {
  hidden_from_roles: z.array(z.enum(hideableRoles)),
  encrypted: z.boolean(),
};
export const fieldViewSchemas = {
  contact: fieldViewBase.extend({
    ...customerSettings,
    ...formSettings,
    displayed_for_customers: z.boolean(),
  }),
  ticket: fieldViewBase.extend({ ...customerSettings, ...formSettings, displayed_to_customers: z.boolean() }),
  company: fieldViewBase,
} as const;
export type FieldView = z.infer<(typeof fieldViewSchemas)[FieldKind]>;

export function fieldView(kind: FieldKind, record: StoredField): FieldView {
  const {
    choices,
    hidden_from_roles: _hidden,
    displayed_for_customers: _displayed,
    label_for_customers: _label,
    required_for_customers: _required,
    customers_can_edit: _editable,
    encrypted: _encrypted,
    ...fields
  } = record.fields;
  const view = {
    id: record.ref.id,
    ...fields,
    ...(hasChoices(fields.type) ? { choices: [...choices] } : {}),
    created_at: record.createdAt,
    updated_at: record.updatedAt,
  };
  // What each form shows of the customer settings: contacts' and tickets' names for them; companies none.
  if (kind === 'company') return view;
  const { label_for_customers, required_for_customers, customers_can_edit } = record.fields;
  const { displayed_for_customers, hidden_from_roles } = record.fields;
  const shared = {
    ...view,
    label_for_customers,
    required_for_customers,
    customers_can_edit,
    hidden_from_roles: [...hidden_from_roles],
    encrypted: record.fields.encrypted ?? false,
  };
  return kind === 'contact'
    ? { ...shared, displayed_for_customers }
    : { ...shared, displayed_to_customers: displayed_for_customers };
}
