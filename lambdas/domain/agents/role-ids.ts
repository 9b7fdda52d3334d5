import type { Role } from '#domain/account';

/** Role ids as `role_ids` shows them (read-only roles of the platform). */
export const roleIds: Readonly<Record<Role, number>> = {
  account_admin: 1,
  admin: 2,
  supervisor: 3,
  agent: 4,
};
