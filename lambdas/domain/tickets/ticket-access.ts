import type { Principal } from '#domain/account';
import { NotFoundError } from '#domain/errors';
import type { RecordStore } from '#domain/records/record-store';
import type { StoredRecord } from '#domain/records/record';

/** What decides who may see a ticket: its requester, its responder and its group. */
export interface TicketOwnership {
  readonly requester_id: number;
  readonly responder_id: number | null;
  readonly group_id: number | null;
}

/**
 * Whether the caller may see and change a ticket (and everything hanging off it): a requester their
 * own tickets; an agent with group scope the tickets of their groups and those assigned to them; with
 * restricted scope only those assigned to them; everyone else (global scope) every ticket.
 */
export function mayAccessTicket(principal: Principal, ticket: TicketOwnership): boolean {
  if (principal.contactId !== undefined) return ticket.requester_id === principal.contactId;
  const scope = principal.ticketScope;
  if (!scope) return true;
  if (ticket.responder_id === principal.agentId) return true;
  return scope.scope === 2 && ticket.group_id !== null && scope.groupIds.includes(ticket.group_id);
}

/** An out-of-scope ticket is answered exactly like another account's: not found, nothing leaks. */
export function requireTicketAccess<T extends StoredRecord<TicketOwnership>>(
  principal: Principal,
  ticket: T,
): T {
  if (!mayAccessTicket(principal, ticket.fields)) throw new NotFoundError();
  return ticket;
}

/** The filter a caller's ticket list needs, or undefined when they see every ticket. */
export function ticketFilterFor<F extends TicketOwnership>(
  principal: Principal,
): ((record: StoredRecord<F>) => boolean) | undefined {
  if (principal.contactId === undefined && !principal.ticketScope) return undefined;
  return (record) => mayAccessTicket(principal, record.fields);
}

/**
 * A ticket of the caller's account within their scope (live unless `includeDeleted`); anything else,
 * including a ticket out of scope, is not found.
 */
export async function readTicket<F extends TicketOwnership>(
  store: RecordStore,
  principal: Principal,
  id: number,
  options: { includeDeleted?: boolean } = {},
): Promise<StoredRecord<F>> {
  const ticket = await store.get<F>(principal.accountId, { type: 'ticket', id });
  if (!ticket || (ticket.deletedAt && !options.includeDeleted)) throw new NotFoundError();
  return requireTicketAccess(principal, ticket);
}

/**
 * Refuses (404) a record hanging off a ticket (a conversation, huddle message, attachment) when its
 * ticket is out of the caller's scope; costs a read only for scoped callers.
 */
export async function requireTicketInScope(
  store: RecordStore,
  principal: Principal,
  ticketId: number,
): Promise<void> {
  if (!ticketFilterFor(principal)) return;
  await readTicket(store, principal, ticketId, { includeDeleted: true });
}
