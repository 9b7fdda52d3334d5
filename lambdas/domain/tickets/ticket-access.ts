import type { Principal } from '#domain/account';
import { AccessDeniedError, NotFoundError } from '#domain/errors';
import type { RecordStore } from '#domain/records/record-store';
import type { StoredRecord } from '#domain/records/record';

/** What decides who may see a ticket: its requester, its responder and its group. */
export interface TicketOwnership {
  readonly requester_id: number;
  readonly responder_id: number | null;
  readonly group_id: number | null;
}

/** What the caller may do with a ticket (and everything hanging off it). */
export type TicketAccess = 'none' | 'read' | 'write';

/**
 * What the caller may do with a ticket: a requester their own tickets; an agent the tickets assigned
 * to them; with group scope the tickets of their groups; with restricted scope no more; with global
 * scope every ticket. Sharing rules (docs/roles-and-sharing.md) add groups' tickets to a scoped agent,
 * read-only or read-write, and hide groups' tickets from an agent with global scope.
 */
export function ticketAccessOf(principal: Principal, ticket: TicketOwnership): TicketAccess {
  if (principal.contactId !== undefined)
    return ticket.requester_id === principal.contactId ? 'write' : 'none';
  if (ticket.responder_id === principal.agentId) return 'write';
  const group = ticket.group_id;
  const sharing = principal.ticketSharing;
  const scope = principal.ticketScope;
  if (!scope) return group !== null && sharing?.hiddenGroupIds.includes(group) ? 'none' : 'write';
  if (group === null) return 'none';
  if (scope.scope === 2 && scope.groupIds.includes(group)) return 'write';
  if (sharing?.writeGroupIds.includes(group)) return 'write';
  return sharing?.readGroupIds.includes(group) ? 'read' : 'none';
}

/** Whether the caller may see a ticket (and everything hanging off it). */
export const mayAccessTicket = (principal: Principal, ticket: TicketOwnership): boolean =>
  ticketAccessOf(principal, ticket) !== 'none';

/**
 * An out-of-scope ticket is answered exactly like another account's: not found, nothing leaks. With
 * `toChange`, a ticket the caller may only view (shared read-only) is refused with 403.
 */
export function requireTicketAccess<T extends StoredRecord<TicketOwnership>>(
  principal: Principal,
  ticket: T,
  options: { toChange?: boolean } = {},
): T {
  const access = ticketAccessOf(principal, ticket.fields);
  if (access === 'none') throw new NotFoundError();
  if (options.toChange && access === 'read') {
    throw new AccessDeniedError('This ticket is shared with you read-only.');
  }
  return ticket;
}

/** The filter a caller's ticket list needs, or undefined when they see every ticket. */
export function ticketFilterFor<F extends TicketOwnership>(
  principal: Principal,
): ((record: StoredRecord<F>) => boolean) | undefined {
  const narrowed = principal.ticketSharing?.hiddenGroupIds.length;
  if (principal.contactId === undefined && !principal.ticketScope && !narrowed) return undefined;
  return (record) => mayAccessTicket(principal, record.fields);
}

/**
 * A ticket of the caller's account within their scope (live unless `includeDeleted`); anything else,
 * including a ticket out of scope, is not found. `toChange`: the caller is about to change the ticket
 * or what hangs off it, which a read-only share refuses (403).
 */
export async function readTicket<F extends TicketOwnership>(
  store: RecordStore,
  principal: Principal,
  id: number,
  options: { includeDeleted?: boolean; toChange?: boolean } = {},
): Promise<StoredRecord<F>> {
  const ticket = await store.get<F>(principal.accountId, { type: 'ticket', id });
  if (!ticket || (ticket.deletedAt && !options.includeDeleted)) throw new NotFoundError();
  return requireTicketAccess(principal, ticket, options);
}

/**
 * Refuses a record hanging off a ticket (its `ticket_id`) as `requireTicketInScope` does, to change
 * it: what the trash asks before restoring a conversation, huddle message or attachment.
 */
export const mayChangeTicketChild =
  (store: RecordStore) =>
  (principal: Principal, record: StoredRecord<object>): Promise<void> =>
    requireTicketInScope(store, principal, (record.fields as { ticket_id: number }).ticket_id, {
      toChange: true,
    });

/**
 * Refuses (404) a record hanging off a ticket (a conversation, huddle message, attachment) when its
 * ticket is out of the caller's scope; costs a read only for scoped callers.
 */
export async function requireTicketInScope(
  store: RecordStore,
  principal: Principal,
  ticketId: number,
  options: { toChange?: boolean } = {},
): Promise<void> {
  if (!ticketFilterFor(principal)) return;
  await readTicket(store, principal, ticketId, { includeDeleted: true, ...options });
}
