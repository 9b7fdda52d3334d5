import { ValidationError } from '#domain/errors';
import type { RecordStore } from '#domain/records/record-store';
import type { StoredRecord, SubjectRef } from '#domain/records/record';

/** Refuses a write that names a contact the account does not have (or has deleted), naming the field. */
export async function requireLiveContact(
  store: RecordStore,
  accountId: string,
  contactId: number,
  field: string,
): Promise<void> {
  const contact = await store.get(accountId, { type: 'contact', id: contactId });
  if (!contact || contact.deletedAt) {
    throw new ValidationError([
      { field, message: `There is no contact matching the given ${field}`, code: 'invalid_value' },
    ]);
  }
}

/**
 * Derivation for records about one contact and one agent (calls, chats): both are its subjects, and it
 * is listed under the contact as `contact#<id>#<kind>`.
 */
export function withContactAndAgent<
  R extends StoredRecord<{ contact_id: number | null; agent_id: number | null }>,
>(kind: string) {
  return (record: R): R => {
    const { contact_id, agent_id } = record.fields;
    const subjects: SubjectRef[] = [];
    if (contact_id) subjects.push({ kind: 'contact', id: contact_id });
    if (agent_id) subjects.push({ kind: 'agent', id: agent_id });
    return { ...record, subjects, parent: contact_id ? { key: `contact#${contact_id}#${kind}` } : undefined };
  };
}
