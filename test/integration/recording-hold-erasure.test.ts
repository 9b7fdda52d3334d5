import { randomBytes, randomUUID } from 'node:crypto';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createAwsClients } from '../../lambdas/adapters/aws-clients.ts';
import { DynamoRecordStore } from '../../lambdas/adapters/dynamo-record-store.ts';
import { S3ObjectStore } from '../../lambdas/adapters/s3-object-store.ts';
import { S3ObjectVersions } from '../../lambdas/adapters/s3-versions.ts';
import { CallService, recordingKey } from '../../lambdas/domain/calls/call-service.ts';
import type { StoredRecord } from '../../lambdas/domain/records/record.ts';
import { transferStates } from '../../lib/constructs/recording-transfer-workflow.ts';
import { privacyErasureStateMachineName } from '../../lib/platform/names.ts';
import { localWorkflowEnvironment } from '../../local/local-environment.ts';
import { type LocalWorkflow, synthesizedWorkflows } from '../../local/workflows/synthesized-workflows.ts';
import { emulatorDocumentClient, emulatorS3Client, objectExists } from './emulator-clients.ts';
import { regionCaller } from './http-client.ts';
import { runWithFaults } from './workflow-faults.ts';

/**
 * A recording erased or deleted during its hold, end to end over the emulators: the EEA erasure
 * workflow and the US transfer workflow, as synthesized, run in this process with the real task
 * handlers. They share a staging bucket of this file's own, so the platform's event rule (which names
 * the real one) never starts a transfer of these recordings; the EEA table and buckets are the
 * platform's.
 */
const platform = inject('localPlatform');
const eea = platform.regions.eea;
const call = regionCaller(platform);
const s3 = emulatorS3Client(platform);
const dynamo = emulatorDocumentClient(platform);
const scratchStaging = `hold-erasure-${randomUUID()}`;
const eeaRecordings = eea.buckets.recordings ?? '';
const savedEnvironment = { ...process.env };
let transfer: LocalWorkflow;
let erasure: LocalWorkflow;

beforeAll(async () => {
  await s3.send(new CreateBucketCommand({ Bucket: scratchStaging }));
  const us = localWorkflowEnvironment('us', platform.emulators);
  Object.assign(process.env, localWorkflowEnvironment('eea', platform.emulators), {
    // The transfer's side (US workflow functions) and the erasure's view of staging, both the scratch bucket.
    STAGING_BUCKET: scratchStaging,
    HOME_AWS_REGION: us.HOME_AWS_REGION,
    HOME_RECORDINGS_BUCKET: us.HOME_RECORDINGS_BUCKET,
    HOME_TABLE_NAME: us.HOME_TABLE_NAME,
    HOME_DATA_KEY: us.HOME_DATA_KEY,
    RECORDING_STAGING_BUCKET: scratchStaging,
  });
  const found = synthesizedWorkflows('us').workflows.find((w) => transferStates.hold in w.definition.States);
  const erasing = synthesizedWorkflows('eea').workflows.find((w) =>
    w.stateMachineArn.endsWith(`:${privacyErasureStateMachineName('eea')}`),
  );
  if (!found || !erasing) throw new Error('the transfer or the EEA erasure workflow is missing');
  transfer = found;
  erasure = erasing;
}, 60_000);
afterAll(() => {
  process.env = savedEnvironment;
  s3.destroy();
  dynamo.destroy();
});

/** A contact of the platform's EEA account with a call whose recording waits in (scratch) staging. */
async function stagedCallOfContact() {
  const contact = await call('eea', 'POST', '/api/v2/contacts', {
    name: 'Held caller',
    email: `held-${randomUUID()}@example.test`,
  });
  const created = await call('eea', 'POST', '/api/v2/calls', {
    direction: 'incoming',
    contact_id: contact.body.id,
    started_at: '2026-11-23T10:00:00Z',
    duration_seconds: 42,
  });
  const key = recordingKey(eea.accountId, created.body.id);
  await s3.send(new PutObjectCommand({ Bucket: scratchStaging, Key: key, Body: randomBytes(16 * 1024) }));
  return { contactId: contact.body.id as number, callId: created.body.id as number, key };
}

/** A verified erasure request of the contact (verified in the table, so the platform starts nothing). */
async function verifiedErasure(contactId: number, mode: 'soft' | 'permanent') {
  const created = await call('eea', 'POST', '/api/v2/privacy/requests', {
    type: 'erasure',
    mode,
    subject: { type: 'contact', id: contactId },
    channel: 'email',
  });
  const store = new DynamoRecordStore(dynamo, eea.table);
  const ref = { type: 'privacy_request' as const, id: created.body.id as number };
  const request = (await store.get(eea.accountId, ref)) as StoredRecord;
  await store.replace(
    request,
    { ...request, version: request.version + 1, fields: { ...request.fields, status: 'verified' } },
    {
      at: new Date().toISOString(),
      actor: { type: 'system', id: 'test' },
      operation: 'update',
      record: ref,
      changedFields: ['status'],
    },
  );
  return { accountId: eea.accountId, requestId: ref.id, operation: 'erase' };
}

describe('a recording whose subject is erased during its hold', () => {
  it.each([
    ['soft', 'CopyToHome', 'during the hold'],
    ['permanent', 'VerifyHomeCopy', 'after the copy reached the EEA'],
  ] as const)(
    'a %s erasure before %s (%s) leaves nothing in US staging nor in the EEA; the transfer discards',
    async (mode, state, _moment) => {
      // Prepare
      const { contactId, callId, key } = await stagedCallOfContact();
      const request = await verifiedErasure(contactId, mode);
      let erased: { status: string; stagedAfterwards: boolean } | undefined;

      // Act: the transfer runs; just before `state`, the erasure of the call's subject runs to its end.
      const execution = await runWithFaults(
        transfer,
        { bucket: scratchStaging, key },
        (name, handler) => async (input) => {
          if (name === state && !erased) {
            const run = await runWithFaults(erasure, request, (_state, task) => task);
            erased = { status: run.status, stagedAfterwards: await objectExists(s3, scratchStaging, key) };
          }
          return handler(input);
        },
        { HoldInStaging: 0 },
      );
      const after = await call('eea', 'GET', `/api/v2/calls/${callId}`);

      // Assess: the erasure itself removed the staged recording; the transfer discarded, not failed.
      expect(erased).toEqual({ status: 'SUCCEEDED', stagedAfterwards: false });
      expect(execution.status).toBe('SUCCEEDED');
      expect(JSON.parse(String(execution.output))).toMatchObject({
        outcome: 'discarded',
        reason: 'call_gone',
        callId,
      });
      expect(after.status).toBe(404);
      expect(await objectExists(s3, scratchStaging, key)).toBe(false);
      expect(await objectExists(s3, eeaRecordings, key)).toBe(false);
      // A staged recording is never trashed: a soft erasure cannot bring it back.
      const trashKey = `erasures/${eea.accountId}/${request.requestId}/recordings/${key}`;
      expect(await objectExists(s3, eea.buckets.trash ?? '', trashKey)).toBe(false);
    },
  );
});

describe('deleting a call during its hold', () => {
  it('deletes the staged recording with every version (the calls service over the emulators)', async () => {
    // Prepare: the service as the EEA calls function builds it, its staging being the scratch bucket.
    const { callId, key } = await stagedCallOfContact();
    const clients = createAwsClients();
    const staging = clients.s3In('us-east-1');
    const calls = new CallService({
      store: new DynamoRecordStore(dynamo, eea.table),
      now: () => new Date(),
      newId: () => 1,
      homeRegion: 'eea',
      objects: new S3ObjectStore(clients.s3),
      recordingsBucket: eeaRecordings,
      recordingStaging: {
        bucket: scratchStaging,
        objects: new S3ObjectStore(staging),
        versions: new S3ObjectVersions(staging),
      },
    });
    const principal = { accountId: eea.accountId, agentId: 1, role: 'admin' as const };

    // Act
    await calls.delete(principal, callId);
    const stagedAfterwards = await objectExists(s3, scratchStaging, key);
    await calls.delete(principal, callId);
    const after = await call('eea', 'GET', `/api/v2/calls/${callId}`);

    // Assess
    expect(stagedAfterwards).toBe(false);
    expect(after.status).toBe(404);
  });
});
