import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DynamoAccountStore } from '../../lambdas/adapters/dynamo-account-store.ts';
import { generateApiKey, hashApiKey } from '../../lambdas/domain/api-key.ts';
import { createTestAccount, keyCaller, type TestAgent } from './account-fixture.ts';
import { emulatorDocumentClient } from './emulator-clients.ts';
import { erasedAgent } from './test-accounts.ts';

/**
 * The agent lifecycle over HTTP, as Freshdesk v2 has it: an admin creates an agent (POST /agents) and
 * issues their first API key; the agent issues, lists and revokes their own keys; DELETE /agents makes
 * the agent a contact and revokes their keys. The local API trusts nothing it read for long
 * (API_KEY_CACHE_SECONDS and TICKET_SCOPE_CACHE_SECONDS are 0 here; 30 s and 5 s deployed).
 */
const platform = inject('localPlatform');
const region = 'eea' as const;
const { url, table } = platform.regions[region];
const client = emulatorDocumentClient(platform);
const call = keyCaller(url);
const today = () => new Date().toISOString().slice(0, 10);

let admin: TestAgent;
let colleague: TestAgent;
let accountId: string;

beforeAll(async () => {
  const account = await createTestAccount(client, table, region, [
    { id: 8001, role: 'admin' },
    { id: 8002, role: 'agent' },
  ]);
  [admin, colleague] = account.agents as [TestAgent, TestAgent];
  accountId = account.id;
});
afterAll(() => client.destroy());

const uniqueEmail = () => `agent-${randomUUID()}@example.test`;

/** An agent created by the admin, with the first key the admin issued them. */
async function newAgentWithKey(fields: Record<string, unknown> = {}) {
  const created = await call(admin.key, 'POST', '/api/v2/agents', {
    email: uniqueEmail(),
    ticket_scope: 1,
    ...fields,
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const id = created.body.id as number;
  const issued = await call(admin.key, 'POST', `/api/v2/agents/${id}/api_keys`);
  expect(issued.status, JSON.stringify(issued.body)).toBe(201);
  return { id, email: created.body.contact.email as string, key: issued.body.api_key as string };
}

/** A ticket of a new contact, assigned to the agent. */
async function ticketAssignedTo(agentId: number) {
  const requester = await call(admin.key, 'POST', '/api/v2/contacts', { name: 'R', email: uniqueEmail() });
  const ticket = await call(admin.key, 'POST', '/api/v2/tickets', {
    subject: 'Assigned',
    description: '<p>Assigned</p>',
    requester_id: requester.body.id,
    responder_id: agentId,
  });
  expect(ticket.status, JSON.stringify(ticket.body)).toBe(201);
  return ticket;
}

describe('POST /api/v2/agents', () => {
  it('creates an agent as v2 does (201, the v2 view), and refuses a duplicate e-mail with 409', async () => {
    // Prepare
    const email = uniqueEmail();

    // Act
    const created = await call(admin.key, 'POST', '/api/v2/agents', {
      email,
      name: 'New Agent',
      ticket_scope: 2,
      role_ids: [3],
      group_ids: [],
      signature: '<p>Regards</p>',
    });
    const again = await call(admin.key, 'POST', '/api/v2/agents', {
      email: ` ${email.toUpperCase()} `,
      ticket_scope: 1,
    });
    const read = await call(admin.key, 'GET', `/api/v2/agents/${created.body.id}`);

    // Assess
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.headers.get('location')).toBe(`/api/v2/agents/${created.body.id}`);
    expect(created.body).toMatchObject({
      ticket_scope: 2,
      role_ids: [3],
      occasional: false,
      signature: '<p>Regards</p>',
      contact: { name: 'New Agent', email },
    });
    expect(read.body).toEqual(created.body);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'conflict' });
    expect(JSON.stringify(again.body)).not.toContain(email);
  });

  it('requires email and ticket_scope (400), refuses non-admins (403) and an e-mail a contact holds (409)', async () => {
    // Prepare
    const contactEmail = uniqueEmail();
    const contact = await call(admin.key, 'POST', '/api/v2/contacts', { name: 'C', email: contactEmail });

    // Act
    const noScope = await call(admin.key, 'POST', '/api/v2/agents', { email: uniqueEmail() });
    const byAgent = await call(colleague.key, 'POST', '/api/v2/agents', {
      email: uniqueEmail(),
      ticket_scope: 1,
    });
    const ofContact = await call(admin.key, 'POST', '/api/v2/agents', {
      email: contactEmail,
      ticket_scope: 1,
    });
    const disagreeing = await call(admin.key, 'POST', '/api/v2/agents', {
      email: uniqueEmail(),
      ticket_scope: 1,
      role: 'admin',
      role_ids: [4],
    });

    // Assess
    expect(noScope.status).toBe(400);
    expect(noScope.body.errors).toEqual([expect.objectContaining({ field: 'ticket_scope' })]);
    expect(byAgent.status).toBe(403);
    expect(ofContact.status).toBe(409);
    expect(ofContact.body.message).toContain(`/api/v2/contacts/${contact.body.id}/make_agent`);
    expect(disagreeing.status).toBe(400);
  });
});

describe('API keys, each agent their own', () => {
  it('lets a new agent create a key, use it, list it without its secret, and revoke it: then it is refused', async () => {
    // Prepare: the admin issued the new agent's first key.
    const agent = await newAgentWithKey();

    // Act
    const created = await call(agent.key, 'POST', '/api/v2/api_keys', {});
    const own = created.body.api_key as string;
    const used = await call(own, 'GET', '/api/v2/agents/me');
    const listed = await call(agent.key, 'GET', '/api/v2/api_keys');
    const revoked = await call(agent.key, 'DELETE', `/api/v2/api_keys/${created.body.id}`);
    const after = await call(own, 'GET', '/api/v2/agents/me');
    const listedAfter = await call(agent.key, 'GET', '/api/v2/api_keys');

    // Assess
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(own).toMatch(/^eea_/);
    expect(created.body).toMatchObject({
      id: expect.any(Number),
      prefix: own.slice(0, 8),
      expires_at: null,
      read_only: false,
      integration: false,
    });
    expect(used.status).toBe(200);
    expect(used.body.id).toBe(agent.id);
    expect(listed.status).toBe(200);
    expect(listed.body).toHaveLength(2);
    const listedOwn = listed.body.find((key: { id: number }) => key.id === created.body.id);
    expect(listedOwn).toEqual({
      id: created.body.id,
      prefix: own.slice(0, 8),
      created_at: created.body.created_at,
      last_used_on: today(),
      expires_at: null,
      read_only: false,
      integration: false,
    });
    const text = JSON.stringify(listed.body);
    for (const secret of [own, agent.key]) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(hashApiKey(secret));
    }
    expect(revoked.status).toBe(204);
    expect(after.status).toBe(401);
    expect(after.body).toMatchObject({ code: 'invalid_credentials' });
    expect(listedAfter.body.map((key: { id: number }) => key.id)).not.toContain(created.body.id);
    expect((await call(agent.key, 'GET', '/api/v2/agents/me')).status).toBe(200);
    const audit = await call(admin.key, 'GET', `/api/v2/audit_log?record_type=agent&record_id=${agent.id}`);
    const keyChanges = audit.body.filter((entry: { changed_fields: string[] }) =>
      entry.changed_fields.includes('api_keys'),
    );
    // Newest first: the agent revoked their key, issued it, and the admin issued the first one.
    expect(keyChanges.map((entry: { summary: string }) => entry.summary)).toEqual([
      `agent ${agent.id} updated agent ${agent.id}: api_keys`,
      `agent ${agent.id} updated agent ${agent.id}: api_keys`,
      `agent ${admin.id} updated agent ${agent.id}: api_keys`,
    ]);
    expect(JSON.stringify(audit.body)).not.toContain(own);
  });

  it('refuses an expired key with 401, and an expiry in the past or beyond two years with 400', async () => {
    // Prepare: a key whose expiry passed (issued by the store, as time would have it).
    const agent = await newAgentWithKey();
    const expired = generateApiKey(region);
    await new DynamoAccountStore(client, table).addApiKey({
      apiKeyHash: hashApiKey(expired),
      accountId,
      agentId: agent.id,
      expiresAt: new Date(Date.now() - 1000).toISOString(),
    });
    const inThreeYears = new Date(Date.now() + 3 * 365 * 24 * 3600 * 1000).toISOString();
    const nextWeek = new Date(Date.now() + 7 * 24 * 3600 * 1000).toISOString();

    // Act
    const refused = await call(expired, 'GET', '/api/v2/agents/me');
    const past = await call(agent.key, 'POST', '/api/v2/api_keys', { expires_at: '2020-01-01T00:00:00Z' });
    const tooFar = await call(agent.key, 'POST', '/api/v2/api_keys', { expires_at: inThreeYears });
    const expiring = await call(agent.key, 'POST', '/api/v2/api_keys', { expires_at: nextWeek });

    // Assess
    expect(refused.status).toBe(401);
    expect(refused.body.message).toContain('expired');
    expect(past.status).toBe(400);
    expect(past.body.errors).toEqual([expect.objectContaining({ field: 'expires_at' })]);
    expect(tooFar.status).toBe(400);
    expect(expiring.status).toBe(201);
    expect(expiring.body.expires_at).toBe(nextWeek);
    expect((await call(expiring.body.api_key, 'GET', '/api/v2/agents/me')).status).toBe(200);
  });

  it('lets a read-only key read, and refuses anything else with 403 naming the reason', async () => {
    // Prepare
    const agent = await newAgentWithKey();
    const readOnly = (await call(agent.key, 'POST', '/api/v2/api_keys', { read_only: true })).body.api_key;

    // Act
    const read = await call(readOnly, 'GET', '/api/v2/tickets');
    const write = await call(readOnly, 'POST', '/api/v2/api_keys', {});
    const update = await call(readOnly, 'PUT', `/api/v2/agents/${agent.id}`, { job_title: 'x' });

    // Assess
    expect(read.status).toBe(200);
    expect(write.status).toBe(403);
    expect(write.body.message).toContain('read-only');
    expect(update.status).toBe(403);
  });

  it('lets only admins issue integration keys', async () => {
    // Prepare
    const agent = await newAgentWithKey();

    // Act
    const byAgent = await call(agent.key, 'POST', '/api/v2/api_keys', { integration: true });
    const byAdmin = await call(admin.key, 'POST', `/api/v2/agents/${agent.id}/api_keys`, {
      integration: true,
    });

    // Assess
    expect(byAgent.status).toBe(403);
    expect(byAdmin.status).toBe(201);
    expect(byAdmin.body.integration).toBe(true);
  });

  it("lets an admin list and revoke another agent's key; an agent cannot touch another's keys", async () => {
    // Prepare
    const agent = await newAgentWithKey();
    const adminKeys = await call(admin.key, 'GET', '/api/v2/api_keys');
    const adminKeyId = adminKeys.body[0].id as number;

    // Act
    const peek = await call(agent.key, 'GET', `/api/v2/agents/${admin.id}/api_keys`);
    const revokeOther = await call(agent.key, 'DELETE', `/api/v2/agents/${admin.id}/api_keys/${adminKeyId}`);
    const revokeOtherAsOwn = await call(agent.key, 'DELETE', `/api/v2/api_keys/${adminKeyId}`);
    const issueOther = await call(agent.key, 'POST', `/api/v2/agents/${admin.id}/api_keys`);
    const listed = await call(admin.key, 'GET', `/api/v2/agents/${agent.id}/api_keys`);
    const revoked = await call(
      admin.key,
      'DELETE',
      `/api/v2/agents/${agent.id}/api_keys/${listed.body[0].id}`,
    );
    const again = await call(admin.key, 'DELETE', `/api/v2/agents/${agent.id}/api_keys/${listed.body[0].id}`);

    // Assess
    expect(peek.status).toBe(403);
    expect(revokeOther.status).toBe(403);
    expect(revokeOtherAsOwn.status).toBe(404);
    expect(issueOther.status).toBe(403);
    expect((await call(admin.key, 'GET', '/api/v2/agents/me')).status).toBe(200);
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual([expect.objectContaining({ prefix: agent.key.slice(0, 8) })]);
    expect(revoked.status).toBe(204);
    expect(again.status).toBe(404);
    expect((await call(agent.key, 'GET', '/api/v2/agents/me')).status).toBe(401);
  });

  it("keeps another account's agents and keys invisible (404), and their keys working", async () => {
    // Prepare
    const agent = await newAgentWithKey();
    const stranger = await createTestAccount(client, table, region, [{ id: 8001, role: 'admin' }]);
    const strangerKey = (stranger.agents[0] as TestAgent).key;
    const keyId = (await call(agent.key, 'GET', '/api/v2/api_keys')).body[0].id as number;

    // Act
    const list = await call(strangerKey, 'GET', `/api/v2/agents/${agent.id}/api_keys`);
    const revoke = await call(strangerKey, 'DELETE', `/api/v2/agents/${agent.id}/api_keys/${keyId}`);
    const issue = await call(strangerKey, 'POST', `/api/v2/agents/${agent.id}/api_keys`);
    const remove = await call(strangerKey, 'DELETE', `/api/v2/agents/${agent.id}`);

    // Assess
    expect([list.status, revoke.status, issue.status, remove.status]).toEqual([404, 404, 404, 404]);
    expect((await call(agent.key, 'GET', '/api/v2/agents/me')).status).toBe(200);
  });

  it('applies a role change to a key issued through these routes', async () => {
    // Prepare
    const agent = await newAgentWithKey();
    const own = (await call(agent.key, 'POST', '/api/v2/api_keys')).body.api_key as string;
    const auditLog = `/api/v2/audit_log?since=${encodeURIComponent('2020-01-01T00:00:00Z')}`;
    const before = await call(own, 'GET', auditLog);

    // Act
    await call(admin.key, 'PUT', `/api/v2/agents/${agent.id}`, { role: 'admin' });
    const promoted = await call(own, 'GET', auditLog);

    // Assess
    expect(before.status).toBe(403);
    expect(promoted.status).toBe(200);
  });
});

describe('DELETE /api/v2/agents/{id}', () => {
  it('makes the agent a contact with the same id: their keys are refused, their tickets still name them', async () => {
    // Prepare: an agent with two keys, assigned a ticket.
    const agent = await newAgentWithKey({ name: 'Leaving Agent' });
    const second = (await call(agent.key, 'POST', '/api/v2/api_keys')).body.api_key as string;
    const ticket = await ticketAssignedTo(agent.id);

    // Act
    const byAgent = await call(colleague.key, 'DELETE', `/api/v2/agents/${agent.id}`);
    const self = await call(admin.key, 'DELETE', `/api/v2/agents/${admin.id}`);
    const deleted = await call(admin.key, 'DELETE', `/api/v2/agents/${agent.id}`);

    // Assess
    expect(byAgent.status).toBe(403);
    expect(self.status).toBe(409);
    expect(deleted.status, JSON.stringify(deleted.body)).toBe(204);
    const found = await call(admin.key, 'GET', `/api/v2/contacts?email=${encodeURIComponent(agent.email)}`);
    expect(found.body).toEqual([expect.objectContaining({ id: agent.id, name: 'Leaving Agent' })]);
    expect((await call(admin.key, 'GET', `/api/v2/contacts/${agent.id}`)).status).toBe(200);
    expect((await call(admin.key, 'GET', `/api/v2/agents/${agent.id}`)).status).toBe(404);
    const agents = await call(admin.key, 'GET', '/api/v2/agents');
    expect(agents.body.map((a: { id: number }) => a.id)).not.toContain(agent.id);
    expect((await call(agent.key, 'GET', '/api/v2/tickets')).status).toBe(401);
    expect((await call(second, 'GET', '/api/v2/tickets')).status).toBe(401);
    const kept = await call(admin.key, 'GET', `/api/v2/tickets/${ticket.body.id}`);
    expect(kept.body.responder_id).toBe(agent.id);
    const audit = await call(
      admin.key,
      'GET',
      `/api/v2/audit_log?since=${encodeURIComponent('2020-01-01T00:00:00Z')}`,
    );
    expect(JSON.stringify(audit.body)).not.toContain(agent.email);
    expect(JSON.stringify(audit.body)).not.toContain('Leaving Agent');
  });

  it("erases a deleted agent's agent-era data only through a verified privacy request for the agent", async () => {
    // Prepare: an agent assigned a ticket, deleted (made a contact).
    const agent = await newAgentWithKey();
    const ticket = await ticketAssignedTo(agent.id);
    await call(admin.key, 'DELETE', `/api/v2/agents/${agent.id}`);

    // Act
    const done = await erasedAgent(url, admin.key, agent.id);

    // Assess
    expect(done.status).toBe('completed');
    const after = await call(admin.key, 'GET', `/api/v2/tickets/${ticket.body.id}`);
    expect(after.body.responder_id).toBeNull();
    expect((await call(admin.key, 'GET', `/api/v2/contacts/${agent.id}`)).status).toBe(200);
  });

  it('brings back the contact an agent was made from (their requested tickets stay theirs), who may be made an agent again', async () => {
    // Prepare: a contact requests a ticket, then is made an agent with a key.
    const email = uniqueEmail();
    const contact = await call(admin.key, 'POST', '/api/v2/contacts', { name: 'Once Contact', email });
    const ticket = await call(admin.key, 'POST', '/api/v2/tickets', {
      subject: 'Mine',
      description: '<p>Mine</p>',
      requester_id: contact.body.id,
    });
    const made = await call(admin.key, 'PUT', `/api/v2/contacts/${contact.body.id}/make_agent`);
    const key = (await call(admin.key, 'POST', `/api/v2/agents/${contact.body.id}/api_keys`)).body.api_key;
    const duplicate = await call(admin.key, 'POST', '/api/v2/agents', { email, ticket_scope: 1 });

    // Act
    const deleted = await call(admin.key, 'DELETE', `/api/v2/agents/${contact.body.id}`);

    // Assess
    expect(made.status).toBe(200);
    expect(duplicate.status).toBe(409);
    expect(deleted.status).toBe(204);
    const back = await call(admin.key, 'GET', `/api/v2/contacts/${contact.body.id}`);
    expect(back.body).toMatchObject({ id: contact.body.id, name: 'Once Contact', email });
    const found = await call(admin.key, 'GET', `/api/v2/contacts?email=${encodeURIComponent(email)}`);
    expect(found.body.map((c: { id: number }) => c.id)).toEqual([contact.body.id]);
    const kept = await call(admin.key, 'GET', `/api/v2/tickets/${ticket.body.id}`);
    expect(kept.body.requester_id).toBe(contact.body.id);
    expect((await call(key, 'GET', '/api/v2/agents/me')).status).toBe(401);
    const madeAgain = await call(admin.key, 'PUT', `/api/v2/contacts/${contact.body.id}/make_agent`);
    expect(madeAgain.status, JSON.stringify(madeAgain.body)).toBe(200);
    expect((await call(admin.key, 'GET', `/api/v2/agents/${contact.body.id}`)).body.contact.email).toBe(
      email,
    );
    expect((await call(key, 'GET', '/api/v2/agents/me')).status).toBe(401);
  });
});

describe('an admin never reaches above their role', () => {
  let owner: TestAgent;
  let deputy: TestAgent;
  let worker: TestAgent;
  beforeAll(async () => {
    const account = await createTestAccount(client, table, region, [
      { id: 9101, role: 'account_admin' },
      { id: 9102, role: 'admin' },
      { id: 9103, role: 'agent' },
    ]);
    [owner, deputy, worker] = account.agents as [TestAgent, TestAgent, TestAgent];
  });

  it('cannot make anyone an account admin, themselves included, nor set the account single sign-on', async () => {
    // Act
    const made = await call(deputy.key, 'POST', '/api/v2/agents', {
      email: uniqueEmail(),
      ticket_scope: 1,
      role: 'account_admin',
    });
    const selfPromotion = await call(deputy.key, 'PUT', `/api/v2/agents/${deputy.id}`, {
      role: 'account_admin',
    });
    const promotion = await call(deputy.key, 'PUT', `/api/v2/agents/${worker.id}`, { role_ids: [1] });
    const sso = await call(deputy.key, 'PUT', '/api/v2/admin/sso', {
      issuer: 'https://idp.example.test',
      client_ids: ['helpdesk'],
    });
    const byOwner = await call(owner.key, 'PUT', `/api/v2/agents/${worker.id}`, { role: 'admin' });

    // Assess
    expect(made.status).toBe(403);
    expect(selfPromotion.status).toBe(403);
    expect(promotion.status).toBe(403);
    expect(sso.status).toBe(403);
    expect(JSON.stringify(sso.body)).toMatch(/account admin/);
    expect(byOwner.status).toBe(200);
  });

  it('cannot issue a key to, list or revoke the keys of, change or delete an account admin', async () => {
    // Act
    const issued = await call(deputy.key, 'POST', `/api/v2/agents/${owner.id}/api_keys`);
    const listed = await call(deputy.key, 'GET', `/api/v2/agents/${owner.id}/api_keys`);
    const changed = await call(deputy.key, 'PUT', `/api/v2/agents/${owner.id}`, { ticket_scope: 3 });
    const deleted = await call(deputy.key, 'DELETE', `/api/v2/agents/${owner.id}`);
    const ownerStillIn = await call(owner.key, 'GET', '/api/v2/agents/me');
    const workerKey = await call(deputy.key, 'POST', `/api/v2/agents/${worker.id}/api_keys`);

    // Assess
    expect([issued.status, listed.status, changed.status, deleted.status]).toEqual([403, 403, 403, 403]);
    expect(ownerStillIn.status).toBe(200);
    expect(workerKey.status).toBe(201);
  });
});
