import { randomUUID } from 'node:crypto';
import { DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { DynamoRecordStore } from '../../lambdas/adapters/dynamo-record-store.ts';
import { SfnWorkflowStarter } from '../../lambdas/adapters/sfn-workflow-starter.ts';
import type { RecordRef } from '../../lambdas/domain/records/record.ts';
import type { LegalHoldCheck } from '../../lambdas/domain/retention/legal-hold-check.ts';
import { retentionHoldCheck } from '../../lambdas/domain/holds/hold-checks.ts';
import { StoredHolds } from '../../lambdas/domain/holds/stored-holds.ts';
import { RetentionPolicyService } from '../../lambdas/domain/retention/retention-policy-service.ts';
import { RetentionRun, type RetentionRunState } from '../../lambdas/domain/retention/retention-run.ts';
import { RetentionTrash } from '../../lambdas/domain/retention/retention-trash.ts';
import { executionArn, retentionStateMachineName, stateMachineArn } from '../../lib/platform/names.ts';
import { localAwsAccountId, localCredentials } from '../../local/local-credentials.ts';
import { startDailyRetention } from '../../lambdas/workflows/retention/retention-schedule.ts';
import { addCalendarMonths } from '../../lambdas/domain/privacy/due-date.ts';
import { requestsOfSubject } from '../../lambdas/domain/privacy/subject-requests.ts';
import { createTestAccount } from './account-fixture.ts';
import { emulatorDocumentClient } from './emulator-clients.ts';
import { apiCaller, completed, privacyRequestOnceDone } from './test-accounts.ts';

const platform = inject('localPlatform');
const region = 'us' as const;
const { url, table, awsRegion } = platform.regions[region];
const client = emulatorDocumentClient(platform);
const store = new DynamoRecordStore(client, table);
const sfn = new SFNClient({
  endpoint: platform.workflows[region]?.url,
  region: awsRegion,
  credentials: localCredentials,
});
const machineArn = stateMachineArn('aws', awsRegion, localAwsAccountId, retentionStateMachineName(region));
afterAll(() => {
  client.destroy();
  sfn.destroy();
});

const daysLater = (days: number) => new Date(Date.now() + days * 86_400_000);
const policies = '/api/v2/retention_policies';

async function account() {
  const made = await createTestAccount(client, table, region, [
    { id: 900, role: 'admin' },
    { id: 901, role: 'agent' },
  ]);
  const [adminKey = '', agentKey = ''] = made.agents.map(({ key }) => key);
  const call = apiCaller(url);
  const admin = (method: string, path: string, body?: unknown) => call(method, path, adminKey, body);
  const ticket = async (status: number) => {
    const created = await admin('POST', '/api/v2/tickets', {
      subject: 'Old matter',
      description: 'x',
      email: `r-${randomUUID()}@example.test`,
      status,
    });
    return created.body.id as number;
  };
  return {
    id: made.id,
    adminKey,
    admin,
    agent: (method: string, path: string, body?: unknown) => call(method, path, agentKey, body),
    ticket,
  };
}

/** Holds exactly the records named. */
const holding = (...refs: RecordRef[]): LegalHoldCheck => ({
  isHeld: async (_account, ref) => refs.some((held) => held.type === ref.type && held.id === ref.id),
});

/** Runs the region's workflow execution to its end; answers its output. */
async function runWorkflow(name: string, at: Date): Promise<{ status?: string; output: unknown }> {
  await new SfnWorkflowStarter(sfn, machineArn).start(name, { at: at.toISOString() });
  const deadline = Date.now() + 25_000;
  for (;;) {
    const described = await sfn.send(
      new DescribeExecutionCommand({ executionArn: executionArn(machineArn, name) }),
    );
    if (described.status !== 'RUNNING' || Date.now() > deadline) {
      return { status: described.status, output: JSON.parse(described.output ?? 'null') };
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Runs steps as the workflow does: a failed step is retried with the same input, at most 5 times in all. */
async function runSteps(run: RetentionRun, start: RetentionRunState) {
  const failures: string[] = [];
  let state = start;
  while (!state.done) {
    if (failures.length > 5) throw new Error(`Failed past its retries: ${failures.join(', ')}`);
    state = await run.step(state).catch((error: unknown) => {
      failures.push((error as Error).name);
      return state;
    });
  }
  return { state, failures };
}

describe('retention policies on the local platform', () => {
  it('takes rules from admins only, and refuses a bad rule naming the field', async () => {
    // Prepare
    const acct = await account();

    // Act
    const created = await acct.admin('POST', policies, { name: 'Old calls', rule: 'calls', days: 90 });
    const wrongUnit = await acct.admin('POST', policies, { name: 'x', rule: 'calls', months: 3 });
    const contactsInDays = await acct.admin('POST', policies, {
      name: 'x',
      rule: 'inactive_contacts',
      days: 90,
    });
    const contactsTooLong = await acct.admin('POST', policies, {
      name: 'x',
      rule: 'inactive_contacts',
      months: 121,
    });
    const tooLong = await acct.admin('POST', policies, { name: 'x', rule: 'closed_tickets', months: 121 });
    const byAgent = await acct.agent('POST', policies, { name: 'x', rule: 'chats', days: 5 });
    const updated = await acct.admin('PUT', `${policies}/${created.body.id}`, { enabled: false });
    const listed = await acct.admin('GET', policies);
    const preview = await acct.admin('POST', `${policies}/${created.body.id}/preview`);
    const removed = await acct.admin('DELETE', `${policies}/${created.body.id}`);
    const gone = await acct.admin('GET', `${policies}/${created.body.id}`);

    // Assess
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ rule: 'calls', days: 90, months: null, enabled: true });
    expect(wrongUnit.status).toBe(400);
    expect(wrongUnit.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['days', 'months']);
    expect(contactsInDays.status).toBe(400);
    expect(contactsInDays.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'days',
      'months',
    ]);
    expect(contactsTooLong.status).toBe(400);
    expect(contactsTooLong.body.errors.map((e: { field: string }) => e.field)).toEqual(['months']);
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.errors.map((e: { field: string }) => e.field)).toEqual(['months']);
    expect(byAgent.status).toBe(403);
    expect(updated.body.enabled).toBe(false);
    expect(listed.body.map((p: { id: number }) => p.id)).toEqual([created.body.id]);
    expect(preview.body).toEqual({ would_trash: { call: 0 }, held: 0, complete: true });
    expect([removed.status, gone.status]).toEqual([204, 404]);
  });

  it('previews and runs a rule: matching records go to the trash audited with the rule, held ones stay, restore works', async () => {
    // Prepare: closed tickets (one held) and an open one; the rule judged 40 days from now.
    const acct = await account();
    const [closed, held, open] = [await acct.ticket(5), await acct.ticket(5), await acct.ticket(2)];
    const rule = await acct.admin('POST', policies, { name: 'Closed', rule: 'closed_tickets', months: 1 });
    const at = daysLater(40);
    // A real legal hold, placed through the API, read as the deployed retention run reads it.
    const placed = await acct.admin('POST', '/api/v2/legal_holds', {
      target_type: 'ticket',
      target_id: held,
      reason: 'Litigation',
    });
    expect(placed.status).toBe(201);
    const holds = retentionHoldCheck(new StoredHolds(store), store, () => at);
    const service = new RetentionPolicyService({ store, now: () => at, holds });
    const only = { position: 'p', accountId: acct.id, policyId: rule.body.id as number };
    const run = new RetentionRun({
      store,
      rules: { next: async (after) => (after ? undefined : only) },
      trash: new RetentionTrash({ store, now: () => at, newId: () => Date.now() }),
      holds,
    });

    // Act
    const preview = await service.preview({ accountId: acct.id, agentId: 900, role: 'admin' }, rule.body.id);
    let state: RetentionRunState = { at: at.toISOString(), counts: {}, done: false };
    while (!state.done) state = await run.step(state);
    const after = await Promise.all(
      [closed, held, open].map((id) => acct.admin('GET', `/api/v2/tickets/${id}`)),
    );
    const trail = await store.auditTrail(acct.id, { type: 'ticket', id: closed }, 1);
    const restored = await acct.admin('PUT', `/api/v2/tickets/${closed}/restore`);
    const back = await acct.admin('GET', `/api/v2/tickets/${closed}`);

    // Assess
    expect(preview).toEqual({ would_trash: { ticket: 1 }, held: 1, complete: true });
    expect(state.counts).toEqual({ ticket: 1, held: 1 });
    expect(after.map((r) => Boolean(r.body.deleted))).toEqual([true, false, false]);
    expect(trail[0]).toMatchObject({
      operation: 'delete',
      actor: { type: 'system', id: `retention-rule-${rule.body.id}` },
    });
    expect(restored.status).toBe(204);
    expect(back.body.deleted).toBe(false);
  });

  it('resumes a step that failed midway (as its Retry does): what was trashed stays trashed, the rest follows', async () => {
    // Prepare: three closed tickets; the trash fails once, on the second.
    const acct = await account();
    const tickets = [await acct.ticket(5), await acct.ticket(5), await acct.ticket(5)];
    const rule = await acct.admin('POST', policies, { name: 'Closed', rule: 'closed_tickets', months: 1 });
    const at = daysLater(40);
    const real = new RetentionTrash({ store, now: () => at, newId: () => Date.now() });
    let calls = 0;
    const flaky = {
      finish: real.finish.bind(real),
      trash: async (...args: Parameters<RetentionTrash['trash']>) => {
        calls += 1;
        if (calls === 2)
          throw Object.assign(new Error('cut off'), { name: 'ProvisionedThroughputExceededException' });
        return real.trash(...args);
      },
    } as RetentionTrash;
    const only = { position: 'p', accountId: acct.id, policyId: rule.body.id as number };
    const run = new RetentionRun({
      store,
      rules: { next: async (after) => (after ? undefined : only) },
      trash: flaky,
      holds: holding(),
    });
    const start: RetentionRunState = { at: at.toISOString(), counts: {}, done: false };

    // Act: steps as the workflow runs them; a failed step is retried with the same input.
    const { state, failures } = await runSteps(run, start);
    const views = await Promise.all(tickets.map((id) => acct.admin('GET', `/api/v2/tickets/${id}`)));

    // Assess: the ticket the failed attempt trashed counts once, as trashed by the retry.
    expect(failures).toEqual(['ProvisionedThroughputExceededException']);
    expect(views.map((v) => Boolean(v.body.deleted))).toEqual([true, true, true]);
    expect(state.counts).toEqual({ ticket: 3 });
  });

  it('finishes a chat whose deletion a failed attempt cut off: the retry trashes its messages left live, counted once', async () => {
    // Prepare: a chat with 25 messages (two transactions of the trash); the second one fails once.
    const acct = await account();
    const contact = await acct.admin('POST', '/api/v2/contacts', {
      name: 'Chatter',
      email: `ch-${randomUUID()}@example.test`,
    });
    const chat = await acct.admin('POST', '/api/v2/chats', {
      contact_id: contact.body.id,
      started_at: new Date().toISOString(),
    });
    const messageIds: number[] = [];
    for (let n = 0; n < 25; n += 1) {
      const message = await acct.admin('POST', `/api/v2/chats/${chat.body.id}/messages`, {
        body: `Line ${n}`,
        actor_type: 'contact',
      });
      messageIds.push(message.body.id as number);
    }
    const rule = await acct.admin('POST', policies, { name: 'Chats', rule: 'chats', days: 1 });
    const at = daysLater(3);
    let commits = 0;
    const flakyStore = Object.create(store) as DynamoRecordStore;
    flakyStore.commit = async (changes) => {
      commits += 1;
      if (commits === 2) throw Object.assign(new Error('cut off'), { name: 'TransactionCanceledException' });
      return store.commit(changes);
    };
    const only = { position: 'p', accountId: acct.id, policyId: rule.body.id as number };
    const run = new RetentionRun({
      store,
      rules: { next: async (after) => (after ? undefined : only) },
      trash: new RetentionTrash({ store: flakyStore, now: () => at, newId: () => Date.now() }),
      holds: holding(),
    });

    // Act: steps as the workflow runs them; a failed step is retried with the same input.
    const { state, failures } = await runSteps(run, { at: at.toISOString(), counts: {}, done: false });
    const messages = await store.getMany(
      acct.id,
      messageIds.map((id) => ({ type: 'chat_message' as const, id })),
    );

    // Assess
    expect(failures).toEqual(['TransactionCanceledException']);
    expect(state.counts).toEqual({ chat: 1 });
    expect(messages).toHaveLength(25);
    expect(messages.filter((message) => !message.deletedAt).map((message) => message.ref.id)).toEqual([]);
  });

  it("runs the region's daily workflow once a day: enabled rules trash what they match, disabled ones nothing", async () => {
    // Prepare
    const acct = await account();
    const [closed, alsoClosed] = [await acct.ticket(5), await acct.ticket(5)];
    await acct.admin('POST', policies, { name: 'On', rule: 'closed_tickets', months: 2 });
    const other = await account();
    const untouched = await other.ticket(5);
    const off = await other.admin('POST', policies, { name: 'Off', rule: 'closed_tickets', months: 2 });
    await other.admin('PUT', `${policies}/${off.body.id}`, { enabled: false });
    const at = daysLater(70);
    const name = `retention-test-${randomUUID()}`;

    // Act
    const first = await runWorkflow(name, at);
    const second = await startDailyRetention(new SfnWorkflowStarter(sfn, machineArn), region, at);
    const again = await startDailyRetention(new SfnWorkflowStarter(sfn, machineArn), region, at);
    const views = await Promise.all([
      acct.admin('GET', `/api/v2/tickets/${closed}`),
      acct.admin('GET', `/api/v2/tickets/${alsoClosed}`),
      other.admin('GET', `/api/v2/tickets/${untouched}`),
    ]);

    // Assess
    expect(first.status).toBe('SUCCEEDED');
    expect(first.output).toMatchObject({ done: true, counts: { ticket: expect.any(Number) } });
    expect(JSON.stringify(first.output)).not.toContain('@');
    expect(views.map((v) => Boolean(v.body.deleted))).toEqual([true, true, false]);
    expect(second.execution).toBe(`retention-us-${at.toISOString().slice(0, 10)}`);
    expect(again).toEqual(second);
  });
  it('soft-erases inactive contacts in the daily run: a request filed and verified by the rule, restorable; active, held and already requested contacts stay', async () => {
    // Prepare: four contacts; after `since` one raises a ticket, one is held, one has an erasure
    // request waiting for verification; the rule (1 month) judged a month after `since`.
    const acct = await account();
    const newContact = async () =>
      (
        await acct.admin('POST', '/api/v2/contacts', {
          name: 'Quiet Customer',
          email: `q-${randomUUID()}@example.test`,
        })
      ).body.id as number;
    const [inactive, active, held, requested] = [
      await newContact(),
      await newContact(),
      await newContact(),
      await newContact(),
    ];
    const waiting = await acct.admin('POST', '/api/v2/privacy/requests', {
      type: 'erasure',
      mode: 'soft',
      subject: { type: 'contact', id: requested },
      channel: 'email',
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const since = new Date();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const recent = await acct.admin('POST', '/api/v2/tickets', {
      subject: 'Recent matter',
      description: 'x',
      requester_id: active,
      status: 2,
    });
    const hold = await acct.admin('POST', '/api/v2/legal_holds', {
      target_type: 'contact',
      target_id: held,
      reason: 'Litigation',
    });
    const rule = await acct.admin('POST', policies, { name: 'Quiet', rule: 'inactive_contacts', months: 1 });
    const at = addCalendarMonths(since, 1);
    const holds = retentionHoldCheck(new StoredHolds(store), store, () => at);
    const service = new RetentionPolicyService({ store, now: () => at, holds });
    const admin = { accountId: acct.id, agentId: 900, role: 'admin' } as const;
    const requestsOf = (id: number) => requestsOfSubject(store, acct.id, { kind: 'contact', id });

    // Act
    const preview = await service.preview(admin, rule.body.id);
    const run = await runWorkflow(`retention-test-${randomUUID()}`, at);
    const [filed] = await requestsOf(inactive);
    const requestPath = `/api/v2/privacy/requests/${filed?.ref.id}`;
    const done = await privacyRequestOnceDone(url, acct.adminKey, requestPath, completed);
    const whileErased = await acct.admin('GET', `/api/v2/contacts/${inactive}`);
    const others = await Promise.all([active, held, requested].map(requestsOf));
    const stayed = await Promise.all([active, held].map((id) => acct.admin('GET', `/api/v2/contacts/${id}`)));
    const trail = filed ? await store.auditTrail(acct.id, filed.ref, 10) : [];
    const restored = await acct.admin('PUT', `/api/v2/contacts/${inactive}/restore`);
    const back = await privacyRequestOnceDone(
      url,
      acct.adminKey,
      requestPath,
      (r) => r.status === 'restored',
    );
    const afterRestore = await acct.admin('GET', `/api/v2/contacts/${inactive}`);
    const afterwards = await service.preview(admin, rule.body.id);
    await acct.admin('PUT', `${policies}/${rule.body.id}`, { enabled: false });

    // Assess
    expect([waiting.status, recent.status, hold.status, rule.status]).toEqual([201, 201, 201, 201]);
    expect(preview).toEqual({ would_trash: { contact: 1 }, held: 1, complete: true });
    expect(run.status).toBe('SUCCEEDED');
    expect(run.output).toMatchObject({ done: true, counts: { contact: 1 } });
    expect(JSON.stringify(run.output)).not.toContain('@');
    expect(done).toMatchObject({
      status: 'completed',
      mode: 'soft',
      verification_method: 'retention_rule',
      note: `Filed by retention policy ${rule.body.id}.`,
      trash: { state: 'held' },
    });
    expect(whileErased.status).toBe(404);
    expect(others.map((requests) => requests.length)).toEqual([0, 0, 1]);
    expect(stayed.map((answer) => answer.status)).toEqual([200, 200]);
    expect(trail.at(-1)).toMatchObject({
      operation: 'create',
      actor: { type: 'system', id: `retention-rule-${rule.body.id}` },
    });
    expect(JSON.stringify(trail)).not.toMatch(/@|Quiet Customer/);
    expect(restored.status).toBe(204);
    expect(back.status).toBe('restored');
    expect(afterRestore.status).toBe(200);
    // The restore (after the cutoff) counts as activity: the restored contact waits another month.
    expect(afterwards).toEqual({ would_trash: { contact: 0 }, held: 1, complete: true });
  });
});
