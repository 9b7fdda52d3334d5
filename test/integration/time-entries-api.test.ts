import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { descendantKeysOf } from '../../lambdas/domain/purge/descendants.ts';
import { createTestAccount, keyCaller, linkedRecords, type TestAgent } from './account-fixture.ts';
import { emulatorDocumentClient } from './emulator-clients.ts';

/**
 * Time entries over HTTP: v2's validation, the timer, ticket scope (an entry answers as its ticket
 * does), a deleted ticket hiding its entries, soft deletion into the 60-day purge, the agent's subject
 * link and the audit trail.
 */
const platform = inject('localPlatform');
const { url, table } = platform.regions.eea;
const client = emulatorDocumentClient(platform);
const call = keyCaller(url);

let accountId = '';
let admin: TestAgent;
let restricted: TestAgent;
let other: TestAgent;
let ticket = 0;
let outOfScope = 0;
let company = 0;

beforeAll(async () => {
  const account = await createTestAccount(client, table, 'eea', [
    { id: 801, role: 'admin' },
    { id: 802, role: 'agent' },
    { id: 803, role: 'agent' },
  ]);
  accountId = account.id;
  [admin, restricted, other] = account.agents as [TestAgent, TestAgent, TestAgent];
  const group = (await call(admin.key, 'POST', '/api/v2/groups', { name: 'Time A' })).body.id;
  await call(admin.key, 'PUT', `/api/v2/agents/${restricted.id}`, { ticket_scope: 3, group_ids: [group] });
  company = (await call(admin.key, 'POST', '/api/v2/companies', { name: 'Time Co' })).body.id;
  const contact = (
    await call(admin.key, 'POST', '/api/v2/contacts', {
      name: 'Timed',
      email: 'timed@example.test',
      company_id: company,
    })
  ).body.id;
  const newTicket = async (fields: Record<string, unknown>) =>
    (await call(admin.key, 'POST', '/api/v2/tickets', { subject: 'T', description: 'D', ...fields })).body
      .id as number;
  ticket = await newTicket({ requester_id: contact, company_id: company, responder_id: restricted.id });
  outOfScope = await newTicket({ requester_id: contact, group_id: group });
});
afterAll(() => client.destroy());

describe('time entries: validation', () => {
  it.each([
    [{ time_spent: '1:60' }, 'time_spent'],
    [{ time_spent: '01:00', timer_running: true }, 'time_spent'],
    [{ time_spent: '01:00', start_time: '2026-01-01T00:00:00Z' }, 'start_time'],
    [{ timer_running: true, start_time: '2999-01-01T00:00:00Z' }, 'start_time'],
    [{ billable: 'yes' }, 'billable'],
    [{ agent_id: 999_999 }, 'agent_id'],
    [{ time_spent: '00:10', colour: 'red' }, 'colour'],
  ])('refuses %j naming %s', async (body, field) => {
    const answer = await call(admin.key, 'POST', `/api/v2/tickets/${ticket}/time_entries`, body);

    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
  });

  it('refuses unknown or malformed list filters', async () => {
    const unknown = await call(admin.key, 'GET', '/api/v2/time_entries?colour=red');
    const billable = await call(admin.key, 'GET', '/api/v2/time_entries?billable=maybe');

    expect(unknown.status).toBe(400);
    expect(billable.status).toBe(400);
    expect(billable.body.errors[0]).toMatchObject({ field: 'billable' });
  });

  it('answers 404 for a ticket or an entry that does not exist', async () => {
    const onTicket = await call(admin.key, 'POST', '/api/v2/tickets/987654321/time_entries', {});
    const listed = await call(admin.key, 'GET', '/api/v2/tickets/987654321/time_entries');
    const toggled = await call(admin.key, 'PUT', '/api/v2/time_entries/987654321/toggle_timer');
    const deleted = await call(admin.key, 'DELETE', '/api/v2/time_entries/987654321');

    expect([onTicket.status, listed.status, toggled.status, deleted.status]).toEqual([404, 404, 404, 404]);
  });
});

describe('time entries: fields and the timer', () => {
  it("takes v2's defaults and the ticket's company; a duration given stops the timer", async () => {
    const running = await call(admin.key, 'POST', `/api/v2/tickets/${ticket}/time_entries`, {});
    const done = await call(admin.key, 'POST', `/api/v2/tickets/${ticket}/time_entries`, {
      time_spent: '01:30',
      billable: false,
      note: 'Phone call',
      agent_id: other.id,
      executed_at: '2026-11-30T10:00:00Z',
    });

    expect(running.status).toBe(201);
    expect(running.body).toMatchObject({
      ticket_id: ticket,
      agent_id: admin.id,
      company_id: company,
      billable: true,
      note: '',
      timer_running: true,
      time_spent: '00:00',
    });
    expect(running.body.start_time).toBe(running.body.created_at);
    expect(done.body).toMatchObject({
      agent_id: other.id,
      billable: false,
      timer_running: false,
      time_spent: '01:30',
      time_spent_in_seconds: 5_400,
      executed_at: '2026-11-30T10:00:00Z',
    });
  });

  it('starts and stops the timer by toggle and by update, keeping the time spent', async () => {
    const created = await call(admin.key, 'POST', `/api/v2/tickets/${ticket}/time_entries`, {
      time_spent: '00:20',
    });
    const id = created.body.id as number;

    const started = await call(admin.key, 'PUT', `/api/v2/time_entries/${id}/toggle_timer`);
    const refused = await call(admin.key, 'PUT', `/api/v2/time_entries/${id}`, { time_spent: '02:00' });
    const stopped = await call(admin.key, 'PUT', `/api/v2/time_entries/${id}`, { timer_running: false });
    const set = await call(admin.key, 'PUT', `/api/v2/time_entries/${id}`, { time_spent: '02:00' });
    const restarted = await call(admin.key, 'PUT', `/api/v2/time_entries/${id}`, { timer_running: true });

    expect(started.body).toMatchObject({ timer_running: true, time_spent: '00:20' });
    expect(Date.parse(started.body.start_time)).toBeGreaterThanOrEqual(Date.parse(created.body.start_time));
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0]).toMatchObject({ field: 'time_spent' });
    // Stopping adds the seconds since the start: a moment here, so the minutes shown stay.
    expect(stopped.body).toMatchObject({ timer_running: false, time_spent: '00:20' });
    expect(stopped.body.time_spent_in_seconds).toBeGreaterThanOrEqual(1_200);
    expect(set.body).toMatchObject({ timer_running: false, time_spent: '02:00' });
    expect(restarted.body).toMatchObject({ timer_running: true, time_spent: '02:00' });
  });

  it("keeps one timer running per agent: starting one stops the agent's other, not another agent's", async () => {
    const entry = (body: Record<string, unknown>) =>
      call(admin.key, 'POST', `/api/v2/tickets/${ticket}/time_entries`, { agent_id: other.id, ...body });
    const first = (await entry({})).body.id as number;
    const othersTimer = (await call(admin.key, 'POST', `/api/v2/tickets/${ticket}/time_entries`, {})).body
      .id as number;

    const second = (await entry({ timer_running: true })).body.id as number;
    const afterCreate = await call(admin.key, 'GET', `/api/v2/tickets/${ticket}/time_entries?per_page=100`);
    await call(admin.key, 'PUT', `/api/v2/time_entries/${first}/toggle_timer`);
    const afterToggle = await call(admin.key, 'GET', `/api/v2/tickets/${ticket}/time_entries?per_page=100`);

    const runningOf = (body: Array<{ id: number; timer_running: boolean }>, id: number) =>
      body.find((listed) => listed.id === id)?.timer_running;
    expect([first, second, othersTimer].map((id) => runningOf(afterCreate.body, id))).toEqual([
      false,
      true,
      true,
    ]);
    expect([first, second, othersTimer].map((id) => runningOf(afterToggle.body, id))).toEqual([
      true,
      false,
      true,
    ]);
  });

  it('lists by ticket and filters the account-wide list as v2 does', async () => {
    const created = await call(admin.key, 'POST', `/api/v2/tickets/${ticket}/time_entries`, {
      time_spent: '00:05',
      billable: false,
      agent_id: other.id,
      executed_at: '2026-10-01T08:00:00Z',
    });
    const id = created.body.id as number;
    const ids = (body: Array<{ id: number }>) => body.map((entry) => entry.id);

    const onTicket = await call(admin.key, 'GET', `/api/v2/tickets/${ticket}/time_entries`);
    const filtered = await call(
      admin.key,
      'GET',
      `/api/v2/time_entries?agent_id=${other.id}&billable=false&company_id=${company}` +
        '&executed_after=2026-09-30T00:00:00Z&executed_before=2026-10-02T00:00:00Z',
    );
    const before = await call(admin.key, 'GET', '/api/v2/time_entries?executed_before=2026-09-30T00:00:00Z');

    expect(ids(onTicket.body)).toContain(id);
    expect(ids(filtered.body)).toEqual([id]);
    expect(ids(before.body)).not.toContain(id);
  });

  it('takes empty id filters as none, as v2 clients send them', async () => {
    const answer = await call(admin.key, 'GET', '/api/v2/time_entries?company_id=&agent_id=&billable=false');

    expect(answer.status).toBe(200);
    expect(answer.body.every((entry: { billable: boolean }) => !entry.billable)).toBe(true);
  });
});

describe('time entries: ticket scope', () => {
  it("answers an entry as its ticket: 404 out of the agent's scope, hidden from their list", async () => {
    const hidden = await call(admin.key, 'POST', `/api/v2/tickets/${outOfScope}/time_entries`, {
      time_spent: '00:07',
    });
    const own = await call(restricted.key, 'POST', `/api/v2/tickets/${ticket}/time_entries`, {
      time_spent: '00:08',
    });

    const listed = await call(restricted.key, 'GET', '/api/v2/time_entries');
    const onTicket = await call(restricted.key, 'GET', `/api/v2/tickets/${outOfScope}/time_entries`);
    const created = await call(restricted.key, 'POST', `/api/v2/tickets/${outOfScope}/time_entries`, {});
    const updated = await call(restricted.key, 'PUT', `/api/v2/time_entries/${hidden.body.id}`, {
      note: 'x',
    });
    const toggled = await call(restricted.key, 'PUT', `/api/v2/time_entries/${hidden.body.id}/toggle_timer`);
    const deleted = await call(restricted.key, 'DELETE', `/api/v2/time_entries/${hidden.body.id}`);

    expect(own.status).toBe(201);
    const listedIds = listed.body.map((entry: { id: number }) => entry.id);
    expect(listedIds).toContain(own.body.id);
    expect(listedIds).not.toContain(hidden.body.id);
    expect([onTicket.status, created.status, updated.status, toggled.status, deleted.status]).toEqual([
      404, 404, 404, 404, 404,
    ]);
  });
});

describe('time entries: deletion, purge, privacy and audit', () => {
  it('soft-deletes into the purge, links the agent and audits every change', async () => {
    const created = await call(admin.key, 'POST', `/api/v2/tickets/${ticket}/time_entries`, {
      time_spent: '00:15',
      agent_id: other.id,
    });
    const id = created.body.id as number;
    await call(admin.key, 'PUT', `/api/v2/time_entries/${id}`, { note: 'Changed' });

    const links = await linkedRecords(client, table, accountId, { kind: 'agent', id: other.id });
    const deleted = await call(admin.key, 'DELETE', `/api/v2/time_entries/${id}`);
    const again = await call(admin.key, 'PUT', `/api/v2/time_entries/${id}/toggle_timer`);
    const { Item } = await client.send(
      new GetCommand({ TableName: table, Key: { pk: `A#${accountId}#time_entry#${id}`, sk: 'RECORD' } }),
    );
    const audit = await call(admin.key, 'GET', `/api/v2/audit_log?record_type=time_entry&record_id=${id}`);

    expect(links).toContain(`time_entry#${id}`);
    expect(deleted.status).toBe(204);
    expect(again.status).toBe(404);
    expect(Item?.deleted_at).toBeDefined();
    expect(Item?.gsi4pk).toBe('DEADLINE#record-purge');
    expect(audit.status).toBe(200);
    expect(audit.body.map((entry: { operation: string }) => entry.operation).sort()).toEqual([
      'create',
      'delete',
      'update',
    ]);
    expect(JSON.stringify(audit.body)).not.toContain('Changed');
  });

  it("hides a deleted ticket's entries, and its purge takes them along", async () => {
    const doomed = (
      await call(admin.key, 'POST', '/api/v2/tickets', {
        subject: 'Doomed',
        description: 'D',
        email: 'doomed@example.test',
      })
    ).body.id as number;
    const entry = (
      await call(admin.key, 'POST', `/api/v2/tickets/${doomed}/time_entries`, { time_spent: '00:01' })
    ).body.id as number;

    await call(admin.key, 'DELETE', `/api/v2/tickets/${doomed}`);
    const listed = await call(admin.key, 'GET', `/api/v2/tickets/${doomed}/time_entries`);
    const all = await call(admin.key, 'GET', '/api/v2/time_entries?per_page=100');
    const updated = await call(admin.key, 'PUT', `/api/v2/time_entries/${entry}`, { note: 'x' });

    expect(listed.status).toBe(404);
    expect(all.body.map((e: { id: number }) => e.id)).not.toContain(entry);
    expect(updated.status).toBe(404);
    expect(descendantKeysOf({ type: 'ticket', id: doomed })).toContain(`ticket#${doomed}#time_entry`);
  });
});
