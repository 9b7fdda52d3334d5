import type { RecordRef } from '#domain/records/record';
import type { HoldTarget } from './legal-hold.ts';

/** A hold in force, as the purge, retention and erasure see it: its id and what it covers. */
export interface Hold {
  readonly id: number;
  readonly target: HoldTarget;
}

/**
 * The seam the purge, retention rules and erasure ask before removing a record: is it under a legal
 * hold in force at `at`? Each question costs one GetItem when nothing holds (the target's claim), two
 * when a hold does (the claim, then the hold).
 */
export interface HeldRecords {
  /** The hold in force on the whole account, if any. */
  accountHold(accountId: string, at: Date): Promise<Hold | undefined>;
  /** The hold in force on this contact or ticket itself (not the account's); none for other types. */
  heldBy(accountId: string, ref: RecordRef, at: Date): Promise<Hold | undefined>;
}

/** What a record is, for the question of whether a hold covers it: its ref, fields and people. */
export interface RecordToCheck {
  readonly ref: RecordRef;
  readonly fields?: object;
  readonly subjects?: ReadonlyArray<{ readonly kind: string; readonly id: number }>;
}

/** The ticket a record belongs to: the ticket itself, or a record with a `ticket_id` (conversation, file…). */
export function ticketOf(record: RecordToCheck): number | undefined {
  if (record.ref.type === 'ticket') return record.ref.id;
  const ticketId = (record.fields as { ticket_id?: unknown } | undefined)?.ticket_id;
  return typeof ticketId === 'number' ? ticketId : undefined;
}

/**
 * The hold covering a record at `at`, if any: the account's, the ticket it belongs to, or a held
 * contact it is or holds data of. Costs one GetItem per question (account, ticket, each contact), one
 * more for a hold found. Callers checking many records of one account ask `accountHold` once instead
 * (`skipAccount`); one checking a contact's records asks about that contact once (`skipContact`).
 */
export async function holdCovering(
  holds: HeldRecords,
  accountId: string,
  record: RecordToCheck,
  at: Date,
  options: { skipAccount?: boolean; skipContact?: number } = {},
): Promise<Hold | undefined> {
  if (!options.skipAccount) {
    const account = await holds.accountHold(accountId, at);
    if (account) return account;
  }
  const ticket = ticketOf(record);
  if (ticket !== undefined) {
    const held = await holds.heldBy(accountId, { type: 'ticket', id: ticket }, at);
    if (held) return held;
  }
  const contacts = new Set<number>(record.ref.type === 'contact' ? [record.ref.id] : []);
  for (const subject of record.subjects ?? []) if (subject.kind === 'contact') contacts.add(subject.id);
  if (options.skipContact !== undefined) contacts.delete(options.skipContact);
  for (const id of contacts) {
    const held = await holds.heldBy(accountId, { type: 'contact', id }, at);
    if (held) return held;
  }
  return undefined;
}
