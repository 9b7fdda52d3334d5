import type { Principal } from '#domain/account';
import { AccessDeniedError } from '#domain/errors';

export const isAdmin = (principal: Principal) =>
  principal.role === 'account_admin' || principal.role === 'admin';

/** Refuses a caller who is not an administrator, naming what only administrators may do. */
export function requireAdmin(principal: Principal, action: string): void {
  if (!isAdmin(principal)) throw new AccessDeniedError(`Only an administrator may ${action}.`);
}
