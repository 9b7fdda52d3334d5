import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Role } from '../../lambdas/domain/account.ts';
import { DynamoTicketJobs } from '../../lambdas/adapters/dynamo-ticket-jobs.ts';
import { maxBulkTicketIds } from '../../lambdas/domain/ticket-jobs/ticket-job.ts';
import { ticketsPerStep } from '../../lambdas/domain/ticket-jobs/ticket-job-run.ts';
import { ticketJobStates } from '../../lib/constructs/ticket-job-workflow.ts';
import { ticketJobStateMachineName } from '../../lib/platform/names.ts';
import { createTestAccount, keyCaller, ticketCreator, type TestAgent } from './account-fixture.ts';
import { emulatorDocumentClient } from './emulator-clients.ts';
import { injectedError, runWithFaults, workflowUnderTest } from './workflow-faults.ts';

/**
 * v2's bulk ticket work on the local platform: 202 with a job id, the job's execution on the local
 * Step Functions interpreter, progress to completed, per-ticket failures that reveal nothing of
 * tickets outside the agent's scope, each change audited as the agent's, and a retried step that
 * changes nothing twice.
 */
const platform = inject('localPlatform');
const region = 'us' as const;
const { url, table } = platform.regions[region];
const client = emulatorDocumentClient(platform);
const call = keyCaller(url);
const workflow = workflowUnderTest(region, ticketJobStateMachineName(region));
afterAll(() => client.destroy());

const agents: ReadonlyArray<{ id: number; role: Role }> = [
  { id: 801, role: 'admin' },
  { id: 802, role: 'agent' },
  { id: 803, role: 'agent' },
];
let accountId: string;
let admin: TestAgent;
let scoped: TestAgent;
let other: TestAgent;
let groupA: number;
let groupB: number;
const newTicket = ticketCreator(call, () => admin.key, 'bulk-requester@example.test');

beforeAll(async () => {
  const account = await createTestAccount(client, table, region, agents);
  accountId = account.id;
  [admin, scoped, other] = account.agents as [TestAgent, TestAgent, TestAgent];
  groupA = (await call(admin.key, 'POST', '/api/v2/groups', { name: 'Bulk A' })).body.id;
  groupB = (await call(admin.key, 'POST', '/api/v2/groups', { name: 'Bulk B' })).body.id;
  const scope = await call(admin.key, 'PUT', `/api/v2/agents/${scoped.id}`, {
    ticket_scope: 2,
    group_ids: [groupA],
  });
  expect(scope.status).toBe(200);
}, 60_000);

/** The job once it ended (or as it stands after 30 s). */
async function finishedJob(key: string, jobId: string) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const job = await call(key, 'GET', `/api/v2/jobs/${jobId}`);
    if (job.status !== 200 || job.body.status !== 'in_progress' || Date.now() > deadline) return job;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const auditOf = async (ticketId: number) =>
  (await call(admin.key, 'GET', `/api/v2/audit_log?record_type=ticket&record_id=${ticketId}`)).body as Array<{
    summary: string;
  }>;

describe('bulk update', () => {
  it('answers 202 with a job that completes, changing in-scope tickets as the agent and refusing the rest alike', async () => {
    // Prepare: two tickets in the agent's group, one outside it, one that does not exist.
    const inScope = [await newTicket({ group_id: groupA }), await newTicket({ group_id: groupA })];
    const outside = await newTicket({ group_id: groupB });
    const missing = outside + 1_000_000;

    // Act
    const accepted = await call(scoped.key, 'POST', '/api/v2/tickets/bulk_update', {
      bulk_action: { ids: [...inScope, outside, missing], properties: { priority: 4, status: 3 } },
    });
    const job = await finishedJob(scoped.key, accepted.body.job_id);

    // Assess
    expect(accepted.status).toBe(202);
    expect(accepted.body.job_id).toMatch(/^[0-9a-f]{32}$/);
    expect(job.body).toMatchObject({
      id: accepted.body.job_id,
      status: 'completed',
      progress: 100,
      total: 4,
    });
    const byId = new Map(job.body.data.map((entry: { id: number }) => [entry.id, entry]));
    for (const id of inScope) expect(byId.get(id)).toEqual({ id, success: true });
    // Out of scope and missing read exactly alike: nothing says the first exists.
    const refusal = (id: number) => ({ ...(byId.get(id) as object), id: 0 });
    expect(refusal(outside)).toEqual(refusal(missing));
    expect(byId.get(outside)).toMatchObject({ success: false, errors: [{ field: 'id', code: 'not_found' }] });
    for (const id of inScope) {
      const ticket = await call(admin.key, 'GET', `/api/v2/tickets/${id}`);
      expect(ticket.body).toMatchObject({ priority: 4, status: 3 });
      expect((await auditOf(id))[0]?.summary).toBe(
        `agent ${scoped.id} updated ticket ${id}: priority, stats, status`,
      );
    }
    expect((await call(admin.key, 'GET', `/api/v2/tickets/${outside}`)).body.priority).toBe(1);
    expect(await auditOf(outside)).toHaveLength(1);
  });

  it('refuses bad properties and too many ids with 400 before any job starts', async () => {
    // Prepare
    const ticket = await newTicket({});
    const tooMany = Array.from({ length: maxBulkTicketIds + 1 }, (_, i) => i + 1);

    // Act
    const badStatus = await call(admin.key, 'POST', '/api/v2/tickets/bulk_update', {
      bulk_action: { ids: [ticket], properties: { status: 9 } },
    });
    const unknownField = await call(admin.key, 'POST', '/api/v2/tickets/bulk_update', {
      bulk_action: { ids: [ticket], properties: { custom_fields: { cf_nothing: 'x' } } },
    });
    const withReply = await call(admin.key, 'POST', '/api/v2/tickets/bulk_update', {
      bulk_action: { ids: [ticket], properties: { priority: 2 }, reply: { body: 'Hello' } },
    });
    const overLimit = await call(admin.key, 'POST', '/api/v2/tickets/bulk_delete', {
      bulk_action: { ids: tooMany },
    });

    // Assess
    expect(badStatus.status).toBe(400);
    expect(badStatus.body.errors[0]).toMatchObject({ field: 'bulk_action.properties.status' });
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.errors[0]).toMatchObject({ field: 'custom_fields.cf_nothing' });
    expect(withReply.status).toBe(400);
    expect(JSON.stringify(withReply.body.errors)).toContain('reply');
    expect(overLimit.status).toBe(400);
    expect(overLimit.body.errors[0]).toMatchObject({
      field: 'bulk_action.ids',
      message: `It should contain at most ${maxBulkTicketIds} ticket ids`,
    });
    expect((await call(admin.key, 'GET', `/api/v2/tickets/${ticket}`)).body.status).toBe(2);
  });
});

describe('bulk delete', () => {
  it('deletes each ticket as DELETE does, audited as the agent, over several steps', async () => {
    // Prepare: more tickets than one step takes.
    const ids: number[] = [];
    for (let i = 0; i < ticketsPerStep + 2; i++) ids.push(await newTicket({}));

    // Act
    const accepted = await call(admin.key, 'POST', '/api/v2/tickets/bulk_delete', { bulk_action: { ids } });
    const job = await finishedJob(admin.key, accepted.body.job_id);

    // Assess
    expect(accepted.status).toBe(202);
    expect(job.body).toMatchObject({ status: 'completed', progress: 100 });
    expect(job.body.data).toHaveLength(ids.length);
    for (const id of [ids[0], ids.at(-1)] as number[]) {
      expect((await call(admin.key, 'GET', `/api/v2/tickets/${id}`)).body.deleted).toBe(true);
      expect((await auditOf(id))[0]?.summary).toBe(`agent ${admin.id} deleted ticket ${id}`);
    }
  });
});

describe('GET /api/v2/jobs/{id}', () => {
  it('shows a job to the agent who asked and to admins; to other agents and accounts it is not found', async () => {
    // Prepare
    const ticket = await newTicket({ group_id: groupA });
    const accepted = await call(scoped.key, 'POST', '/api/v2/tickets/bulk_update', {
      bulk_action: { ids: [ticket], properties: { priority: 2 } },
    });
    const jobId = accepted.body.job_id as string;
    const stranger = await createTestAccount(client, table, region, [{ id: 801, role: 'admin' }]);
    const strangerKey = (stranger.agents[0] as TestAgent).key;

    // Act
    const asker = await finishedJob(scoped.key, jobId);
    const byAdmin = await call(admin.key, 'GET', `/api/v2/jobs/${jobId}`);
    const byOther = await call(other.key, 'GET', `/api/v2/jobs/${jobId}`);
    const byStranger = await call(strangerKey, 'GET', `/api/v2/jobs/${jobId}`);
    const malformed = await call(admin.key, 'GET', '/api/v2/jobs/not-a-job');

    // Assess
    expect(asker.status).toBe(200);
    expect(byAdmin.status).toBe(200);
    expect(byOther.status).toBe(404);
    expect(byStranger.status).toBe(404);
    expect(malformed.status).toBe(404);
  });
});

describe('the ticket job workflow', () => {
  it('a step retried after it did its work changes nothing twice and counts each ticket once', async () => {
    // Prepare: a job stored as the API stores it; ticket `done` already has the change (a crash after
    // the change, before its outcome was recorded).
    const ids = [await newTicket({}), await newTicket({}), await newTicket({})];
    const done = ids[0] as number;
    expect((await call(admin.key, 'PUT', `/api/v2/tickets/${done}`, { priority: 3 })).status).toBe(200);
    const jobId = 'b'.repeat(16) + accountId.replaceAll('-', '').slice(0, 16);
    const at = new Date().toISOString();
    await new DynamoTicketJobs(client, table).create({
      accountId,
      jobId,
      agentId: admin.id,
      action: 'update',
      ticketIds: ids,
      properties: { priority: 3 },
      status: 'in_progress',
      results: {},
      createdAt: at,
      updatedAt: at,
    });
    let failures = 0;

    // Act: the first step's work is done, then its invocation fails (a timeout): Step Functions retries it.
    const execution = await runWithFaults(
      workflow(),
      { accountId, jobId },
      (state, handler) => async (input) => {
        const output = await handler(input);
        if (state === ticketJobStates.step && failures++ === 0) throw injectedError('Lambda.Unknown');
        return output;
      },
    );
    const job = await call(admin.key, 'GET', `/api/v2/jobs/${jobId}`);

    // Assess
    expect(execution.status).toBe('SUCCEEDED');
    expect(failures).toBeGreaterThan(1);
    expect(job.body).toMatchObject({ status: 'completed', progress: 100, total: 3 });
    expect(job.body.data).toEqual(ids.map((id) => ({ id, success: true })));
    for (const id of ids) {
      const updates = (await auditOf(id)).filter((entry) => entry.summary.includes('updated'));
      expect(updates).toHaveLength(1);
      expect((await call(admin.key, 'GET', `/api/v2/tickets/${id}`)).body.priority).toBe(3);
    }
    expect(JSON.stringify(execution.output)).not.toContain('priority');
  });

  it('marks the job failed with the error name when a step fails past its retries', async () => {
    // Prepare
    const ticket = await newTicket({});
    const jobId = 'c'.repeat(16) + accountId.replaceAll('-', '').slice(0, 16);
    const at = new Date().toISOString();
    await new DynamoTicketJobs(client, table).create({
      accountId,
      jobId,
      agentId: admin.id,
      action: 'delete',
      ticketIds: [ticket],
      status: 'in_progress',
      results: {},
      createdAt: at,
      updatedAt: at,
    });

    // Act
    const execution = await runWithFaults(workflow(), { accountId, jobId }, (state, handler) =>
      state === ticketJobStates.step
        ? async () => {
            throw injectedError('ProvisionedThroughputExceededException');
          }
        : handler,
    );
    const job = await call(admin.key, 'GET', `/api/v2/jobs/${jobId}`);

    // Assess
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('ProvisionedThroughputExceededException');
    expect(job.body).toMatchObject({ status: 'failed', progress: 0, data: [] });
  });
});
