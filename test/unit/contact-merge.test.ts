import { describe, expect, it } from 'vitest';
import { contactMergeSchema, keptFields } from '#domain/contacts/contact-merge-input';
import { reassignedRecord } from '#domain/contacts/contact-reassignment';
import { contactDefaults } from '#domain/contacts/contact-schema';
import type { RecordType, StoredRecord, SubjectRef } from '#domain/records/record';

const record = (
  type: RecordType,
  fields: Record<string, unknown>,
  subjects: SubjectRef[],
  extra: Partial<StoredRecord> = {},
): StoredRecord => ({
  accountId: 'a',
  ref: { type, id: 50 },
  version: 3,
  createdAt: '2026-12-01T00:00:00.000Z',
  updatedAt: '2026-12-01T00:00:00.000Z',
  fields,
  subjects,
  ...extra,
});
const contact = (id: number): SubjectRef => ({ kind: 'contact', id });
const agent = (id: number): SubjectRef => ({ kind: 'agent', id });

describe('a record reassigned from one contact to another (contact merge)', () => {
  it('rewrites a ticket’s requester, its subject link and the list it is under', () => {
    // Prepare
    const ticket = record('ticket', { requester_id: 7, responder_id: 3 }, [contact(7), agent(3)], {
      parent: { key: 'requester#7#ticket' },
      secondaryParent: { key: 'company#9#ticket' },
    });

    // Act
    const { next, changedFields } = reassignedRecord(ticket, 7, 1);

    // Assess
    expect(changedFields).toEqual(['requester_id']);
    expect(next.fields).toEqual({ requester_id: 1, responder_id: 3 });
    expect(next.subjects).toEqual([contact(1), agent(3)]);
    expect(next.parent).toEqual({ key: 'requester#1#ticket' });
    expect(next.secondaryParent).toEqual({ key: 'company#9#ticket' });
  });

  it('rewrites an author only when the author is a contact', () => {
    const byContact = record('conversation', { requester_id: 7, user_id: 7, author_kind: 'contact' }, [
      contact(7),
    ]);
    const byAgent = record('conversation', { requester_id: 7, user_id: 7, author_kind: 'agent' }, [
      contact(7),
      agent(7),
    ]);

    expect(reassignedRecord(byContact, 7, 1).next.fields).toMatchObject({ requester_id: 1, user_id: 1 });
    const agentWritten = reassignedRecord(byAgent, 7, 1);
    expect(agentWritten.next.fields).toMatchObject({ requester_id: 1, user_id: 7 });
    expect(agentWritten.next.subjects).toEqual([contact(1), agent(7)]);
  });

  it('keeps one link when the record held both contacts', () => {
    const message = record('conversation', { requester_id: 1, user_id: 7, author_kind: 'contact' }, [
      contact(1),
      contact(7),
    ]);

    expect(reassignedRecord(message, 7, 1).next.subjects).toEqual([contact(1)]);
  });

  it.each([
    ['call', 'contact_id', 'contact#7#call'],
    ['chat', 'contact_id', 'contact#7#chat'],
    ['satisfaction_rating', 'user_id', 'requester#7#rating'],
  ] as const)('rewrites a %s (%s) and its listing', (type, field, key) => {
    const moved = reassignedRecord(record(type, { [field]: 7 }, [contact(7)], { parent: { key } }), 7, 1);

    expect(moved.changedFields).toEqual([field]);
    expect(moved.next.parent?.key).toBe(key.replace('#7#', '#1#'));
  });

  it('keeps an integration link of the contact itself unique under its new record id', () => {
    const link = record(
      'integration_link',
      { app: 'crm', record_type: 'contact', record_id: 7, external_id: 'X', contact_id: 7 },
      [contact(7)],
      { uniqueValues: { link: JSON.stringify(['crm', 'contact', 7, 'X']) } },
    );

    const { next } = reassignedRecord(link, 7, 1);

    expect(next.uniqueValues).toEqual({ link: JSON.stringify(['crm', 'contact', 1, 'X']) });
  });

  it('moves a record linked by its subjects only, naming no field', () => {
    const other = record('time_entry', { agent_id: 3 }, [contact(7), agent(3)]);

    const { next, changedFields } = reassignedRecord(other, 7, 1);

    expect(changedFields).toEqual([]);
    expect(next.subjects).toEqual([contact(1), agent(3)]);
  });
});

describe('the values a merged contact keeps', () => {
  const primary = { ...contactDefaults, email: 'p@example.test', phone: '+1 555 0100' };
  const secondary = {
    ...contactDefaults,
    email: 's@example.test',
    mobile: '+1 555 0199',
    unique_external_id: 'X-1',
    company_id: 4,
  };

  it('takes values one of the contacts holds', () => {
    expect(
      keptFields(
        {
          email: 'S@example.test',
          phone: '+15550199',
          unique_external_id: 'X-1',
          other_emails: ['p@example.test', 's@example.test'],
          company_ids: [4],
        },
        [primary, secondary],
      ),
    ).toEqual({
      email: 'S@example.test',
      phone: '+15550199',
      unique_external_id: 'X-1',
      other_emails: ['p@example.test'],
      company_id: 4,
    });
  });

  it.each([
    [{ email: 'x@example.test' }, 'contact.email'],
    [{ mobile: '+1 555 0000' }, 'contact.mobile'],
    [{ unique_external_id: 'other' }, 'contact.unique_external_id'],
    [{ other_emails: ['x@example.test'] }, 'contact.other_emails'],
    [{ company_ids: [5] }, 'contact.company_ids'],
  ])('refuses %j, which none holds', (kept, field) => {
    expect(() => keptFields(kept, [primary, secondary])).toThrow(
      expect.objectContaining({ errors: [expect.objectContaining({ field })] }),
    );
  });

  it('keeps the primary as it is without `contact`', () => {
    expect(keptFields(undefined, [primary, secondary])).toEqual({});
  });

  it('refuses a body naming the primary among the secondaries, or one twice', () => {
    expect(contactMergeSchema.safeParse({ primary_contact_id: 1, secondary_contact_ids: [1] }).success).toBe(
      false,
    );
    expect(
      contactMergeSchema.safeParse({ primary_contact_id: 1, secondary_contact_ids: [2, 2] }).success,
    ).toBe(false);
    expect(contactMergeSchema.safeParse({ primary_contact_id: 1, secondary_contact_ids: [2] }).success).toBe(
      true,
    );
  });
});
