import { type Role, roles } from '#domain/account';
import { roleIds } from '#domain/agents/role-ids';
import type { RecordStore } from '#domain/records/record-store';
import { isFixedRoleId, readCustomRole } from './custom-role-service.ts';
import type { Permission } from './permission-catalogue.ts';

/**
 * What holding a role id gives: a fixed role (1–4) its own `role`; a custom role the base role
 * `agent` (ticket scope as the profile says) with the role's permissions.
 */
export interface RoleGrant {
  readonly role: Role;
  /** The custom role, if the id names one. */
  readonly customRoleId?: number;
  /** A custom role's permissions; absent for a fixed role (its fixed set applies). */
  readonly permissions?: readonly Permission[];
}

const fixedRoleById = new Map(roles.map((role) => [roleIds[role], role]));

/**
 * Resolves a role id, fixed or custom, of the account to what a principal carries (for sign-in by an
 * identity provider mapping groups to role ids, and for assigning roles). Undefined for an id the
 * account does not have (another account's role included).
 */
export async function resolveRoleId(
  store: RecordStore,
  accountId: string,
  roleId: number,
): Promise<RoleGrant | undefined> {
  if (isFixedRoleId(roleId)) {
    const role = fixedRoleById.get(roleId);
    return role && { role };
  }
  const custom = await readCustomRole(store, accountId, roleId);
  if (!custom) return undefined;
  return { role: 'agent', customRoleId: roleId, permissions: custom.fields.permissions };
}

/**
 * The permissions an agent profile holding `customRoleId` carries: the role's as stored now, or none
 * at all when the role is gone (fail closed). Undefined for a profile without a custom role.
 */
export async function customRolePermissions(
  store: RecordStore,
  accountId: string,
  customRoleId: number | null | undefined,
): Promise<readonly Permission[] | undefined> {
  if (customRoleId === null || customRoleId === undefined) return undefined;
  const custom = await readCustomRole(store, accountId, customRoleId);
  return custom?.fields.permissions ?? [];
}
