import type { Role, TicketScope } from '#domain/account';
import type { AgentFields } from './agent-service.ts';
import { isAdmin } from './permissions.ts';

/**
 * How long a container trusts an agent's profile (role, ticket scope, groups, and that the agent still
 * exists) unless configured, and a requester's contact: a change shows after at most this.
 */
export const defaultScopeCacheMs = 5_000;

/**
 * The ticket scope an agent profile gives its holder. Administrators are always global; supervisors
 * and agents have the scope their profile says (global unless an administrator set group or restricted).
 */
export function ticketScopeOf(
  role: Role,
  profile: Partial<Pick<AgentFields, 'ticket_scope' | 'group_ids'>>,
): TicketScope | undefined {
  const scope = profile.ticket_scope ?? 1;
  if (isAdmin({ role }) || scope === 1) return undefined;
  return { scope, groupIds: profile.group_ids ?? [] };
}
