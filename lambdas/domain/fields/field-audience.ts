import type { Principal, Role } from '#domain/account';
import type { FieldDefinitionFields, FieldKind } from './field-definition.ts';

/**
 * Who reads and writes a form: an agent of some role (admins see every field; other roles lose the
 * contact fields hidden from them), or a requester, a contact acting through a portal token, who sees
 * and writes only what the fields' customer settings allow.
 */
export type FieldAudience = { readonly kind: 'agent'; readonly role: Role } | { readonly kind: 'requester' };

export function audienceOf(principal: Principal): FieldAudience {
  return principal.contactId === undefined ? { kind: 'agent', role: principal.role } : { kind: 'requester' };
}

/**
 * Built-in fields that identify the record to its requester: always shown to them, whatever the
 * customer settings say, and written as each requester route's own rules say (a contact's name is
 * theirs to rectify, their e-mail address never; a new ticket's requester, subject and description).
 */
const requesterIdentityFields: Readonly<Record<FieldKind, readonly string[]>> = {
  contact: ['name', 'email'],
  ticket: ['requester', 'subject', 'description'],
  company: [],
};

const isIdentityField = (kind: FieldKind, field: FieldDefinitionFields) =>
  field.default && requesterIdentityFields[kind].includes(field.name);

/**
 * Whether the field is absent for the audience on read and refused on write: a contact field (or a
 * custom ticket field) hidden from the agent's role; for a requester, a field not `displayed_for_customers` (v2's
 * `displayed_to_customers` on ticket fields) or a contact field hidden from agents.
 */
export function isHiddenFrom(
  kind: FieldKind,
  field: FieldDefinitionFields,
  audience: FieldAudience,
): boolean {
  const hiddenFrom = (role: Role) =>
    (kind === 'contact' || (kind === 'ticket' && !field.default)) &&
    (field.hidden_from_roles as readonly string[]).includes(role);
  if (audience.kind === 'agent') return hiddenFrom(audience.role);
  if (isIdentityField(kind, field)) return false;
  return !field.displayed_for_customers || hiddenFrom('agent');
}

/** Whether the audience sees the field but may not write it: for a requester, not `customers_can_edit`. */
export function isReadOnlyFor(
  kind: FieldKind,
  field: FieldDefinitionFields,
  audience: FieldAudience,
): boolean {
  if (audience.kind === 'agent' || isIdentityField(kind, field)) return false;
  return !field.customers_can_edit;
}

/** Whether the audience must fill the field: `required_for_agents`, or `required_for_customers`. */
export function isRequiredOf(field: FieldDefinitionFields, audience: FieldAudience): boolean {
  return audience.kind === 'agent' ? field.required_for_agents : field.required_for_customers;
}
