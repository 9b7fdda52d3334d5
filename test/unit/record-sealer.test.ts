import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SealedValueError, sealingSubjectOf } from '../../lambdas/domain/encryption/field-cipher.ts';
import { fieldClassesOf } from '../../lambdas/domain/encryption/personal-fields.ts';
import {
  RecordSealer,
  UndeclaredFieldError,
  UndeclaredKindError,
} from '../../lambdas/domain/encryption/record-sealer.ts';
import { SubjectKeyDestroyedError } from '../../lambdas/domain/encryption/subject-keys.ts';
import { anonymisedFields } from '../../lambdas/domain/privacy/agent-anonymisation.ts';
import type { RecordType, StoredRecord, SubjectRef } from '../../lambdas/domain/records/record.ts';
import { InMemorySubjectKeys } from './subject-keys-double.ts';

const at = '2026-12-01T10:00:00.000Z';
const record = <F extends object>(
  type: RecordType,
  id: number,
  fields: F,
  subjects: SubjectRef[],
  accountId = 'acc-1',
): StoredRecord<F> => ({
  accountId,
  ref: { type, id },
  version: 1,
  createdAt: at,
  updatedAt: at,
  fields,
  subjects,
});

const requester: SubjectRef = { kind: 'contact', id: 42 };
const responder: SubjectRef = { kind: 'agent', id: 3 };
const ticketFields = {
  subject: 'Printer on fire',
  description: '<p>Call me on +49 30 1234</p>',
  status: 2,
  priority: 1,
  source: 2,
  type: null,
  requester_id: 42,
  responder_id: 3,
  group_id: null,
  company_id: null,
  product_id: null,
  cc_emails: ['boss@example.com'],
  tags: ['vip'],
  due_by: null,
  fr_due_by: null,
  custom_fields: { cf_reference: 'ABC-1', cf_count: 2, cf_flag: true, cf_none: null },
};
type Fields = Record<string, unknown>;
const ticket = (fields: Fields = ticketFields, subjects: SubjectRef[] = [requester, responder]) =>
  record<Fields>('ticket', 7, fields, subjects);

const setup = () => {
  const keys = new InMemorySubjectKeys();
  return { keys, sealer: new RecordSealer(keys) };
};

describe('RecordSealer.seal', () => {
  it('keeps the stored ciphertext of a field a write leaves unchanged, seals a changed one anew', async () => {
    // Prepare: the ticket as stored, and as read back (map keys in another order).
    const { sealer } = setup();
    const stored = await sealer.seal(ticket());
    const { custom_fields: custom, ...rest } = ticketFields;
    const reordered = Object.fromEntries(Object.entries(custom).reverse());
    const before = { plain: { ...rest, custom_fields: reordered }, sealed: stored.fields };

    // Act
    const written = await sealer.seal(ticket({ ...ticketFields, subject: 'Printer still on fire' }), before);
    const moved = await sealer.seal(
      ticket({ ...ticketFields, requester_id: 43 }, [{ kind: 'contact', id: 43 }]),
      before,
    );

    // Assess
    expect(written.fields.description).toBe(stored.fields.description);
    expect(written.fields.custom_fields).toBe(stored.fields.custom_fields);
    expect(written.fields.subject).not.toBe(stored.fields.subject);
    expect((await sealer.open(written)).fields.subject).toBe('Printer still on fire');
    // Another owner: every value sealed again under the new one.
    expect(String(moved.fields.description)).toMatch(/^enc:v1:contact:43:/);
  });

  it('seals each personal field under the first subject and leaves plain fields readable', async () => {
    const { sealer } = setup();
    const sealed = await sealer.seal(ticket());
    for (const name of ['subject', 'description', 'cc_emails', 'tags', 'custom_fields'] as const) {
      expect(sealingSubjectOf(sealed.fields[name]), name).toEqual(requester);
    }
    expect(sealed.fields).toMatchObject({ status: 2, requester_id: 42, responder_id: 3, type: null });
    expect(JSON.stringify(sealed)).not.toMatch(/Printer|1234|boss@|ABC-1|vip/);
    expect(sealed.subjects).toEqual([requester, responder]);
  });

  it('opens what it sealed, fetching each subject key once per record', async () => {
    const { sealer, keys } = setup();
    const sealed = await sealer.seal(ticket());
    keys.fetches.length = 0;
    expect(await sealer.open(sealed)).toEqual(ticket());
    expect(keys.fetches).toEqual(['acc-1/contact#42']);
  });

  it('does not seal a value twice under the same subject', async () => {
    const { sealer } = setup();
    const once = await sealer.seal(ticket());
    const twice = await sealer.seal(once);
    expect(twice.fields).toEqual(once.fields);
  });

  it('seals again under the new first subject a value sealed under another (a ticket moved)', async () => {
    const { sealer } = setup();
    const sealed = await sealer.seal(ticket());
    const moved: StoredRecord<Fields> = {
      ...sealed,
      fields: { ...sealed.fields, requester_id: 43 },
      subjects: [{ kind: 'contact' as const, id: 43 }],
    };
    const resealed = await sealer.seal(moved);
    expect(sealingSubjectOf(resealed.fields.subject)).toEqual({ kind: 'contact', id: 43 });
    expect((await sealer.open(resealed)).fields.subject).toBe('Printer on fire');
  });

  it('still opens a record whose values name a subject other than its first (written before a move)', async () => {
    const { sealer } = setup();
    const sealed = await sealer.seal(ticket());
    const moved = { ...sealed, subjects: [{ kind: 'contact' as const, id: 43 }] };
    expect((await sealer.open(moved)).fields.description).toBe(ticketFields.description);
  });

  it('leaves personal fields in clear for a record with no subject, opening what was sealed', async () => {
    const { sealer } = setup();
    const sealed = await sealer.seal(ticket());
    const unlinked = await sealer.seal({ ...sealed, subjects: [] });
    expect(unlinked.fields).toEqual(ticketFields);
  });

  it('refuses a field the kind does not declare, naming the kind and field, never a value', async () => {
    const { sealer } = setup();
    const withNew = ticket({ ...ticketFields, secret_notes: 'Printer on fire' });
    await expect(sealer.seal(withNew)).rejects.toThrow(UndeclaredFieldError);
    await expect(sealer.seal(withNew)).rejects.toThrow(
      'Field secret_notes of record kind ticket has no personal-field declaration (docs/encryption.md).',
    );
  });

  it('refuses a record naming a subject when its kind is declared to have none', async () => {
    const { sealer } = setup();
    const company = record('company', 1, { name: 'Acme' }, [requester]);
    await expect(sealer.seal(company)).rejects.toThrow(UndeclaredKindError);
    const plain = record('company', 1, { name: 'Acme' }, []);
    expect(await sealer.seal(plain)).toBe(plain);
  });

  it('seals a client string that only looks sealed as a literal, and opens it back as written', async () => {
    const { sealer } = setup();
    const other = await sealer.seal(record('ticket', 8, ticketFields, [requester]));
    const copied = String(other.fields.subject);
    const literal = ticket({ ...ticketFields, subject: copied, description: 'enc:v1:contact:42:AAAA' });
    const sealed = await sealer.seal(literal);
    expect(sealed.fields.subject).not.toBe(copied);
    expect((await sealer.open(sealed)).fields).toEqual(literal.fields);
  });

  it('seals a client string naming an erased subject as a literal instead of failing the write', async () => {
    const { sealer, keys } = setup();
    const erased: SubjectRef = { kind: 'contact', id: 99 };
    const old = await sealer.seal(record('ticket', 7, ticketFields, [erased]));
    await keys.destroy('acc-1', erased, at);
    const literal = ticket({ ...ticketFields, subject: old.fields.subject });
    const sealed = await sealer.seal(literal);
    expect(sealingSubjectOf(sealed.fields.subject)).toEqual(requester);
    expect((await sealer.open(sealed)).fields.subject).toBe(old.fields.subject);
  });

  it('keeps the placeholder an agent erasure adds to a contribution, and seals its text', async () => {
    const { sealer } = setup();
    const entry = record(
      'time_entry',
      5,
      {
        ticket_id: 7,
        agent_id: 3,
        company_id: null,
        billable: true,
        note: 'Called the customer',
        executed_at: at,
        timer_running: false,
        start_time: at,
        time_spent_in_seconds: 60,
      },
      [responder],
    );
    const anonymised = {
      ...entry,
      fields: anonymisedFields(entry, 3),
      subjects: [{ kind: 'contact' as const, id: 42 }],
    };
    const sealed = await sealer.seal(anonymised);
    expect(sealed.fields.author_placeholder).toBe('Deleted agent 3');
    expect(sealingSubjectOf(sealed.fields.note)).toEqual({ kind: 'contact', id: 42 });
  });
  it('lets SubjectKeyDestroyedError through when the record is written for an erased subject', async () => {
    const { sealer, keys } = setup();
    await keys.destroy('acc-1', requester, at);
    await expect(sealer.seal(ticket())).rejects.toThrow(SubjectKeyDestroyedError);
  });
});

describe('RecordSealer.open', () => {
  it('passes plain values through (data written before encryption)', async () => {
    const { sealer } = setup();
    expect(await sealer.open(ticket())).toEqual(ticket());
  });

  it('never opens a field declared plain, whatever it looks like', async () => {
    const { sealer } = setup();
    const sealed = await sealer.seal(ticket());
    const odd = { ...sealed, fields: { ...sealed.fields, type: sealed.fields.subject } };
    expect((await sealer.open(odd)).fields.type).toBe(sealed.fields.subject);
  });

  it('refuses a sealed value moved to another record, field or account', async () => {
    const { sealer } = setup();
    const sealed = await sealer.seal(ticket());
    const value = sealed.fields.subject;
    const toRecord = record('ticket', 8, { ...ticketFields, subject: value }, [requester]);
    const toField = { ...sealed, fields: { ...sealed.fields, description: value } };
    const toAccount = { ...sealed, accountId: 'acc-2' };
    await expect(sealer.open(toRecord)).rejects.toThrow(SealedValueError);
    await expect(sealer.open(toField)).rejects.toThrow(SealedValueError);
    // The other account has no key for that subject: the value never opens, it stays the text it is.
    expect((await sealer.open(toAccount)).fields.subject).toBe(value);
  });

  it('never creates a key for a subject that a stored or written value merely names', async () => {
    const { sealer, keys } = setup();
    const sealed = await sealer.seal(ticket());
    const named = String(sealed.fields.subject).replace(/^enc:v1:contact:\d+:/, 'enc:v1:contact:777:');
    const literal = { ...sealed, fields: { ...sealed.fields, subject: named } };

    expect((await sealer.open(literal)).fields.subject).toBe(named);
    const written = await sealer.seal(literal);

    expect((await sealer.open(written)).fields.subject).toBe(named);
    expect(await keys.existingKey('acc-1', { kind: 'contact', id: 777 })).toBeUndefined();
  });

  it('refuses a tampered value', async () => {
    const { sealer } = setup();
    const sealed = await sealer.seal(ticket());
    const value = String(sealed.fields.subject);
    const last = value.at(-2) === 'A' ? 'B' : 'A';
    const tampered = {
      ...sealed,
      fields: { ...sealed.fields, subject: `${value.slice(0, -2)}${last}${value.at(-1)}` },
    };
    await expect(sealer.open(tampered)).rejects.toThrow(SealedValueError);
  });

  it('fetches each subject key once for a record whose values name two subjects', async () => {
    const { sealer, keys } = setup();
    const before = await sealer.seal(ticket());
    const other: SubjectRef = { kind: 'contact', id: 43 };
    const after = await sealer.seal({ ...before, subjects: [other] });
    const mixed = {
      ...before,
      fields: { ...before.fields, description: after.fields.description, tags: after.fields.tags },
    };
    keys.fetches.length = 0;
    expect((await sealer.open(mixed)).fields).toEqual(ticketFields);
    expect([...keys.fetches].sort()).toEqual(['acc-1/contact#42', 'acc-1/contact#43']);
  });

  it('lets SubjectKeyDestroyedError through once the subject was erased', async () => {
    const { sealer, keys } = setup();
    const sealed = await sealer.seal(ticket());
    await keys.destroy('acc-1', requester, at);
    await expect(sealer.open(sealed)).rejects.toThrow(SubjectKeyDestroyedError);
  });
});

/** Generated records of several kinds, with every field of their declaration. */
const text = fc.string({ maxLength: 40 });
const customFields = fc.dictionary(
  fc.string({ minLength: 1, maxLength: 8 }).map((name) => `cf_${name}`),
  fc.oneof(text, fc.integer(), fc.boolean(), fc.constant(null)),
  { maxKeys: 4 },
);
const id = fc.integer({ min: 1, max: 1_000_000 });
const generated = fc.oneof(
  fc
    .record({
      name: text,
      email: fc.option(fc.emailAddress()),
      phone: fc.option(text),
      mobile: fc.option(text),
      twitter_id: fc.option(text),
      unique_external_id: fc.option(text),
      other_emails: fc.array(fc.emailAddress(), { maxLength: 3 }),
      company_id: fc.option(id),
      view_all_tickets: fc.boolean(),
      address: fc.option(text),
      description: fc.option(text),
      job_title: fc.option(text),
      language: fc.constant('en'),
      time_zone: fc.constant('UTC'),
      tags: fc.array(text, { maxLength: 3 }),
      custom_fields: customFields,
    })
    .chain((fields) =>
      id.map((contactId) => record('contact', contactId, fields, [{ kind: 'contact', id: contactId }])),
    ),
  fc
    .record({ ...ticketFieldsArbitrary(), requester_id: id })
    .map((fields) => record('ticket', 7, fields, [{ kind: 'contact', id: fields.requester_id }])),
  fc
    .record({
      body: text,
      source: fc.constantFrom(0 as const, 2 as const),
      private: fc.boolean(),
      incoming: fc.boolean(),
      user_id: id,
      author_kind: fc.constantFrom('contact' as const, 'agent' as const),
      ticket_id: id,
      requester_id: id,
      from_email: fc.option(fc.emailAddress()),
      cc_emails: fc.array(fc.emailAddress(), { maxLength: 2 }),
      bcc_emails: fc.array(fc.emailAddress(), { maxLength: 2 }),
      notify_emails: fc.array(fc.emailAddress(), { maxLength: 2 }),
    })
    .map((fields) => record('conversation', 9, fields, [{ kind: 'contact', id: fields.requester_id }])),
  fc
    .record({
      chat_id: id,
      contact_id: fc.option(id),
      actor_type: fc.constantFrom('contact' as const, 'agent' as const),
      actor_id: id,
      body: text,
    })
    .map((fields) => record('chat_message', 11, fields, [{ kind: fields.actor_type, id: fields.actor_id }])),
  fc
    .record({
      survey_id: id,
      user_id: id,
      agent_id: fc.option(id),
      group_id: fc.option(id),
      ticket_id: id,
      feedback: fc.option(text),
      ratings: fc.dictionary(text, fc.constantFrom(103, 100, -103)),
    })
    .map((fields) => record('satisfaction_rating', 12, fields, [{ kind: 'contact', id: fields.user_id }])),
);

function ticketFieldsArbitrary() {
  return {
    subject: text,
    description: text,
    status: fc.constantFrom(2, 3, 4, 5),
    priority: fc.constantFrom(1, 2, 3, 4),
    source: fc.constantFrom(1, 2, 3),
    type: fc.option(text),
    responder_id: fc.option(id),
    group_id: fc.option(id),
    company_id: fc.option(id),
    product_id: fc.option(id),
    cc_emails: fc.array(fc.emailAddress(), { maxLength: 3 }),
    tags: fc.array(text, { maxLength: 3 }),
    due_by: fc.constant(null),
    fr_due_by: fc.constant(null),
    custom_fields: customFields,
  };
}

describe('RecordSealer properties', () => {
  it('open(seal(record)) is the record, for generated records of several kinds', async () => {
    const { sealer } = setup();
    await fc.assert(
      fc.asyncProperty(generated, async (original) => {
        const sealed = await sealer.seal(original as StoredRecord<object>);
        expect(await sealer.open(sealed)).toEqual(original);
      }),
      { numRuns: 150 },
    );
  });

  it('seals every personal field under the first subject and leaves every plain field as it was', async () => {
    const { sealer } = setup();
    await fc.assert(
      fc.asyncProperty(generated, async (original) => {
        const sealed = await sealer.seal(original as StoredRecord<Record<string, unknown>>);
        const classes = fieldClassesOf(original.ref.type) ?? {};
        for (const [name, value] of Object.entries(sealed.fields)) {
          if (classes[name] === 'personal')
            expect(sealingSubjectOf(value), name).toEqual(original.subjects[0]);
          else expect(value, name).toEqual((original.fields as Record<string, unknown>)[name]);
        }
      }),
      { numRuns: 100 },
    );
  });
});
