import type { RecordType, StoredRecord, SubjectRef } from '#domain/records/record';

/**
 * A field naming a contact, on one kind of record; with `when`, only while another field says the
 * named person is a contact (an author may be an agent).
 */
interface ContactField {
  readonly name: string;
  readonly when?: { readonly field: string; readonly is: string };
}

/** Every field of a record kind that names a contact (what a contact merge rewrites). */
const contactFields: Partial<Record<RecordType, readonly ContactField[]>> = {
  ticket: [{ name: 'requester_id' }],
  conversation: [
    { name: 'requester_id' },
    { name: 'user_id', when: { field: 'author_kind', is: 'contact' } },
  ],
  huddle: [{ name: 'requester_id' }],
  attachment: [
    { name: 'requester_id' },
    { name: 'author_id', when: { field: 'author_kind', is: 'contact' } },
  ],
  call: [{ name: 'contact_id' }],
  chat: [{ name: 'contact_id' }],
  chat_message: [{ name: 'contact_id' }, { name: 'actor_id', when: { field: 'actor_type', is: 'contact' } }],
  satisfaction_rating: [{ name: 'user_id' }],
  topic: [{ name: 'user_id', when: { field: 'user_type', is: 'contact' } }],
  comment: [{ name: 'user_id', when: { field: 'user_type', is: 'contact' } }],
  integration_link: [
    { name: 'contact_id' },
    { name: 'record_id', when: { field: 'record_type', is: 'contact' } },
  ],
};

/** Parent keys that name a contact (`requester#7#ticket`, `contact#7#call`, …), by their prefix. */
const contactKeyPrefixes = ['requester', 'contact'] as const;

function rekey(key: string, from: number, to: number): string {
  for (const prefix of contactKeyPrefixes) {
    if (key.startsWith(`${prefix}#${from}#`))
      return `${prefix}#${to}#${key.slice(`${prefix}#${from}#`.length)}`;
  }
  return key;
}

const sameSubject = (a: SubjectRef, b: SubjectRef) => a.kind === b.kind && a.id === b.id;

/**
 * `record` as it is once the contact `from` is merged into the contact `to`: every field naming
 * `from` names `to`, its subject links and the parent keys it is listed under follow, and an
 * integration link of the contact itself keeps its uniqueness per (app, record, external id). Search
 * lookups derive from the fields when the record is written. Answers the changed field names (none for
 * a record linked to `from` by its subjects only, which then still moves).
 */
export function reassignedRecord<F extends object>(
  record: StoredRecord<F>,
  from: number,
  to: number,
): { readonly next: StoredRecord<F>; readonly changedFields: string[] } {
  const fields = { ...(record.fields as Record<string, unknown>) };
  const changedFields: string[] = [];
  for (const field of contactFields[record.ref.type] ?? []) {
    if (fields[field.name] !== from) continue;
    if (field.when && fields[field.when.field] !== field.when.is) continue;
    fields[field.name] = to;
    changedFields.push(field.name);
  }
  const primary: SubjectRef = { kind: 'contact', id: to };
  const subjects = record.subjects
    .map((subject) => (sameSubject(subject, { kind: 'contact', id: from }) ? primary : subject))
    .filter((subject, index, all) => all.findIndex((other) => sameSubject(other, subject)) === index);
  const next: StoredRecord<F> = {
    ...record,
    fields: fields as F,
    subjects,
    parent: record.parent && { key: rekey(record.parent.key, from, to) },
    secondaryParent: record.secondaryParent && {
      ...record.secondaryParent,
      key: rekey(record.secondaryParent.key, from, to),
    },
    uniqueValues: uniqueValuesAfter(record.ref.type, fields, record.uniqueValues),
  };
  return { next, changedFields: changedFields.sort() };
}

/** An integration link is unique by its app, record and external id: recomputed from its fields. */
function uniqueValuesAfter(
  type: RecordType,
  fields: Record<string, unknown>,
  values: StoredRecord<object>['uniqueValues'],
): StoredRecord<object>['uniqueValues'] {
  if (type !== 'integration_link' || !values?.link) return values;
  return {
    ...values,
    link: JSON.stringify([fields.app, fields.record_type, fields.record_id, fields.external_id]),
  };
}
