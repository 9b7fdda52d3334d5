import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Role } from '../../lambdas/domain/account.ts';
import { createTestAccount, keyCaller, type TestAgent } from './account-fixture.ts';
import { emulatorDocumentClient } from './emulator-clients.ts';

/**
 * Custom roles (named permission sets checked on every route) and sharing rules (who sees a group's
 * tickets) over HTTP. The local API reads profiles, roles and rules on every request (cache time 0).
 */
const platform = inject('localPlatform');
const { url, table } = platform.regions.eea;
const client = emulatorDocumentClient(platform);
const call = keyCaller(url);
afterAll(() => client.destroy());

const specs: ReadonlyArray<{ id: number; role: Role }> = [
  { id: 801, role: 'admin' },
  { id: 802, role: 'agent' },
  { id: 803, role: 'agent' },
  { id: 804, role: 'agent' },
  { id: 805, role: 'agent' },
  { id: 806, role: 'supervisor' },
  { id: 807, role: 'agent' },
];
let admin: TestAgent;
let viewer: TestAgent;
let noContacts: TestAgent;
let fieldManager: TestAgent;
let memberOfB: TestAgent;
let outsider: TestAgent;
let memberOfA: TestAgent;
let groupA = 0;
let groupB = 0;
let ticketOfA = 0;

async function newRole(name: string, permissions: string[]): Promise<number> {
  const created = await call(admin.key, 'POST', '/api/v2/roles', { name, permissions });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.id;
}

async function assign(agentId: number, changes: Record<string, unknown>) {
  const updated = await call(admin.key, 'PUT', `/api/v2/agents/${agentId}`, changes);
  expect(updated.status, JSON.stringify(updated.body)).toBe(200);
  return updated.body;
}

beforeAll(async () => {
  const account = await createTestAccount(client, table, 'eea', specs);
  [admin, viewer, noContacts, fieldManager, memberOfB, outsider, memberOfA] =
    account.agents as TestAgent[] as [
      TestAgent,
      TestAgent,
      TestAgent,
      TestAgent,
      TestAgent,
      TestAgent,
      TestAgent,
    ];
  groupA = (await call(admin.key, 'POST', '/api/v2/groups', { name: 'Sharing A' })).body.id;
  groupB = (await call(admin.key, 'POST', '/api/v2/groups', { name: 'Sharing B' })).body.id;
  const ticket = await call(admin.key, 'POST', '/api/v2/tickets', {
    subject: 'Shared',
    description: 'Of group A',
    email: 'sharing-requester@example.test',
    group_id: groupA,
  });
  ticketOfA = ticket.body.id;
  await assign(memberOfB.id, { ticket_scope: 2, group_ids: [groupB] });
  await assign(memberOfA.id, { ticket_scope: 1, group_ids: [groupA] });
}, 60_000);

describe('custom roles', () => {
  it('lets a role that may view tickets read them and list them, but not change them', async () => {
    // Prepare
    const role = await newRole('Ticket viewer', ['tickets.view', 'conversations.view']);
    const agent = await assign(viewer.id, { role_ids: [role] });

    // Act
    const read = await call(viewer.key, 'GET', `/api/v2/tickets/${ticketOfA}`);
    const listed = await call(viewer.key, 'GET', '/api/v2/tickets');
    const update = await call(viewer.key, 'PUT', `/api/v2/tickets/${ticketOfA}`, { priority: 4 });
    const reply = await call(viewer.key, 'POST', `/api/v2/tickets/${ticketOfA}/reply`, { body: 'No' });

    // Assess
    expect(agent.role_ids).toEqual([role]);
    expect(read.status).toBe(200);
    expect(listed.status).toBe(200);
    expect(listed.body.map((t: { id: number }) => t.id)).toContain(ticketOfA);
    expect(update.status).toBe(403);
    expect(update.body).toMatchObject({ errors: [{ code: 'access_denied' }] });
    expect(reply.status).toBe(403);
  });

  it('refuses a list to a role without its view permission', async () => {
    // Prepare
    const role = await newRole('No contacts', ['tickets.view']);
    await assign(noContacts.id, { role_ids: [role] });

    // Act
    const contacts = await call(noContacts.key, 'GET', '/api/v2/contacts');
    const companies = await call(noContacts.key, 'GET', '/api/v2/companies');
    const me = await call(noContacts.key, 'GET', '/api/v2/agents/me');

    // Assess
    expect(contacts.status).toBe(403);
    expect(companies.status).toBe(403);
    expect(me.status).toBe(200);
    expect(me.body.role_ids).toEqual([role]);
  });

  it('lets a non-admin with the admin area fields manage fields, and nothing else of an admin', async () => {
    // Prepare
    const role = await newRole('Field manager', ['admin.fields', 'fields.view']);
    await assign(fieldManager.id, { role_ids: [role] });
    const label = `Managed ${role}`;

    // Act
    const created = await call(fieldManager.key, 'POST', '/api/v2/admin/ticket_fields', {
      label,
      label_for_customers: label,
      type: 'custom_text',
    });
    const groups = await call(fieldManager.key, 'POST', '/api/v2/groups', { name: 'Not mine' });
    const audit = await call(fieldManager.key, 'GET', '/api/v2/audit_log?since=2020-01-01T00:00:00Z');

    // Assess
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(groups.status).toBe(403);
    expect(audit.status).toBe(403);
  });

  it('lists the fixed roles as permission sets beside the custom ones, and keeps the fixed ones read-only', async () => {
    // Prepare
    const role = await newRole('Listed', ['tickets.view']);

    // Act
    const listed = await call(admin.key, 'GET', '/api/v2/roles');
    const fixedChange = await call(admin.key, 'PUT', '/api/v2/roles/4', { name: 'Changed' });
    const fixedDelete = await call(admin.key, 'DELETE', '/api/v2/roles/1');

    // Assess
    expect(listed.status).toBe(200);
    const byId = new Map(listed.body.map((view: { id: number }) => [view.id, view]));
    expect(byId.get(1)).toMatchObject({
      default: true,
      permissions: expect.arrayContaining(['admin.roles']),
    });
    expect(byId.get(role)).toMatchObject({ name: 'Listed', default: false, permissions: ['tickets.view'] });
    expect(fixedChange.status).toBe(403);
    expect(fixedDelete.status).toBe(403);
  });

  it('refuses an unknown permission, an unknown role id and a non-admin assigning roles with 400 and 403', async () => {
    // Act
    const unknown = await call(admin.key, 'POST', '/api/v2/roles', {
      name: 'Bad',
      permissions: ['tickets.view', 'tickets.fly'],
    });
    const noSuchRole = await call(admin.key, 'PUT', `/api/v2/agents/${viewer.id}`, { role_ids: [999_999] });
    const both = await call(admin.key, 'PUT', `/api/v2/agents/${viewer.id}`, {
      role: 'agent',
      role_ids: [4],
    });
    const byAgent = await call(memberOfB.key, 'POST', '/api/v2/roles', { name: 'Mine', permissions: [] });

    // Assess
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0]).toMatchObject({ field: 'permissions.1', code: 'invalid_value' });
    expect(noSuchRole.status).toBe(400);
    expect(noSuchRole.body.errors[0]).toMatchObject({ field: 'role_ids' });
    expect(both.status).toBe(400);
    expect(byAgent.status).toBe(403);
  });

  it('refuses to delete a role agents hold (409 naming how many), then deletes it once free', async () => {
    // Prepare
    const role = await newRole('Held', ['tickets.view']);
    await assign(outsider.id, { role_ids: [role] });

    // Act
    const refused = await call(admin.key, 'DELETE', `/api/v2/roles/${role}`);
    await assign(outsider.id, { role_ids: [3] });
    const deleted = await call(admin.key, 'DELETE', `/api/v2/roles/${role}`);
    const gone = await call(admin.key, 'GET', `/api/v2/roles/${role}`);

    // Assess
    expect(refused.status).toBe(409);
    expect(refused.body.description ?? refused.body.errors?.[0]?.message).toBeDefined();
    expect(JSON.stringify(refused.body)).toContain('1 agent');
    expect(deleted.status).toBe(204);
    expect(gone.status).toBe(404);
  });

  it('never lets a custom role with the admin area agents make anyone an administrator', async () => {
    // Prepare: an agent manager, and a contact to make an agent.
    const role = await newRole('Agent manager', [
      'admin.agents',
      'agents.view',
      'agents.edit',
      'contacts.create',
    ]);
    await assign(memberOfA.id, { role_ids: [role] });
    const contact = await call(admin.key, 'POST', '/api/v2/contacts', {
      name: 'Would be admin',
      email: `would-be-admin-${role}@example.test`,
    });

    // Act
    const promoted = await call(memberOfA.key, 'PUT', `/api/v2/contacts/${contact.body.id}/make_agent`, {
      role_ids: [1],
    });
    const selfPromoted = await call(memberOfA.key, 'PUT', `/api/v2/agents/${memberOfA.id}`, {
      role_ids: [2],
    });
    const scoped = await call(memberOfA.key, 'PUT', `/api/v2/agents/${viewer.id}`, { occasional: true });
    await assign(memberOfA.id, { role_ids: [4] });

    // Assess
    expect(promoted.status).toBe(403);
    expect(selfPromoted.status).toBe(403);
    expect(scoped.status).toBe(200);
  });

  it('audits role changes with ids and field names only', async () => {
    // Prepare
    const role = await newRole('Audited', ['tickets.view']);
    await call(admin.key, 'PUT', `/api/v2/roles/${role}`, { permissions: ['tickets.view', 'tickets.edit'] });

    // Act
    const trail = await call(admin.key, 'GET', `/api/v2/audit_log?record_type=role&record_id=${role}`);

    // Assess
    expect(trail.status).toBe(200);
    const text = JSON.stringify(trail.body);
    expect(text).toContain('permissions');
    expect(text).not.toContain('tickets.edit');
    expect(text).not.toContain('Audited');
  });
});

describe('sharing rules', () => {
  it("shows group A's tickets read-only to a member of B: viewed and listed, never changed", async () => {
    // Prepare
    const before = await call(memberOfB.key, 'GET', `/api/v2/tickets/${ticketOfA}`);
    const rule = await call(admin.key, 'POST', '/api/v2/sharing_rules', {
      name: 'A to B, read-only',
      group_id: groupA,
      action: 'share',
      shared_with_group_id: groupB,
      access: 'read_only',
    });

    // Act
    const read = await call(memberOfB.key, 'GET', `/api/v2/tickets/${ticketOfA}`);
    const listed = await call(memberOfB.key, 'GET', '/api/v2/tickets');
    const conversations = await call(memberOfB.key, 'GET', `/api/v2/tickets/${ticketOfA}/conversations`);
    const update = await call(memberOfB.key, 'PUT', `/api/v2/tickets/${ticketOfA}`, { priority: 4 });
    const note = await call(memberOfB.key, 'POST', `/api/v2/tickets/${ticketOfA}/notes`, { body: 'No' });
    const deletion = await call(memberOfB.key, 'DELETE', `/api/v2/tickets/${ticketOfA}`);
    await call(admin.key, 'DELETE', `/api/v2/sharing_rules/${rule.body.id}`);
    const after = await call(memberOfB.key, 'GET', `/api/v2/tickets/${ticketOfA}`);

    // Assess
    expect(rule.status, JSON.stringify(rule.body)).toBe(201);
    expect(before.status).toBe(404);
    expect(read.status).toBe(200);
    expect(listed.body.map((t: { id: number }) => t.id)).toContain(ticketOfA);
    expect(conversations.status).toBe(200);
    expect([update.status, note.status, deletion.status]).toEqual([403, 403, 403]);
    expect(after.status).toBe(404);
  });

  it('lets a read-write share change the ticket', async () => {
    // Prepare
    const rule = await call(admin.key, 'POST', '/api/v2/sharing_rules', {
      name: 'A to B, read-write',
      group_id: groupA,
      action: 'share',
      shared_with_group_id: groupB,
      access: 'read_write',
    });

    // Act
    const update = await call(memberOfB.key, 'PUT', `/api/v2/tickets/${ticketOfA}`, { priority: 3 });
    await call(admin.key, 'DELETE', `/api/v2/sharing_rules/${rule.body.id}`);

    // Assess
    expect(update.status, JSON.stringify(update.body)).toBe(200);
  });

  it("hides group A's tickets from global-scope agents outside A, not from A's members nor admins", async () => {
    // Prepare
    const rule = await call(admin.key, 'POST', '/api/v2/sharing_rules', {
      name: 'Hide A',
      group_id: groupA,
      action: 'hide',
    });

    // Act
    const hidden = await call(outsider.key, 'GET', `/api/v2/tickets/${ticketOfA}`);
    const hiddenList = await call(outsider.key, 'GET', '/api/v2/tickets');
    const member = await call(memberOfA.key, 'GET', `/api/v2/tickets/${ticketOfA}`);
    const byAdmin = await call(admin.key, 'GET', `/api/v2/tickets/${ticketOfA}`);
    await call(admin.key, 'DELETE', `/api/v2/sharing_rules/${rule.body.id}`);
    const shownAgain = await call(outsider.key, 'GET', `/api/v2/tickets/${ticketOfA}`);

    // Assess
    expect(rule.status, JSON.stringify(rule.body)).toBe(201);
    expect(hidden.status).toBe(404);
    expect(hiddenList.body.map((t: { id: number }) => t.id)).not.toContain(ticketOfA);
    expect(member.status).toBe(200);
    expect(byAdmin.status).toBe(200);
    expect(shownAgain.status).toBe(200);
  });

  it('refuses rules that do not add up, or name groups the account does not have, with 400', async () => {
    // Act
    const shareWithout = await call(admin.key, 'POST', '/api/v2/sharing_rules', {
      name: 'Incomplete',
      group_id: groupA,
      action: 'share',
    });
    const noGroup = await call(admin.key, 'POST', '/api/v2/sharing_rules', {
      name: 'Unknown',
      group_id: 999_999_999,
      action: 'hide',
    });
    const byAgent = await call(memberOfB.key, 'GET', '/api/v2/sharing_rules');

    // Assess
    expect(shareWithout.status).toBe(400);
    expect(shareWithout.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'access',
      'shared_with_group_id',
    ]);
    expect(noGroup.status).toBe(400);
    expect(noGroup.body.errors[0]).toMatchObject({ field: 'group_id' });
    expect(byAgent.status).toBe(403);
  });
});
