import { randomUUID } from 'node:crypto';
import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { DynamoRecordStore } from '../../lambdas/adapters/dynamo-record-store.ts';
import { migrationKeys } from '../../lambdas/domain/migrations/migration-files.ts';
import {
  deriveMigration,
  type MigrationFields,
  migrationRef,
} from '../../lambdas/domain/migrations/migration.ts';
import {
  type PrivacyRequestFields,
  privacyRequestRef,
} from '../../lambdas/domain/privacy/privacy-request.ts';
import { migrationWaitNotice } from '../../lambdas/domain/privacy/request-progress.ts';
import type { StoredRecord } from '../../lambdas/domain/records/record.ts';
import { erasureStates } from '../../lib/constructs/privacy-erasure-workflow.ts';
import { withheldCause } from '../../lib/constructs/workflow-parts.ts';
import { privacyErasureStateMachineName } from '../../lib/platform/names.ts';
import { linkedRecords } from './account-fixture.ts';
import { emulatorDocumentClient, emulatorS3Client } from './emulator-clients.ts';
import { apiCaller, completed, createTestAccount, privacyRequestOnceDone } from './test-accounts.ts';
import { injectedError, runWithFaults, type TaskHandler, workflowUnderTest } from './workflow-faults.ts';

const platform = inject('localPlatform');
const { url, table } = platform.regions.au;
const client = emulatorDocumentClient(platform);
const store = new DynamoRecordStore(client, table);
const workflow = workflowUnderTest('au', privacyErasureStateMachineName('au'));
/** Each test account's admin key, by account id. */
const adminKeys = new Map<string, string>();
afterAll(() => client.destroy());

/**
 * An erasure request of a contact with a ticket, a reply and a file, verified by writing its status
 * directly (unless `verify` is false), so the platform's own execution does not start.
 */
async function erasureRequest(mode: 'soft' | 'permanent', verify = true) {
  const account = await createTestAccount(client, table, 'au', ['admin']);
  adminKeys.set(account.id, account.keys.admin);
  const call = apiCaller(url);
  const contact = await call('POST', '/api/v2/contacts', account.keys.admin, {
    name: 'Faulty',
    email: `f-${randomUUID()}@example.test`,
  });
  const ticket = await call('POST', '/api/v2/tickets', account.keys.admin, {
    subject: 'Help',
    description: 'x',
    requester_id: contact.body.id,
  });
  await call('POST', `/api/v2/tickets/${ticket.body.id}/reply`, account.keys.admin, { body: 'Answer' });
  const file = await call('POST', `/api/v2/tickets/${ticket.body.id}/attachments`, account.keys.admin, {
    name: 'a.txt',
    content_type: 'text/plain',
    size: 4,
  });
  await fetch(file.body.upload_url, { method: 'PUT', headers: file.body.upload_headers, body: 'data' });
  const created = await call('POST', '/api/v2/privacy/requests', account.keys.admin, {
    type: 'erasure',
    mode,
    subject: { type: 'contact', id: contact.body.id },
    channel: 'email',
  });
  const input = {
    accountId: account.id,
    requestId: created.body.id as number,
    operation: 'erase',
    contactId: contact.body.id as number,
  };
  if (!verify) return input;
  const request = (await store.get(account.id, {
    type: 'privacy_request',
    id: created.body.id,
  })) as StoredRecord;
  await store.replace(
    request,
    { ...request, version: 2, fields: { ...request.fields, status: 'verified' } },
    {
      at: new Date().toISOString(),
      actor: { type: 'system', id: 'test' },
      operation: 'update',
      record: request.ref,
      changedFields: ['status'],
    },
  );
  return input;
}

const migrationsBucket = platform.regions.au.buckets.migrations as string;
const s3 = emulatorS3Client(platform);
afterAll(() => s3.destroy());

async function keysUnder(bucket: string, prefix: string): Promise<string[]> {
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
  return (listed.Contents ?? []).flatMap((object) => (object.Key ? [object.Key] : []));
}

/** A migration of the account in `status`, with an uploaded file (whose rows may be the subject's). */
async function migrationWithFiles(accountId: string, status: MigrationFields['status']) {
  const id = Math.floor(Math.random() * 1e12) + 1;
  const at = new Date().toISOString();
  const fields: MigrationFields = {
    source: 'zendesk',
    files: [{ entity: 'users', format: 'ndjson' }],
    status,
    created_by: 1,
    run: status === 'awaiting_upload' ? 0 : 1,
    execution_name: null,
    started_at: null,
    completed_at: null,
    counts: null,
    failure: status === 'failed' ? { reason: 'The import stopped: X.', entity: null, line: null, at } : null,
  };
  const record = deriveMigration({
    accountId,
    ref: migrationRef(id),
    version: 1,
    createdAt: at,
    updatedAt: at,
    fields,
    subjects: [],
  });
  await store.create(record, {
    at,
    actor: { type: 'system', id: 'test' },
    operation: 'create',
    record: record.ref,
    changedFields: ['status'],
  });
  const key = migrationKeys.upload(accountId, id, 'users', 'ndjson');
  await s3.send(new PutObjectCommand({ Bucket: migrationsBucket, Key: key, Body: '{"id":1}\n' }));
  return { id, prefix: `migrations/${accountId}/${id}/` };
}

type Fault = 'throttled before the work' | 'failed after the work';

/** Injects one fault into `target`: a throttling error before the task runs, or an error after it did. */
function once(target: string, fault: Fault) {
  let injected = false;
  return (state: string, handler: TaskHandler): TaskHandler =>
    state !== target
      ? handler
      : async (event) => {
          if (injected) return handler(event);
          injected = true;
          if (fault === 'throttled before the work') throw injectedError('ThrottlingException');
          await handler(event);
          throw injectedError('Lambda.ServiceException');
        };
}

/** What a user can see of an erasure's end state: the request's outcome and the subject's remaining links. */
async function endState(input: Awaited<ReturnType<typeof erasureRequest>>) {
  const request = (await store.get<PrivacyRequestFields>(input.accountId, {
    type: 'privacy_request',
    id: input.requestId,
  })) as StoredRecord<PrivacyRequestFields>;
  return {
    status: request.fields.status,
    counts: request.fields.certificate?.counts,
    trash: request.fields.trash?.state ?? null,
    links: await linkedRecords(client, table, input.accountId, { kind: 'contact', id: input.contactId }),
  };
}

const tasks = [
  erasureStates.markStarted,
  erasureStates.index,
  erasureStates.processPage,
  erasureStates.outcome,
];
const faults: Fault[] = ['throttled before the work', 'failed after the work'];

describe('privacy erasure under injected faults (the synthesized workflow on the local interpreter)', () => {
  for (const mode of ['soft', 'permanent'] as const) {
    it(`ends a ${mode} erasure in the same state as a clean run whatever task fails once, however`, async () => {
      const clean = await erasureRequest(mode);
      const cleanRun = await runWithFaults(workflow(), clean, (_state, handler) => handler);
      const expected = await endState(clean);
      expect(cleanRun.status).toBe('SUCCEEDED');
      expect(expected).toMatchObject({
        status: 'completed',
        counts: { erased: { attachment: 1, contact: 1, conversation: 1, ticket: 1 }, files: 1 },
        trash: mode === 'soft' ? 'held' : null,
        links: [],
      });

      for (const task of tasks) {
        for (const fault of faults) {
          const input = await erasureRequest(mode);
          const execution = await runWithFaults(workflow(), input, once(task, fault));
          // A page repeated after its objects were deleted counts what its first attempt found.
          const end = await endState(input);
          expect({ task, fault, status: execution.status, end }).toEqual({
            task,
            fault,
            status: 'SUCCEEDED',
            end: expected,
          });
        }
      }
    }, 120_000);
  }

  it('ends a failed erasure, once an admin retries it, as a clean run ends, counting what the failed execution erased', async () => {
    // Prepare: the page task erases its page, then fails every attempt, so the execution fails.
    const input = await erasureRequest('permanent');
    const failedRun = await runWithFaults(workflow(), input, (state, handler) =>
      state === erasureStates.processPage
        ? async (event) => {
            await handler(event);
            throw injectedError('Lambda.ServiceException');
          }
        : handler,
    );
    const failed = await endState(input);
    const path = `/api/v2/privacy/requests/${input.requestId}`;

    // Act: the platform's own workflow runs the retry.
    const retried = await apiCaller(url)('POST', `${path}/retry`, adminKeys.get(input.accountId) ?? '');
    const done = await privacyRequestOnceDone(url, adminKeys.get(input.accountId) ?? '', path, completed);
    const again = await apiCaller(url)('POST', `${path}/retry`, adminKeys.get(input.accountId) ?? '');

    // Assess
    expect(failedRun.status).toBe('FAILED');
    expect(failed).toMatchObject({ status: 'failed', links: [] });
    expect(retried.status).toBe(202);
    expect(retried.body).toMatchObject({
      status: 'verified',
      retries: 1,
      execution_name: `privacy-${input.accountId}-${input.requestId}-retry-1`,
      failure: null,
    });
    expect(await endState(input)).toEqual({
      status: 'completed',
      counts: {
        erased: { attachment: 1, contact: 1, conversation: 1, ticket: 1 },
        anonymised: {},
        files: 1,
        export_bundles: 0,
      },
      trash: null,
      links: [],
    });
    expect(done.certificate).toMatchObject({
      executions: [`privacy-${input.accountId}-${input.requestId}-retry-1`],
    });
    expect(again.status).toBe(409);
  }, 120_000);

  it("keeps only the error's name in a failed execution's data: no cause in later states, the failure or its record", async () => {
    // Prepare: a page fails every attempt with an error whose message quotes personal data.
    const input = await erasureRequest('permanent');
    const marker = `quoted-${randomUUID()}@example.test`;
    const failedTaskInputs: unknown[] = [];
    const inject = (state: string, handler: TaskHandler): TaskHandler => {
      if (state === erasureStates.processPage)
        return async () => {
          throw Object.assign(new Error(`Cannot erase ${marker}`), { name: 'ValidationException' });
        };
      if (state === erasureStates.markFailed)
        return async (event) => {
          failedTaskInputs.push(event);
          return handler(event);
        };
      return handler;
    };

    // Act
    const execution = await runWithFaults(workflow(), input, inject);

    // Assess: the execution ends with the name and a fixed cause; the failure task saw the name only.
    expect(execution).toMatchObject({ status: 'FAILED', error: 'ValidationException', cause: withheldCause });
    expect(failedTaskInputs).toHaveLength(1);
    expect((failedTaskInputs[0] as { error: unknown }).error).toEqual({ Error: 'ValidationException' });
    expect(await endState(input)).toMatchObject({ status: 'failed' });
    // Every state after the one keeping the name sees no cause (the failed task's own events hold it,
    // as its history event does on AWS: tasks throw name-only errors for that reason).
    const kept = execution.events.findIndex(
      (event) => event.type === 'StateExited' && event.state?.name === 'KeepErrorName',
    );
    expect(kept).toBeGreaterThan(0);
    const stateData = (event: unknown) => {
      const { input, output } = (event as { state?: { input?: unknown; output?: unknown } }).state ?? {};
      return { input, output };
    };
    // KeepErrorName's own input holds the cause; its output and everything after must not.
    const laterData = JSON.stringify([
      stateData(execution.events[kept]).output,
      ...execution.events.slice(kept + 1).map(stateData),
    ]);
    expect(laterData).not.toContain(marker);
    expect(laterData).not.toContain('Cause');
  }, 120_000);

  it('waits while a migration of the account runs: the request says so, fails MigrationRunning if it outlasts, erases nothing', async () => {
    // Prepare: a running migration whose upload may hold the subject.
    const input = await erasureRequest('permanent');
    const migration = await migrationWithFiles(input.accountId, 'running');

    // Act: every retry of the start meets the running migration (retries wait 0 ms here).
    const execution = await runWithFaults(workflow(), input, (_state, handler) => handler);

    // Assess
    const request = await store.get<PrivacyRequestFields>(
      input.accountId,
      privacyRequestRef(input.requestId),
    );
    expect(execution).toMatchObject({ status: 'FAILED', error: 'MigrationRunning' });
    expect(request?.fields).toMatchObject({
      status: 'failed',
      failure: { error: 'MigrationRunning' },
      notice: migrationWaitNotice,
    });
    expect((await endState(input)).links.length).toBeGreaterThan(0);
    expect(await keysUnder(migrationsBucket, migration.prefix)).toHaveLength(1);
  }, 120_000);

  it("deletes the files of the account's finished and failed migrations before erasing, and says so on a failed one", async () => {
    // Prepare
    const input = await erasureRequest('permanent');
    const failed = await migrationWithFiles(input.accountId, 'failed');
    const waiting = await migrationWithFiles(input.accountId, 'awaiting_upload');

    // Act
    const execution = await runWithFaults(workflow(), input, (_state, handler) => handler);

    // Assess
    expect(execution.status).toBe('SUCCEEDED');
    expect(await keysUnder(migrationsBucket, `migrations/${input.accountId}/`)).toEqual([]);
    const afterwards = await store.get<MigrationFields>(input.accountId, migrationRef(failed.id));
    expect(afterwards?.fields.failure?.reason).toBe(
      `Its files were deleted by the erasure of privacy request ${input.requestId}; create a new migration.`,
    );
    const untouched = await store.get<MigrationFields>(input.accountId, migrationRef(waiting.id));
    expect(untouched?.fields.status).toBe('awaiting_upload');
    const request = await store.get<PrivacyRequestFields>(
      input.accountId,
      privacyRequestRef(input.requestId),
    );
    expect(request?.fields).toMatchObject({ status: 'completed', notice: null });
  }, 120_000);

  it('changes nothing when the whole execution runs again after it completed', async () => {
    const input = await erasureRequest('soft');
    await runWithFaults(workflow(), input, (_state, handler) => handler);
    const done = await store.get(input.accountId, { type: 'privacy_request', id: input.requestId });

    const again = await runWithFaults(workflow(), input, (_state, handler) => handler);
    const after = await store.get(input.accountId, { type: 'privacy_request', id: input.requestId });

    expect(again.status).toBe('SUCCEEDED');
    expect(after?.version).toBe(done?.version);
  });

  it('never touches the data of an unverified request, nor retries that', async () => {
    const input = await erasureRequest('permanent', false);
    const before = await linkedRecords(client, table, input.accountId, {
      kind: 'contact',
      id: input.contactId,
    });
    let attempts = 0;

    const execution = await runWithFaults(workflow(), input, (state, handler) =>
      state === erasureStates.markStarted
        ? async (event) => {
            attempts += 1;
            return handler(event);
          }
        : handler,
    );

    expect(execution.status).toBe('FAILED');
    expect(attempts).toBe(1);
    expect(await endState(input)).toMatchObject({ status: 'pending_verification', links: before });
    expect(before.length).toBeGreaterThanOrEqual(4);
  });
});
