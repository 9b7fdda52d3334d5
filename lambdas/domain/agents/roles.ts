import type { z } from 'zod';
import type { Role } from '#domain/account';
import type { roleViewSchema } from '#domain/roles/custom-role-service';
import { fixedRolePermissions } from '#domain/roles/permission-catalogue';
import { roleIds } from './role-ids.ts';

const descriptions: Readonly<Record<Role, string>> = {
  account_admin: 'Everything an admin can do, plus billing, data-subject requests and account deletion',
  admin: 'Configures the helpdesk, manages agents, verifies data-subject requests, reads the audit log',
  supervisor: 'Works every ticket of their groups and watches the agents in them',
  agent: 'Works tickets within their ticket scope',
};

/** The platform's fixed roles as Freshdesk v2's read-only roles API shows them, with their permissions. */
export const roleViews = (Object.keys(roleIds) as Role[]).map((role): z.infer<typeof roleViewSchema> => ({
  id: roleIds[role],
  name: role
    .split('_')
    .map((word) => word[0]?.toUpperCase() + word.slice(1))
    .join(' '),
  description: descriptions[role],
  default: true,
  permissions: [...fixedRolePermissions[role]],
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
}));

/** The role a `role_ids` entry names. */
export const roleById: ReadonlyMap<number, Role> = new Map(
  Object.entries(roleIds).map(([role, id]) => [id, role as Role]),
);
