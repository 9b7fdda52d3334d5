import type { Role, TicketSharing } from '#domain/account';
import { isAdmin } from '#domain/agents/permissions';
import type { SharingRuleFields } from './sharing-rule-service.ts';

/** The part of an agent's profile sharing rules look at: their scope and their groups. */
export interface SharingSubject {
  readonly role: Role;
  readonly ticket_scope?: 1 | 2 | 3;
  readonly group_ids?: readonly number[];
}

/**
 * What the account's sharing rules mean for one agent. A share widens a scoped agent's view (group or
 * restricted scope) by the shared group's tickets when they are a member of the group shared with;
 * read-write wins over read-only. A hide narrows an agent with global scope who is not a member of the
 * group. Administrators are never narrowed. Undefined when no rule concerns the agent.
 */
export function ticketSharingOf(
  rules: readonly SharingRuleFields[],
  agent: SharingSubject,
): TicketSharing | undefined {
  if (isAdmin(agent)) return undefined;
  const groups = new Set(agent.group_ids ?? []);
  const global = (agent.ticket_scope ?? 1) === 1;
  const read = new Set<number>();
  const write = new Set<number>();
  const hidden = new Set<number>();
  for (const rule of rules) {
    if (rule.action === 'share' && !global && rule.shared_with_group_id !== null) {
      if (!groups.has(rule.shared_with_group_id)) continue;
      (rule.access === 'read_write' ? write : read).add(rule.group_id);
    } else if (rule.action === 'hide' && global && !groups.has(rule.group_id)) {
      hidden.add(rule.group_id);
    }
  }
  for (const id of write) read.delete(id);
  if (!read.size && !write.size && !hidden.size) return undefined;
  return { readGroupIds: [...read], writeGroupIds: [...write], hiddenGroupIds: [...hidden] };
}
