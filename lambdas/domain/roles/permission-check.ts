import type { Principal } from '#domain/account';
import { AccessDeniedError } from '#domain/errors';
import { type Permission, fixedRolePermissions } from './permission-catalogue.ts';

/**
 * The one place that says what a caller may do: their custom role's permissions as read with their
 * profile, else their fixed role's. A requester (portal token) holds no permission: what they may do
 * is their own allow-list (lambdas/http/requester-routes.ts).
 */
export function permissionsOf(
  principal: Pick<Principal, 'role' | 'permissions' | 'contactId'>,
): readonly Permission[] {
  if (principal.contactId !== undefined) return [];
  return principal.permissions ?? fixedRolePermissions[principal.role];
}

export const hasPermission = (
  principal: Pick<Principal, 'role' | 'permissions' | 'contactId'>,
  permission: Permission,
) => permissionsOf(principal).includes(permission);

/** Refuses (403) a caller without `permission`, saying what it is needed for. */
export function requirePermission(principal: Principal, permission: Permission, what: string): void {
  if (!hasPermission(principal, permission)) {
    // What the fixed agent role lacks is an administrator's (admin areas, requests, exports).
    const who = fixedRolePermissions.agent.includes(permission) ? 'a role' : 'an administrator or a role';
    throw new AccessDeniedError(`Only ${who} with the permission ${permission} may ${what}.`);
  }
}
