import type { Principal } from '#domain/account';
import { hasPermission } from '#domain/roles/permission-check';

/** v2's `visibility` of a canned response: 0 all agents, 1 personal (its author), 2 the agents of some groups. */
export const cannedResponseVisibilities = { allAgents: 0, personal: 1, groups: 2 } as const;
export type CannedResponseVisibility =
  (typeof cannedResponseVisibilities)[keyof typeof cannedResponseVisibilities];

/** What decides who sees a response. `created_by` is never shown: only who may see a personal one. */
export interface VisibleTo {
  readonly visibility: CannedResponseVisibility;
  readonly group_ids: readonly number[];
  readonly created_by: number;
}

/**
 * Whether the caller sees a response: everyone a shared one; its author a personal one; the agents of
 * its groups a group one, and whoever manages canned responses (admins), who must be able to fix it.
 * `callerGroupIds` are the groups the caller belongs to, read with their profile.
 */
export function seesCannedResponse(
  principal: Principal,
  callerGroupIds: readonly number[],
  response: VisibleTo,
): boolean {
  switch (response.visibility) {
    case cannedResponseVisibilities.allAgents:
      return true;
    case cannedResponseVisibilities.personal:
      return response.created_by === principal.agentId;
    case cannedResponseVisibilities.groups:
      return (
        hasPermission(principal, 'admin.canned_responses') ||
        response.group_ids.some((id) => callerGroupIds.includes(id))
      );
  }
}
