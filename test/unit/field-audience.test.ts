import { describe, expect, it } from 'vitest';
import { AccessDeniedError, ValidationError } from '../../lambdas/domain/errors.ts';
import { defaultDefinition, defaultFields } from '../../lambdas/domain/fields/default-fields.ts';
import type { FieldAudience } from '../../lambdas/domain/fields/field-audience.ts';
import type {
  FieldDefinitionFields,
  FieldKind,
  StoredField,
} from '../../lambdas/domain/fields/field-definition.ts';
import { Form } from '../../lambdas/domain/fields/form.ts';

/**
 * The form as a requester (portal token) sees it: fields not displayed to customers are absent and
 * refused, fields customers cannot edit are refused (403 naming the field), required_for_customers
 * applies instead of required_for_agents, and the fields that identify the record are always shown.
 */
const requester: FieldAudience = { kind: 'requester' };
const agent: FieldAudience = { kind: 'agent', role: 'agent' };

const stored = (kind: FieldKind, id: number, fields: FieldDefinitionFields): StoredField => ({
  accountId: 'account',
  ref: { type: `${kind}_field`, id },
  version: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  fields,
  subjects: [],
});

const builtIns = (kind: FieldKind, changes: Record<string, Partial<FieldDefinitionFields>> = {}) =>
  defaultFields[kind].map((field, index) =>
    stored(kind, field.id, { ...defaultDefinition(field, index + 1), ...changes[field.name] }),
  );

const custom = (kind: FieldKind, id: number, name: string, settings: Partial<FieldDefinitionFields>) =>
  stored(kind, id, {
    name,
    label: name,
    label_for_customers: name,
    type: 'custom_text',
    default: false,
    position: 100 + id,
    required_for_agents: false,
    required_for_customers: false,
    customers_can_edit: true,
    displayed_for_customers: true,
    choices: [],
    hidden_from_roles: [],
    ...settings,
  });

const refusal = (check: () => void) => {
  try {
    check();
  } catch (error) {
    return error;
  }
  return undefined;
};

describe('a form as a requester sees it', () => {
  it('hides custom and built-in fields not displayed to customers, and the internal built-ins by default', () => {
    // Prepare
    const definitions = [
      ...builtIns('contact', { phone: { displayed_for_customers: false } }),
      custom('contact', 2001, 'shown', {}),
      custom('contact', 2002, 'secret', { displayed_for_customers: false }),
      custom('contact', 2003, 'agents_only', { hidden_from_roles: ['agent'] }),
    ];
    const view = {
      name: 'N',
      email: 'e@example.test',
      phone: '1',
      mobile: '2',
      tags: ['vip'],
      description: 'notes',
      unique_external_id: 'x',
      custom_fields: { shown: 'a', secret: 'b', agents_only: 'c' },
    };

    // Act
    const asRequester = new Form('contact', definitions, requester).redact(view);
    const asAgent = new Form('contact', definitions, agent).redact(view);

    // Assess
    expect(asRequester).toEqual({
      name: 'N',
      email: 'e@example.test',
      mobile: '2',
      custom_fields: { shown: 'a' },
    });
    expect(asAgent).toEqual({ ...view, custom_fields: { shown: 'a', secret: 'b' } });
  });

  it('always shows the fields that identify the record, whatever their settings say', () => {
    // Prepare
    const hiddenIdentity = { displayed_for_customers: false, customers_can_edit: false };
    const contactForm = new Form(
      'contact',
      builtIns('contact', { name: hiddenIdentity, email: hiddenIdentity }),
      requester,
    );
    const ticketForm = new Form(
      'ticket',
      builtIns('ticket', { subject: hiddenIdentity, description: hiddenIdentity }),
      requester,
    );

    // Act
    const contact = contactForm.redact<Record<string, unknown>>({
      name: 'N',
      email: 'e@example.test',
      other_emails: [],
    });
    const ticket = ticketForm.redact<Record<string, unknown>>({
      subject: 'S',
      description: 'D',
      requester_id: 1,
    });

    // Assess
    expect(contact).toEqual({ name: 'N', email: 'e@example.test', other_emails: [] });
    expect(ticket).toEqual({ subject: 'S', description: 'D', requester_id: 1 });
    expect(() =>
      ticketForm.checkWrite(
        { subject: 'S', description: 'D', requester_id: 1 },
        { subject: 'S', description: 'D', requester_id: 1, priority: 1 },
        'create',
      ),
    ).not.toThrow();
  });

  it.each([
    [
      'a custom field customers cannot edit',
      { custom_fields: { read_only: 'x' } },
      'custom_fields.read_only',
    ],
    ['a hidden custom field', { custom_fields: { secret: 'x' } }, 'custom_fields.secret'],
    ['a built-in field customers cannot edit', { type: 'Question' }, 'type'],
    ['an internal built-in field', { group_id: 3 }, 'group_id'],
    ['a built-in field shown but not editable', { status: 5 }, 'status'],
  ])('refuses a write to %s with 403 naming it', (_case, input, field) => {
    // Prepare
    const form = new Form(
      'ticket',
      [
        ...builtIns('ticket', { ticket_type: { customers_can_edit: false } }),
        custom('ticket', 3001, 'read_only', { customers_can_edit: false }),
        custom('ticket', 3002, 'secret', { displayed_for_customers: false }),
      ],
      requester,
    );

    // Act
    const error = refusal(() => form.checkWrite(input, { custom_fields: {}, ...input }, 'update'));

    // Assess
    expect(error).toBeInstanceOf(AccessDeniedError);
    expect(error).toMatchObject({ field, code: 'access_denied' });
  });

  it('requires of a requester what is required for customers, not for agents', () => {
    // Prepare
    const form = (audience: FieldAudience) =>
      new Form(
        'ticket',
        [
          ...builtIns('ticket'),
          custom('ticket', 3001, 'for_customers', { required_for_customers: true }),
          custom('ticket', 3002, 'for_agents', { required_for_agents: true }),
        ],
        audience,
      );
    const input = { subject: 'S', description: 'D', requester_id: 1, custom_fields: {} };
    const result = { ...input, status: 2, priority: 1, source: 2 };

    // Act
    const asRequester = refusal(() => form(requester).checkWrite(input, result, 'create'));
    const asAgent = refusal(() => form(agent).checkWrite(input, result, 'create'));

    // Assess
    expect(asRequester).toBeInstanceOf(ValidationError);
    expect((asRequester as ValidationError).errors).toEqual([
      expect.objectContaining({ field: 'custom_fields.for_customers', code: 'missing_field' }),
    ]);
    expect((asAgent as ValidationError).errors).toEqual([
      expect.objectContaining({ field: 'custom_fields.for_agents', code: 'missing_field' }),
    ]);
  });

  it('leaves agents as they were: every ticket field and every contact field not hidden from their role', () => {
    // Prepare
    const ticketForm = new Form('ticket', builtIns('ticket'), agent);

    // Act
    const error = refusal(() =>
      ticketForm.checkWrite({ group_id: 3, status: 5 }, { group_id: 3, status: 5 }, 'update'),
    );

    // Assess
    expect(error).toBeUndefined();
    expect(ticketForm.redact<Record<string, unknown>>({ group_id: 3, responder_id: 4 })).toEqual({
      group_id: 3,
      responder_id: 4,
    });
  });
});
