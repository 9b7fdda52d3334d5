import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { DynamoRecordStore } from '../../lambdas/adapters/dynamo-record-store.ts';
import { RequestProgress } from '../../lambdas/domain/privacy/request-progress.ts';
import type { StoredRecord } from '../../lambdas/domain/records/record.ts';
import { exportStates } from '../../lib/constructs/privacy-export-workflow.ts';
import { privacyExportStateMachineName } from '../../lib/platform/names.ts';
import { emulatorDocumentClient } from './emulator-clients.ts';
import { apiCaller, createTestAccount } from './test-accounts.ts';
import { injectedError, runWithFaults, workflowUnderTest } from './workflow-faults.ts';

const platform = inject('localPlatform');
const { url, table } = platform.regions.au;
const client = emulatorDocumentClient(platform);
const store = new DynamoRecordStore(client, table);
const workflow = workflowUnderTest('au', privacyExportStateMachineName('au'));
afterAll(() => client.destroy());

/**
 * An export request of a contact with one ticket, verified (unless `verify` is false) by writing its
 * status directly, so the platform's own execution does not start.
 */
async function verifiedRequest(verify = true) {
  const account = await createTestAccount(client, table, 'au', ['admin']);
  const call = apiCaller(url);
  const contact = await call('POST', '/api/v2/contacts', account.keys.admin, {
    name: 'Faulty',
    email: `f-${randomUUID()}@example.test`,
  });
  await call('POST', '/api/v2/tickets', account.keys.admin, {
    subject: 'Help',
    description: 'x',
    requester_id: contact.body.id,
  });
  const created = await call('POST', '/api/v2/privacy/requests', account.keys.admin, {
    type: 'export',
    subject: { type: 'contact', id: contact.body.id },
    channel: 'email',
  });
  if (!verify) return { accountId: account.id, requestId: created.body.id as number };
  const request = (await store.get(account.id, {
    type: 'privacy_request',
    id: created.body.id,
  })) as StoredRecord;
  const verified = { ...request, version: 2, fields: { ...request.fields, status: 'verified' } };
  await store.replace(request, verified, {
    at: new Date().toISOString(),
    actor: { type: 'system', id: 'test' },
    operation: 'update',
    record: request.ref,
    changedFields: ['status'],
  });
  return { accountId: account.id, requestId: created.body.id as number };
}

const runExport = (input: object, wrap: Parameters<typeof runWithFaults>[2]) =>
  runWithFaults(workflow(), input, wrap);

describe('privacy export under injected faults (the synthesized workflow on the local interpreter)', () => {
  it('retries a throttled page export and completes as a clean run would', async () => {
    const input = await verifiedRequest();
    let failures = 0;

    const execution = await runExport(input, (state, handler) =>
      state === exportStates.exportPage
        ? async (event) => {
            if (failures++ === 0) throw injectedError('ThrottlingException');
            return handler(event);
          }
        : handler,
    );
    const request = await new RequestProgress({ store, now: () => new Date() }).read(
      input.accountId,
      input.requestId,
    );

    expect(execution.status).toBe('SUCCEEDED');
    expect(failures).toBe(2);
    expect(request.fields).toMatchObject({
      status: 'completed',
      result: { counts: { profile: 1, tickets: 1 } },
    });
  });

  it('marks the request failed with the error name when a step keeps failing', async () => {
    const input = await verifiedRequest();

    const execution = await runExport(input, (state, handler) =>
      state === exportStates.assemble
        ? async () => {
            throw injectedError('BundleBroken');
          }
        : handler,
    );
    const request = await new RequestProgress({ store, now: () => new Date() }).read(
      input.accountId,
      input.requestId,
    );

    expect(execution.status).toBe('FAILED');
    expect(request.fields.status).toBe('failed');
    expect(request.fields.failure?.error).toBe('BundleBroken');
    expect(request.fields.result).toBeNull();
  });

  it('changes nothing when the whole execution runs again after it completed', async () => {
    const input = await verifiedRequest();
    const progress = new RequestProgress({ store, now: () => new Date() });
    const running = await runExport(input, (_state, handler) => handler);
    const done = await progress.read(input.accountId, input.requestId);

    const again = await runExport(input, (_state, handler) => handler);
    const after = await progress.read(input.accountId, input.requestId);

    expect(running.status).toBe('SUCCEEDED');
    expect(again.status).toBe('SUCCEEDED');
    expect(after.version).toBe(done.version);
  });

  it('does not run an unverified request, nor retry that', async () => {
    const input = await verifiedRequest(false);
    let attempts = 0;

    const execution = await runExport(input, (state, handler) =>
      state === exportStates.markRunning
        ? async (event) => {
            attempts += 1;
            return handler(event);
          }
        : handler,
    );
    const request = await new RequestProgress({ store, now: () => new Date() }).read(
      input.accountId,
      input.requestId,
    );

    expect(execution.status).toBe('FAILED');
    expect(attempts).toBe(1);
    expect(request.fields).toMatchObject({ status: 'pending_verification', failure: null, started_at: null });
  });
});
