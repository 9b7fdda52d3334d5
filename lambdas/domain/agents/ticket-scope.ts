import type { Principal, TicketScope } from '#domain/account';
import type { RecordStore } from '#domain/records/record-store';
import type { AgentFields } from './agent-service.ts';
import { isAdmin } from './permissions.ts';

/** How long a container trusts an agent's ticket scope (or a requester's contact) unless configured. */
export const defaultScopeCacheMs = 5_000;

/**
 * The caller's ticket scope, read from their agent profile (one GetItem). Administrators are always
 * global; supervisors and agents have the scope their profile says (global unless an administrator
 * set group or restricted). A key whose agent has no profile record keeps the profile default, global.
 */
export async function ticketScopeOf(
  store: RecordStore,
  principal: Principal,
): Promise<TicketScope | undefined> {
  if (isAdmin(principal)) return undefined;
  const agent = await store.get<AgentFields>(principal.accountId, { type: 'agent', id: principal.agentId });
  const scope = agent?.fields.ticket_scope ?? 1;
  return scope === 1 ? undefined : { scope, groupIds: agent?.fields.group_ids ?? [] };
}
