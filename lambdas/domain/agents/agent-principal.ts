import { type CredentialHolder, type Principal, roles } from '#domain/account';
import type { RecordStore } from '#domain/records/record-store';
import type { AgentFields } from './agent-service.ts';
import { ticketScopeOf } from './ticket-scope.ts';

/** What an agent may do, as their profile says now. */
export type AgentAccess = Pick<Principal, 'role' | 'ticketScope'>;

/**
 * An agent's access as their profile says now (one GetItem): their role and ticket scope come from
 * the profile, never from an API key. Undefined when the agent is gone (no profile, soft-deleted,
 * superseded) or the profile names no role we know: a key of theirs is then no credential.
 */
export async function currentAgentAccess(
  store: RecordStore,
  accountId: string,
  agentId: number,
): Promise<AgentAccess | undefined> {
  const agent = await store.get<AgentFields>(accountId, { type: 'agent', id: agentId });
  if (!agent || agent.deletedAt || agent.supersededBy) return undefined;
  const { role } = agent.fields;
  if (!roles.includes(role)) return undefined;
  const ticketScope = ticketScopeOf(role, agent.fields);
  return ticketScope ? { role, ticketScope } : { role };
}

/** The caller an API key names: the key's account, agent and budget, with the agent's current access. */
export const principalOf = (
  { accountId, agentId, rateLimitPerMinute }: CredentialHolder,
  access: AgentAccess,
): Principal => ({
  accountId,
  agentId,
  ...(rateLimitPerMinute !== undefined && { rateLimitPerMinute }),
  ...access,
});
