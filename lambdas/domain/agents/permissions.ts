import type { Principal } from '#domain/account';
import { AccessDeniedError } from '#domain/errors';
import { adminAreas } from '#domain/roles/permission-catalogue';
import { hasPermission } from '#domain/roles/permission-check';

/** Account admins and admins (the fixed roles) configure the helpdesk. */
export const isAdmin = (principal: Pick<Principal, 'role'>) =>
  principal.role === 'account_admin' || principal.role === 'admin';

/**
 * Refuses (403) a caller who is not an administrator, saying what only administrators may do. A custom
 * role counts as an administrator's only if it holds every admin area; checks of one area use
 * `requirePermission` (#domain/roles/permission-check).
 */
export function requireAdmin(principal: Principal, what: string): void {
  const administrator =
    principal.contactId === undefined &&
    (principal.permissions === undefined
      ? isAdmin(principal)
      : adminAreas.every((area) => hasPermission(principal, `admin.${area}`)));
  if (!administrator) throw new AccessDeniedError(`Only an administrator may ${what}.`);
}
