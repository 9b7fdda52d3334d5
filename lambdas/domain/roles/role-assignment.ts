import type { Principal } from '#domain/account';
import type { AgentChanges, AgentFields } from '#domain/agents/agent-service';
import { isAdmin, requireAdmin } from '#domain/agents/permissions';
import { requireRankOver } from '#domain/agents/agent-rank';
import { ValidationError } from '#domain/errors';
import type { RecordStore } from '#domain/records/record-store';
import { requirePermission } from './permission-check.ts';
import { type RoleGrant, resolveRoleId } from './role-grant.ts';

/**
 * The stored fields for a change of an agent's role: v2's `role_ids: [id]` (fixed or custom) or the
 * platform's `role` become the base `role` and `custom_role_id` (null for a fixed role). Assigning a
 * role needs the admin area `roles`; granting a fixed administrator role needs an administrator. A role
 * id the account does not have (another account's included) is a 400.
 */
export async function roleAssignment(
  store: RecordStore,
  principal: Principal,
  changes: AgentChanges,
): Promise<Partial<AgentFields>> {
  const { role_ids: roleIdList, ...fields } = changes;
  if (roleIdList === undefined && fields.role === undefined) return fields;
  requirePermission(principal, 'admin.roles', 'assign roles');
  const grant = roleIdList ? await grantOf(store, principal.accountId, roleIdList[0] as number) : undefined;
  const role = grant?.role ?? fields.role;
  if (role && isAdmin({ role })) requireAdmin(principal, 'grant an administrator role');
  if (role) requireRankOver(principal, role, 'grant this role');
  return { ...fields, role, custom_role_id: grant?.customRoleId ?? null };
}

async function grantOf(store: RecordStore, accountId: string, roleId: number): Promise<RoleGrant> {
  const grant = await resolveRoleId(store, accountId, roleId);
  if (!grant) {
    throw new ValidationError([
      { field: 'role_ids', message: 'There is no role with this id', code: 'invalid_value' },
    ]);
  }
  return grant;
}
