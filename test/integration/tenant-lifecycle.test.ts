import { randomUUID } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import { type HostingRegionKey, hostingRegionKeys } from '../../lib/residency/index.ts';
import { runAccounts } from '../../scripts/accounts-cli.ts';
import { apiCaller } from './test-accounts.ts';

/**
 * The acceptance path of issue 14 on the local platform, in every hosting region: an operator creates an
 * account with the CLI; its admin's key works; the admin creates an agent and issues them a first key;
 * the agent issues a key of their own, uses it, revokes it, and it stops working; deleting the agent
 * makes them a contact and ends their keys, while the ticket they were given stays theirs.
 */
const platform = inject('localPlatform');

async function createAccount(region: HostingRegionKey) {
  const out: string[] = [];
  const code = await runAccounts(
    [
      'create',
      '--name',
      `Lifecycle ${region}`,
      '--products',
      'helpdesk',
      '--admin-name',
      'Ada Admin',
      '--admin-email',
      `ada-${randomUUID()}@lifecycle.test`,
      '--region',
      region,
      '--endpoint',
      platform.regions[region].url,
      '--json',
    ],
    { out: (text) => out.push(text), err: () => undefined },
  );
  expect(code).toBe(0);
  return JSON.parse(out.join('\n')) as { account: { account_id: string }; admin: { api_key: string } };
}

describe('an account from the operator CLI to an agent who comes and goes', () => {
  it.each(hostingRegionKeys)('in %s', async (region) => {
    // Prepare
    const call = apiCaller(platform.regions[region].url);
    const created = await createAccount(region);
    const adminKey = created.admin.api_key;
    const email = `agent-${randomUUID()}@lifecycle.test`;

    // Act: the admin creates an agent and hands them a first key
    const agent = await call('POST', '/api/v2/agents', adminKey, {
      email,
      name: 'Bo Agent',
      ticket_scope: 1,
    });
    const duplicate = await call('POST', '/api/v2/agents', adminKey, { email, ticket_scope: 1 });
    const first = await call('POST', `/api/v2/agents/${agent.body.id}/api_keys`, adminKey);
    const firstKey: string = first.body.api_key;

    // Act: the agent issues a key of their own, uses it, revokes it
    const own = await call('POST', '/api/v2/api_keys', firstKey);
    const ownKey: string = own.body.api_key;
    const me = await call('GET', '/api/v2/agents/me', ownKey);
    const listed = await call('GET', '/api/v2/api_keys', firstKey);
    const revoked = await call('DELETE', `/api/v2/api_keys/${own.body.id}`, firstKey);
    const afterRevocation = await call('GET', '/api/v2/agents/me', ownKey);

    // Act: a ticket is given to the agent, then the admin deletes the agent
    const ticket = await call('POST', '/api/v2/tickets', adminKey, {
      subject: 'Printer on fire',
      description: 'Smoke',
      email: `requester-${randomUUID()}@lifecycle.test`,
      responder_id: agent.body.id,
      priority: 1,
      status: 2,
    });
    const deleted = await call('DELETE', `/api/v2/agents/${agent.body.id}`, adminKey);
    const firstAfterDeletion = await call('GET', '/api/v2/agents/me', firstKey);
    const asContact = await call('GET', `/api/v2/contacts/${agent.body.id}`, adminKey);
    const ticketAfter = await call('GET', `/api/v2/tickets/${ticket.body.id}`, adminKey);

    // Assess
    expect(agent.status).toBe(201);
    expect(duplicate.status).toBe(409);
    expect(first.status).toBe(201);
    expect(firstKey.startsWith(`${region}_`)).toBe(true);
    expect(own.status).toBe(201);
    expect(me).toMatchObject({ status: 200, body: { id: agent.body.id } });
    expect(listed.status).toBe(200);
    expect(JSON.stringify(listed.body)).not.toContain(ownKey);
    expect(listed.body.map((key: { id: number }) => key.id)).toContain(own.body.id);
    expect(revoked.status).toBe(204);
    expect(afterRevocation.status).toBe(401);
    expect(ticket.status).toBe(201);
    expect(deleted.status).toBe(204);
    expect(firstAfterDeletion.status).toBe(401);
    expect(asContact).toMatchObject({ status: 200, body: { id: agent.body.id, email } });
    expect(ticketAfter).toMatchObject({ status: 200, body: { responder_id: agent.body.id } });
  });
});
