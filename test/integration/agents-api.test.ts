import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestAccount, type TestAgent } from './account-fixture.ts';
import { emulatorDocumentClient } from './emulator-clients.ts';
import { basicAuth } from './http-client.ts';

const platform = inject('localPlatform');
const { url, table } = platform.regions.in;
const client = emulatorDocumentClient(platform);
let admin: TestAgent;
let agent: TestAgent;

beforeAll(async () => {
  const account = await createTestAccount(client, table, 'in', [
    { id: 101, role: 'admin' },
    { id: 102, role: 'agent' },
  ]);
  [admin, agent] = account.agents as [TestAgent, TestAgent];
});
afterAll(() => client.destroy());

interface AgentJson {
  id: number;
  ticket_scope: number;
  role_ids: number[];
  contact: { name: string; job_title: string | null };
}

async function call<T = AgentJson>(method: string, path: string, key: string, body?: unknown) {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: basicAuth(key), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

describe('agents API', () => {
  it('shows the calling agent as Freshdesk v2 does', async () => {
    const me = await call('GET', '/api/v2/agents/me', agent.key);

    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      id: agent.id,
      ticket_scope: 1,
      role_ids: [4],
      contact: { name: 'Agent 102' },
    });
  });

  it('lists the account agents', async () => {
    const listed = await call<AgentJson[]>('GET', '/api/v2/agents', admin.key);

    expect(listed.body.map((a) => a.id).sort()).toEqual([admin.id, agent.id]);
  });

  it('lets an agent correct their own profile but not their scope, nor anyone else', async () => {
    const own = await call('PUT', `/api/v2/agents/${agent.id}`, agent.key, { job_title: 'Support' });
    const scope = await call('PUT', `/api/v2/agents/${agent.id}`, agent.key, { ticket_scope: 3 });
    const other = await call('PUT', `/api/v2/agents/${admin.id}`, agent.key, { job_title: 'Boss' });

    expect(own.body.contact.job_title).toBe('Support');
    expect(scope.status).toBe(403);
    expect(other.status).toBe(403);
    expect((await call('GET', `/api/v2/agents/${admin.id}`, admin.key)).body.contact.job_title).toBeNull();
  });

  it('lets an admin change an agent scope', async () => {
    const changed = await call('PUT', `/api/v2/agents/${agent.id}`, admin.key, { ticket_scope: 3 });

    expect(changed.body.ticket_scope).toBe(3);
  });

  it('shows the seeded demo admin of every region as its agent', async () => {
    const { url: demoUrl, apiKey } = platform.regions.eea;
    const response = await fetch(`${demoUrl}/api/v2/agents/me`, {
      headers: { authorization: basicAuth(apiKey) },
    });

    expect(response.status).toBe(200);
    expect(((await response.json()) as AgentJson).role_ids).toEqual([1]);
  });
});

describe('roles API', () => {
  it('lists the four fixed roles and shows one, read-only', async () => {
    const listed = await call<{ id: number; name: string }[]>('GET', '/api/v2/roles', agent.key);
    const one = await call<{ name: string }>('GET', '/api/v2/roles/2', agent.key);
    const missing = await call('GET', '/api/v2/roles/9', agent.key);

    expect(listed.body.map((role) => role.name)).toEqual(['Account Admin', 'Admin', 'Supervisor', 'Agent']);
    expect(one.body.name).toBe('Admin');
    expect(missing.status).toBe(404);
  });
});

describe('groups API', () => {
  it('lets admins manage groups, agents read them, and keeps names unique', async () => {
    const name = `Tier 1 ${randomUUID()}`;

    const created = await call<{ id: number; agent_ids: number[] }>('POST', '/api/v2/groups', admin.key, {
      name,
      agent_ids: [agent.id],
    });
    const duplicate = await call('POST', '/api/v2/groups', admin.key, { name: name.toLowerCase() });
    const byAgent = await call('POST', '/api/v2/groups', agent.key, { name: `Agents own ${randomUUID()}` });
    const readByAgent = await call<{ agent_ids: number[] }>(
      'GET',
      `/api/v2/groups/${created.body.id}`,
      agent.key,
    );
    const deletedByAgent = await call('DELETE', `/api/v2/groups/${created.body.id}`, agent.key);

    expect(created.status).toBe(201);
    expect(duplicate.status).toBe(409);
    expect(byAgent.status).toBe(403);
    expect(readByAgent.body.agent_ids).toEqual([agent.id]);
    expect(deletedByAgent.status).toBe(403);
  });
});
