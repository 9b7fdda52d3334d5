import type { FieldDefinitionFields, FieldKind } from './field-definition.ts';

/** A built-in field: its v2 definition and the keys of the record it stands for. */
export interface DefaultField {
  readonly id: number;
  readonly name: string;
  readonly label: string;
  /** Record keys the field governs (e.g. the company field: company_id and view_all_tickets). */
  readonly keys: readonly string[];
  readonly required?: boolean;
  /**
   * What requesters (portal tokens) may do with it before an admin says otherwise: `internal` fields
   * are neither shown to them nor editable, `shown` fields are shown but not editable; others are both.
   */
  readonly customers?: 'internal' | 'shown';
  /** The values the field takes before an admin changes them (v2's ticket types); none: any value. */
  readonly choices?: readonly string[];
}

/** v2's ticket types of a new account: a ticket's `type` is one of them (or none). */
export const defaultTicketTypes = ['Question', 'Incident', 'Problem', 'Feature Request', 'Refund'] as const;

/** Contact fields every account has (ids 1–13, as v2 numbers them per account). */
const contactDefaults: readonly DefaultField[] = [
  { id: 1, name: 'name', label: 'Full name', keys: ['name'], required: true },
  { id: 2, name: 'job_title', label: 'Title', keys: ['job_title'] },
  { id: 3, name: 'email', label: 'Email', keys: ['email', 'other_emails'], customers: 'shown' },
  { id: 4, name: 'phone', label: 'Work phone', keys: ['phone'] },
  { id: 5, name: 'mobile', label: 'Mobile phone', keys: ['mobile'] },
  { id: 6, name: 'twitter_id', label: 'Twitter', keys: ['twitter_id'] },
  {
    id: 7,
    name: 'company_name',
    label: 'Company',
    keys: ['company_id', 'view_all_tickets'],
    customers: 'shown',
  },
  { id: 8, name: 'address', label: 'Address', keys: ['address'] },
  { id: 9, name: 'time_zone', label: 'Time zone', keys: ['time_zone'] },
  { id: 10, name: 'language', label: 'Language', keys: ['language'] },
  { id: 11, name: 'tag_names', label: 'Tags', keys: ['tags'], customers: 'internal' },
  { id: 12, name: 'description', label: 'About', keys: ['description'], customers: 'internal' },
  {
    id: 13,
    name: 'unique_external_id',
    label: 'Unique external ID',
    keys: ['unique_external_id'],
    customers: 'internal',
  },
];

/** Ticket fields every account has. */
const ticketDefaults: readonly DefaultField[] = [
  {
    id: 1,
    name: 'requester',
    label: 'Search a requester',
    keys: ['requester_id'],
    required: true,
    customers: 'shown',
  },
  { id: 2, name: 'subject', label: 'Subject', keys: ['subject'], required: true },
  { id: 3, name: 'ticket_type', label: 'Type', keys: ['type'], choices: defaultTicketTypes },
  { id: 4, name: 'source', label: 'Source', keys: ['source'], required: true, customers: 'shown' },
  { id: 5, name: 'status', label: 'Status', keys: ['status'], required: true, customers: 'shown' },
  { id: 6, name: 'priority', label: 'Priority', keys: ['priority'], required: true },
  { id: 7, name: 'group', label: 'Group', keys: ['group_id'], customers: 'internal' },
  { id: 8, name: 'agent', label: 'Agent', keys: ['responder_id'], customers: 'internal' },
  { id: 9, name: 'product', label: 'Product', keys: ['product_id'], customers: 'shown' },
  { id: 10, name: 'description', label: 'Description', keys: ['description'], required: true },
  { id: 11, name: 'company', label: 'Company', keys: ['company_id'], customers: 'shown' },
];

/** Company fields every account has (v2's built-in company fields); companies are agents' records only. */
const companyDefaults: readonly DefaultField[] = [
  { id: 1, name: 'name', label: 'Company name', keys: ['name'], required: true },
  { id: 2, name: 'description', label: 'Description', keys: ['description'] },
  { id: 3, name: 'note', label: 'Notes', keys: ['note'] },
  { id: 4, name: 'domains', label: 'Domain names for this company', keys: ['domains'] },
  { id: 5, name: 'health_score', label: 'Health score', keys: ['health_score'] },
  { id: 6, name: 'account_tier', label: 'Account tier', keys: ['account_tier'] },
  { id: 7, name: 'renewal_date', label: 'Renewal date', keys: ['renewal_date'] },
  { id: 8, name: 'industry', label: 'Industry', keys: ['industry'] },
];

export const defaultFields: Readonly<Record<FieldKind, readonly DefaultField[]>> = {
  contact: contactDefaults,
  ticket: ticketDefaults,
  company: companyDefaults,
};

/** Contact fields that identify the contact: never hidden from anyone. */
export const alwaysVisibleContactFields: readonly string[] = ['name', 'email'];

/** The definition of a built-in field before an admin changed it. */
export function defaultDefinition(field: DefaultField, position: number): FieldDefinitionFields {
  return {
    name: field.name,
    label: field.label,
    label_for_customers: field.label,
    type: `default_${field.name}`,
    default: true,
    position,
    required_for_agents: field.required ?? false,
    required_for_customers: field.required ?? false,
    customers_can_edit: field.customers === undefined,
    displayed_for_customers: field.customers !== 'internal',
    choices: (field.choices ?? []).map((value, index) => ({ id: index + 1, value, position: index + 1 })),
    hidden_from_roles: [],
  };
}

/** Whether a field's values are its choices: dropdowns, and the built-in ticket type. */
export const hasChoices = (type: string) => type === 'custom_dropdown' || type === 'default_ticket_type';
