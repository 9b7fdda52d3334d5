import type { Principal, Role } from '#domain/account';
import { AccessDeniedError } from '#domain/errors';

/**
 * How far a fixed role reaches over other agents: an account admin over everyone, an admin over
 * everyone but account admins, anyone else (custom roles included, whose base role is `agent`) over
 * supervisors and agents only. Acting on an agent (deleting them, issuing, listing or revoking their
 * keys, changing their profile) or granting a role needs at least that agent's or role's rank: an
 * admin can neither make themselves an account admin nor borrow an account admin's identity.
 */
const rankOf: Readonly<Record<Role, number>> = { account_admin: 3, admin: 2, supervisor: 1, agent: 1 };

/** Refuses (403) acting on an agent who holds `target`, or granting `target`, above the caller's rank. */
export function requireRankOver(principal: Pick<Principal, 'role'>, target: Role, what: string): void {
  if (rankOf[principal.role] < rankOf[target]) {
    throw new AccessDeniedError(`Only an agent of at least the role ${target} may ${what}.`);
  }
}

/** Refuses (403) a caller who is not an account admin: the account's identity settings are theirs. */
export function requireAccountAdmin(principal: Pick<Principal, 'role' | 'contactId'>, what: string): void {
  if (principal.contactId !== undefined || principal.role !== 'account_admin') {
    throw new AccessDeniedError(`Only an account admin may ${what}.`);
  }
}
