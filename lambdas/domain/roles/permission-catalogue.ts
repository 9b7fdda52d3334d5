import type { Role } from '#domain/account';

/**
 * What a role may do, as named permissions. Per resource: view, create, edit, delete (resources whose
 * changes are an administrator's, such as groups and fields, have only `view`: changing them is an
 * admin area). Admin areas: configuring the helpdesk. Privacy requests and exports of data subjects.
 */
export const resourceActions = {
  tickets: ['view', 'create', 'edit', 'delete'],
  conversations: ['view', 'create', 'edit', 'delete'],
  contacts: ['view', 'create', 'edit', 'delete'],
  companies: ['view', 'create', 'edit', 'delete'],
  groups: ['view'],
  agents: ['view', 'edit'],
  calls: ['view', 'create', 'delete'],
  chats: ['view', 'create', 'delete'],
  discussions: ['view', 'create', 'edit', 'delete'],
  solutions: ['view', 'create', 'edit', 'delete'],
  satisfaction_ratings: ['view', 'create'],
  time_entries: ['view', 'create', 'edit', 'delete'],
  canned_responses: ['view'],
  products: ['view'],
  integration_links: ['view', 'create', 'edit', 'delete'],
  fields: ['view'],
  privacy_requests: ['view', 'create', 'manage'],
  exports: ['download'],
} as const;

/** Admin areas: what only an administrator did before custom roles (`admin.<area>`). */
export const adminAreas = [
  'agents',
  'fields',
  'groups',
  'roles',
  'portal',
  'audit_log',
  'migrations',
  'solutions',
  'forums',
  'sso',
  'retention',
  'canned_responses',
  'products',
] as const;

type ResourceAction = {
  [R in keyof typeof resourceActions]: `${R}.${(typeof resourceActions)[R][number]}`;
}[keyof typeof resourceActions];
export type AdminArea = (typeof adminAreas)[number];
export type Permission = ResourceAction | `admin.${AdminArea}`;

/** Every permission there is, in a stable order. */
export const allPermissions: readonly Permission[] = [
  ...Object.entries(resourceActions).flatMap(([resource, actions]) =>
    actions.map((action) => `${resource}.${action}` as Permission),
  ),
  ...adminAreas.map((area) => `admin.${area}` as const),
];

/** What only administrators hold among the fixed roles: admin areas, managing requests, exports. */
const administrative = (permission: Permission) =>
  permission.startsWith('admin.') ||
  permission === 'privacy_requests.manage' ||
  permission === 'exports.download';

const agentPermissions = allPermissions.filter((permission) => !administrative(permission));

/**
 * The four fixed roles as permission sets, so that one check serves fixed and custom roles alike.
 * Administrators hold everything; supervisors and agents everything but the administrative part.
 */
export const fixedRolePermissions: Readonly<Record<Role, readonly Permission[]>> = {
  account_admin: allPermissions,
  admin: allPermissions,
  supervisor: agentPermissions,
  agent: agentPermissions,
};
