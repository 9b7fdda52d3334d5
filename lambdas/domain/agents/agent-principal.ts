import { type CredentialHolder, type Principal, roles } from '#domain/account';
import type { RecordStore } from '#domain/records/record-store';
import { customRolePermissions } from '#domain/roles/role-grant';
import { sharingRulesOf } from '#domain/roles/sharing-rule-service';
import { ticketSharingOf } from '#domain/roles/ticket-sharing';
import type { AgentFields } from './agent-service.ts';
import { isAdmin } from './permissions.ts';
import { ticketScopeOf } from './ticket-scope.ts';

/** What an agent may do, as their profile says now. */
export type AgentAccess = Pick<Principal, 'role' | 'ticketScope' | 'permissions' | 'ticketSharing'>;

/**
 * An agent's access as their profile says now (one GetItem; with a custom role, one more for the
 * role; one Query of the account's sharing rules): their role, permissions, ticket scope and sharing
 * come from the profile and the records it names, never from an API key. Undefined when the agent is gone (no profile, soft-deleted,
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
  const permissions = await customRolePermissions(store, accountId, agent.fields.custom_role_id);
  // Administrators see every ticket whatever the rules say: their rules are not read.
  const rules = isAdmin({ role }) ? [] : await sharingRulesOf(store, accountId);
  const ticketSharing = ticketSharingOf(rules, agent.fields);
  return {
    role,
    ...(ticketScope && { ticketScope }),
    ...(permissions && { permissions }),
    ...(ticketSharing && { ticketSharing }),
  };
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
