import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../lambdas/domain/errors.ts';
import { defaultDefinition, defaultFields } from '../../lambdas/domain/fields/default-fields.ts';
import type { FieldDefinitionFields, StoredField } from '../../lambdas/domain/fields/field-definition.ts';
import { fieldView } from '../../lambdas/domain/fields/field-definition.ts';
import { Form } from '../../lambdas/domain/fields/form.ts';

/** A ticket's `type` is one of the ticket_type field's choices (v2's five, until an admin changes them). */
const ticketForm = (typeChanges: Partial<FieldDefinitionFields> = {}) =>
  new Form(
    'ticket',
    defaultFields.ticket.map((field, index): StoredField => ({
      accountId: 'account',
      ref: { type: 'ticket_field', id: field.id },
      version: 1,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
      fields: {
        ...defaultDefinition(field, index + 1),
        ...(field.name === 'ticket_type' ? typeChanges : {}),
      },
      subjects: [],
    })),
    { kind: 'agent', role: 'admin' },
  );
const filled = { subject: 'S', description: 'D', requester_id: 1, source: 2, status: 2, priority: 1 };
const problems = (form: Form, input: Record<string, unknown>, mode: 'create' | 'update' = 'create') => {
  try {
    form.checkWrite(input, { ...filled, ...input }, mode);
    return [];
  } catch (error) {
    if (error instanceof ValidationError) return error.errors;
    throw error;
  }
};

describe("a ticket's type", () => {
  it.each(['Question', 'Incident', 'Problem', 'Feature Request', 'Refund'])(
    "takes v2's default %s",
    (type) => {
      expect(problems(ticketForm(), { type })).toEqual([]);
    },
  );

  it('takes none (null) and leaves an update that does not name it alone', () => {
    expect(problems(ticketForm(), { type: null })).toEqual([]);
    expect(problems(ticketForm(), { priority: 2 }, 'update')).toEqual([]);
  });

  it.each(['Bogus', 'question', ''])('refuses %j, naming type with invalid_value', (type) => {
    expect(problems(ticketForm(), { type }, 'update')).toEqual([
      {
        field: 'type',
        message: 'It should be one of these values: Question,Incident,Problem,Feature Request,Refund',
        code: 'invalid_value',
      },
    ]);
  });

  it("follows the choices an admin set instead of v2's", () => {
    const form = ticketForm({ choices: [{ id: 6, value: 'Billing', position: 1 }] });

    expect(problems(form, { type: 'Billing' })).toEqual([]);
    expect(problems(form, { type: 'Question' })).toEqual([expect.objectContaining({ field: 'type' })]);
  });

  it('shows its choices in the field view', () => {
    const index = defaultFields.ticket.findIndex((field) => field.name === 'ticket_type');
    const definition = defaultDefinition(defaultFields.ticket[index]!, index + 1);
    const view = fieldView('ticket', {
      accountId: 'a',
      ref: { type: 'ticket_field', id: 3 },
      version: 0,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
      fields: definition,
      subjects: [],
    });

    expect(view.choices?.map((choice) => choice.value)).toEqual([
      'Question',
      'Incident',
      'Problem',
      'Feature Request',
      'Refund',
    ]);
  });
});
