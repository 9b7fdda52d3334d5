import { normaliseEmail, normalisePhone } from '#domain/contacts/contact-schema';
import type { CustomFieldType } from '#domain/fields/field-definition';
import { ticketPriorities, ticketStatuses } from '#domain/tickets/ticket-schema';

export type SearchResource = 'tickets' | 'contacts' | 'companies';

/**
 * What a field holds, deciding the values and operators a query may use on it:
 * - `id`: a record's id (integer); `:` only.
 * - `enum`: an integer code (priority, status); `:` takes one of `choices`, `:>` and `:<` any integer.
 * - `number`: an integer (custom number fields); `:`, `:>`, `:<`.
 * - `string`: a quoted string; `:` only, compared as `normalise` makes them (see below).
 * - `date`: a quoted 'YYYY-MM-DD' day (UTC); `:` means that day, `:>` and `:<` on or after, on or before.
 * - `boolean`: `true` or `false`; `:` only.
 * `null` (with `:`) matches a record where the field has no value, on nullable fields only.
 */
export type SearchFieldType = 'id' | 'enum' | 'number' | 'string' | 'date' | 'boolean';

export interface SearchField {
  readonly name: string;
  readonly type: SearchFieldType;
  readonly nullable: boolean;
  /** Codes an `enum` field takes. */
  readonly choices?: readonly number[];
  /** How a `string` field compares: both sides are normalised, then must be equal. */
  readonly normalise?: (text: string) => string;
  /** The record holds a list (a ticket's tags, a company's domains); a term matches any element. */
  readonly multiValued?: boolean;
  /** An admin-encrypted custom field: named in a query, it is a 400 (never searchable). */
  readonly encrypted?: boolean;
}

/** A custom field as the account defines it, by the name its records use (`cf_…` on tickets). */
export interface CustomSearchField {
  readonly name: string;
  readonly type: 'number' | 'string' | 'date' | 'boolean';
  /** Admin-encrypted (docs/encryption.md): known to the query, so that naming it is a clear 400. */
  readonly encrypted?: boolean;
}

/** Text compares without case and surrounding blanks ('Urgent' finds 'urgent'). */
export const caseless = (text: string) => text.trim().toLowerCase();

const id = (name: string): SearchField => ({ name, type: 'id', nullable: true });
const date = (name: string, nullable = false): SearchField => ({ name, type: 'date', nullable });
const text = (name: string, normalise = caseless, multiValued = false): SearchField => ({
  name,
  type: 'string',
  nullable: true,
  normalise,
  multiValued,
});
const codes = (name: string, values: Record<string, number>): SearchField => ({
  name,
  type: 'enum',
  nullable: false,
  choices: Object.values(values),
});
const timestamps = [date('created_at'), date('updated_at')];

/** The searchable built-in fields of each resource, Freshdesk v2 names (`agent_id` is `responder_id`). */
export const builtInSearchFields: Readonly<Record<SearchResource, readonly SearchField[]>> = {
  tickets: [
    id('agent_id'),
    id('group_id'),
    codes('priority', ticketPriorities),
    codes('status', ticketStatuses),
    text('tag', caseless, true),
    text('type'),
    date('due_by', true),
    date('fr_due_by', true),
    ...timestamps,
  ],
  contacts: [
    id('company_id'),
    text('email', normaliseEmail),
    text('phone', normalisePhone),
    text('mobile', normalisePhone),
    text('twitter_id'),
    ...timestamps,
    { name: 'active', type: 'boolean', nullable: false },
  ],
  companies: [text('domain', caseless, true), ...timestamps],
};

/**
 * The search type of a custom field definition; undefined for types v2 does not search (paragraphs,
 * decimals). An encrypted field of any type is known as encrypted, so a query naming it is refused
 * with that reason.
 */
export function customSearchFieldOf(definition: {
  readonly name: string;
  readonly type: CustomFieldType | string;
  readonly encrypted?: boolean;
}): CustomSearchField | undefined {
  const types: Partial<Record<string, CustomSearchField['type']>> = {
    custom_text: 'string',
    custom_dropdown: 'string',
    custom_number: 'number',
    custom_checkbox: 'boolean',
    custom_date: 'date',
  };
  if (definition.encrypted)
    return { name: definition.name, type: types[definition.type] ?? 'string', encrypted: true };
  const type = types[definition.type];
  return type && { name: definition.name, type };
}

function customField({ name, type, encrypted }: CustomSearchField): SearchField {
  const field: SearchField = type === 'string' ? text(name) : { name, type, nullable: type !== 'boolean' };
  return encrypted ? { ...field, encrypted } : field;
}

/** The fields a query on one resource may name, built-in and the account's custom ones. */
export class SearchCatalogue {
  private readonly byName = new Map<string, SearchField>();

  constructor(
    readonly resource: SearchResource,
    customFields: readonly CustomSearchField[],
  ) {
    const custom = customFields.map(customField);
    // A custom field answers to its name and to its name with or without `cf_`; built-in names win.
    for (const field of custom) {
      const other = field.name.startsWith('cf_') ? field.name.slice(3) : `cf_${field.name}`;
      if (other) this.byName.set(other, field);
    }
    for (const field of [...custom, ...builtInSearchFields[resource]]) this.byName.set(field.name, field);
  }

  /** The field a query names, or undefined. */
  field(name: string): SearchField | undefined {
    return this.byName.get(name);
  }

  /** Every field, once each (custom fields by their own name). */
  get fields(): readonly SearchField[] {
    return [...new Set(this.byName.values())];
  }
}
