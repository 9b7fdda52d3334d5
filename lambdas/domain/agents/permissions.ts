import type { Principal } from '#domain/account';
import { AccessDeniedError } from '#domain/errors';

/** Account admins and admins configure the helpdesk. */
export const isAdmin = (principal: Pick<Principal, 'role'>) =>
  principal.role === 'account_admin' || principal.role === 'admin';

/** Refuses (403) a caller who is not an administrator, saying what only administrators may do. */
export function requireAdmin(principal: Principal, what: string): void {
  if (!isAdmin(principal)) throw new AccessDeniedError(`Only an administrator may ${what}.`);
}
