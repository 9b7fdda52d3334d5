import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  ListExecutionsCommand,
  SFNClient,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { recordingKey, recordingUploadUrlSeconds } from '../../lambdas/domain/calls/call-service.ts';
import { retention } from '../../lib/residency/index.ts';
import { localCredentials, localSigningRegion } from '../../local/local-credentials.ts';
import { localResourceNames, localWorkflowEnvironment } from '../../local/local-environment.ts';
import { type LocalWorkflow, synthesizedWorkflows } from '../../local/workflows/synthesized-workflows.ts';
import { objectExists } from './emulator-clients.ts';
import { regionCaller } from './http-client.ts';
import { runWithFaults } from './workflow-faults.ts';

const platform = inject('localPlatform');
const call = regionCaller(platform);
const s3 = new S3Client({
  endpoint: platform.emulators.s3,
  region: localSigningRegion,
  credentials: localCredentials,
  forcePathStyle: true,
});
const workflows = platform.workflows.us;
const sfn = new SFNClient({ endpoint: workflows?.url, region: 'us-east-1', credentials: localCredentials });
const stagingBucket = localResourceNames('us').buckets['recording-staging'] ?? '';
const eeaRecordings = localResourceNames('eea').buckets.recordings ?? '';
const usRecordings = localResourceNames('us').buckets.recordings ?? '';
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

afterAll(() => {
  s3.destroy();
  sfn.destroy();
});

const newCall = { direction: 'incoming', started_at: '2026-11-23T10:00:00Z', duration_seconds: 42 };

async function objectBytes(bucket: string, key: string): Promise<Buffer> {
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(
    await (object.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
  );
}

/** What the names of a call's transfer executions start with (operators find them by it). */
const executionsOf = (callId: number, accountId: string) => `recording-${callId}-${accountId}`;

/**
 * Waits until `count` of the platform's executions for a call's recording (one per upload, started
 * asynchronously by the S3 event) have finished; answers them, oldest first.
 */
async function finishedExecutions(
  callId: number,
  accountId: string,
  count = 1,
): Promise<DescribeExecutionCommandOutput[]> {
  const [stateMachineArn] = workflows?.stateMachines ?? [];
  const prefix = executionsOf(callId, accountId);
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const listed = await sfn.send(new ListExecutionsCommand({ stateMachineArn }));
    const mine = (listed.executions ?? []).filter((e) => e.name?.startsWith(prefix));
    if (mine.length >= count && mine.every((e) => e.status !== 'RUNNING')) {
      const described = await Promise.all(
        mine.map((e) => sfn.send(new DescribeExecutionCommand({ executionArn: e.executionArn }))),
      );
      return described.sort((a, b) => (a.startDate?.getTime() ?? 0) - (b.startDate?.getTime() ?? 0));
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${count} transfer(s) of call ${callId} did not finish`);
}

const outputOf = (execution: { output?: string }) => JSON.parse(execution.output ?? 'null');

/** PUTs a recording where the API said, with the headers its URL was signed for. */
const upload = (target: { upload_url: string; upload_headers: Record<string, string> }, bytes: Buffer) =>
  fetch(target.upload_url, { method: 'PUT', headers: target.upload_headers, body: bytes });

/**
 * The transfer as synthesized, for the fault tests. Synthesis blocks the event loop for seconds, so it
 * runs before any test opens a connection: a keep-alive socket the API server closed meanwhile would
 * otherwise be reused before its close is seen ("other side closed").
 */
let synthesizedTransfer: LocalWorkflow;
beforeAll(() => {
  const [transfer] = synthesizedWorkflows('us').workflows;
  if (!transfer) throw new Error('the US workflows stack has no recording transfer');
  synthesizedTransfer = transfer;
}, 60_000);

describe('US-to-EEA recording transfer on the local platform', () => {
  it('moves an EEA account recording from US staging to the EEA, byte-identical, leaving nothing in the US', async () => {
    // Prepare
    const created = await call('eea', 'POST', '/api/v2/calls', newCall);
    const recording = randomBytes(256 * 1024);
    const key = recordingKey(platform.regions.eea.accountId, created.body.id);

    // Act: the client uploads where the API said: the US staging bucket.
    const uploaded = await upload(created.body.recording, recording);
    const [execution] = await finishedExecutions(created.body.id, platform.regions.eea.accountId);
    const after = await call('eea', 'GET', `/api/v2/calls/${created.body.id}`);
    const downloaded = Buffer.from(await (await fetch(after.body.recording.download_url)).arrayBuffer());
    const audit = await call('eea', 'GET', `/api/v2/audit_log?record_type=call&record_id=${created.body.id}`);

    // Assess
    expect(new URL(created.body.recording.upload_url).pathname).toBe(`/${stagingBucket}/${key}`);
    expect(uploaded.status).toBe(200);
    expect(execution?.status).toBe('SUCCEEDED');
    expect(outputOf(execution ?? {})).toEqual({
      outcome: 'transferred',
      callId: created.body.id,
      audited: true,
    });
    expect(after.body.recording).toMatchObject({
      location: 'eea',
      size: recording.length,
      sha256: sha256(recording),
    });
    expect(after.body.recording.staging_deleted_at).toEqual(expect.any(String));
    expect(new URL(after.body.recording.download_url).pathname).toBe(`/${eeaRecordings}/${key}`);
    expect(downloaded.equals(recording)).toBe(true);
    expect((await objectBytes(eeaRecordings, key)).equals(recording)).toBe(true);
    expect(await objectExists(s3, stagingBucket, key)).toBe(false);
    expect(audit.body.map((entry: { summary: string }) => entry.summary)).toEqual([
      `system recording-transfer updated call ${created.body.id}: recording_transfer`,
      `system recording-transfer updated call ${created.body.id}: recording_transfer`,
      expect.stringMatching(new RegExp(`^agent \\S+ created call ${created.body.id}`)),
    ]);
  });

  it('signs the upload URL for the 5 minutes an upload needs, shorter than the 10-minute hold', async () => {
    // Prepare
    const before = Date.now();

    // Act
    const created = await call('eea', 'POST', '/api/v2/calls', newCall);

    // Assess: S3 reads the lifetime from the signed X-Amz-Expires (s3rver checks it the same way).
    const url = new URL(created.body.recording.upload_url);
    const expiresAt = Date.parse(created.body.recording.upload_expires_at);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('300');
    expect(expiresAt).toBeGreaterThanOrEqual(before + 299_000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 301_000);
    expect(recordingUploadUrlSeconds).toBe(300);
    expect(recordingUploadUrlSeconds).toBeLessThan(retention.recordingHoldSeconds);
  });

  it('refuses a re-upload after the transfer: its own execution deletes it from US staging', async () => {
    // Prepare: a recording moved to the EEA.
    const accountId = platform.regions.eea.accountId;
    const created = await call('eea', 'POST', '/api/v2/calls', newCall);
    const key = recordingKey(accountId, created.body.id);
    const recording = randomBytes(16 * 1024);
    await upload(created.body.recording, recording);
    await finishedExecutions(created.body.id, accountId);
    const transferred = await call('eea', 'GET', `/api/v2/calls/${created.body.id}`);

    // Act: a second PUT through the same URL, still valid, after the transfer.
    const again = await upload(created.body.recording, randomBytes(8 * 1024));
    const [first, second] = await finishedExecutions(created.body.id, accountId, 2);
    const after = await call('eea', 'GET', `/api/v2/calls/${created.body.id}`);

    // Assess: nothing stays in the US; the EEA keeps the recording the call names.
    expect(again.status).toBe(200);
    expect(first?.name).not.toBe(second?.name);
    expect(second?.status).toBe('SUCCEEDED');
    expect(outputOf(second ?? {})).toEqual({
      outcome: 'discarded',
      reason: 'already_transferred',
      callId: created.body.id,
      stagedVersionsDeleted: 1,
      homeVersionsDeleted: 0,
    });
    expect(await objectExists(s3, stagingBucket, key)).toBe(false);
    expect((await objectBytes(eeaRecordings, key)).equals(recording)).toBe(true);
    const { download_url: _url, download_expires_at: _expires, ...proof } = transferred.body.recording;
    expect(after.body.recording).toMatchObject({ ...proof, location: 'eea' });
    expect(after.body.recording.sha256).toBe(sha256(recording));
  });

  it('discards a recording uploaded to a deleted call: nothing in US staging, nothing in the EEA', async () => {
    // Prepare
    const accountId = platform.regions.eea.accountId;
    const created = await call('eea', 'POST', '/api/v2/calls', newCall);
    const key = recordingKey(accountId, created.body.id);

    // Act: the call is deleted; its upload URL is still valid and used.
    const deleted = await call('eea', 'DELETE', `/api/v2/calls/${created.body.id}`);
    await upload(created.body.recording, randomBytes(4 * 1024));
    const [execution] = await finishedExecutions(created.body.id, accountId);
    const after = await call('eea', 'GET', `/api/v2/calls/${created.body.id}`);

    // Assess
    expect(deleted.status).toBe(204);
    expect(after.status).toBe(404);
    expect(execution?.status).toBe('SUCCEEDED');
    expect(outputOf(execution ?? {})).toMatchObject({ outcome: 'discarded', reason: 'call_gone' });
    expect(await objectExists(s3, stagingBucket, key)).toBe(false);
    expect(await objectExists(s3, eeaRecordings, key)).toBe(false);
  });

  it("keeps a US account's recording in the US and starts no transfer", async () => {
    // Prepare
    const created = await call('us', 'POST', '/api/v2/calls', newCall);
    const key = recordingKey(platform.regions.us.accountId, created.body.id);

    // Act
    await fetch(created.body.recording.upload_url, {
      method: 'PUT',
      headers: created.body.recording.upload_headers,
      body: randomBytes(1024),
    });
    const after = await call('us', 'GET', `/api/v2/calls/${created.body.id}`);
    const executions = await sfn.send(
      new ListExecutionsCommand({ stateMachineArn: workflows?.stateMachines[0] }),
    );

    // Assess
    expect(new URL(created.body.recording.upload_url).pathname).toBe(`/${usRecordings}/${key}`);
    expect(after.body.recording.location).toBe('us');
    expect(await objectExists(s3, usRecordings, key)).toBe(true);
    const prefix = executionsOf(created.body.id, platform.regions.us.accountId);
    expect(executions.executions?.filter((e) => e.name?.startsWith(prefix))).toEqual([]);
  });
});

describe('recording transfer under injected faults (the synthesized workflow on the local interpreter)', () => {
  // A staging bucket of this test's own, so the platform's event rule (which names the real one)
  // never races these executions; everything else is the platform's: EEA bucket, table, handlers.
  const scratchStaging = `transfer-faults-${randomUUID()}`;
  const savedEnvironment = { ...process.env };
  let workflow: LocalWorkflow;

  beforeAll(async () => {
    await s3.send(new CreateBucketCommand({ Bucket: scratchStaging }));
    Object.assign(process.env, localWorkflowEnvironment('us', platform.emulators), {
      STAGING_BUCKET: scratchStaging,
    });
    workflow = synthesizedTransfer;
  });
  afterAll(() => {
    process.env = savedEnvironment;
  });

  /** Runs one execution with the real task handlers, `wrap` injecting a fault around one state. */
  const runTransfer = (key: string, wrap: Parameters<typeof runWithFaults>[2]) =>
    runWithFaults(workflow, { bucket: scratchStaging, key }, wrap, { HoldInStaging: 0 });

  async function stagedCall(bytes: Buffer) {
    const created = await call('eea', 'POST', '/api/v2/calls', newCall);
    const key = recordingKey(platform.regions.eea.accountId, created.body.id);
    await s3.send(new PutObjectCommand({ Bucket: scratchStaging, Key: key, Body: bytes }));
    return { id: created.body.id as number, key };
  }

  it('retries a failed copy and then completes the transfer', async () => {
    // Prepare
    const recording = randomBytes(32 * 1024);
    const { id, key } = await stagedCall(recording);
    let failures = 0;

    // Act: the first copy attempt is throttled.
    const execution = await runTransfer(key, (state, handler) => async (input) => {
      if (state === 'CopyToHome' && failures === 0) {
        failures += 1;
        expect(await objectExists(s3, scratchStaging, key)).toBe(true);
        throw Object.assign(new Error('Please reduce your request rate.'), { name: 'SlowDown' });
      }
      return handler(input);
    });
    const after = await call('eea', 'GET', `/api/v2/calls/${id}`);

    // Assess
    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.events.filter((e) => e.type === 'StateRetried').map((e) => e.state?.name)).toEqual([
      'CopyToHome',
    ]);
    expect(after.body.recording).toMatchObject({ location: 'eea', sha256: sha256(recording) });
    expect((await objectBytes(eeaRecordings, key)).equals(recording)).toBe(true);
    expect(await objectExists(s3, scratchStaging, key)).toBe(false);
  });

  it.each([
    ['CheckCallBeforeCopy', 'during the hold', 0],
    ['CheckCallAfterCopy', 'right after the copy', 1],
    ['VerifyHomeCopy', 'while the copy is verified', 1],
    ['RecordLocation', 'just before the location is recorded', 1],
  ])(
    'discards the recording of a call deleted before %s (%s): nothing left in US staging nor in the EEA',
    async (state, _moment, homeVersionsDeleted) => {
      // Prepare
      const { id, key } = await stagedCall(randomBytes(32 * 1024));
      let deleted = 0;

      // Act: the call is deleted through the API just before `state` runs.
      const execution = await runTransfer(key, (name, handler) => async (input) => {
        if (name === state && deleted === 0) {
          deleted = (await call('eea', 'DELETE', `/api/v2/calls/${id}`)).status;
        }
        return handler(input);
      });

      // Assess: a discard, not a failure; no orphan copy at home, no original left in staging.
      expect(deleted).toBe(204);
      expect(execution.status).toBe('SUCCEEDED');
      expect(JSON.parse(String(execution.output))).toEqual({
        outcome: 'discarded',
        reason: 'call_gone',
        callId: id,
        stagedVersionsDeleted: 1,
        homeVersionsDeleted,
      });
      expect(await objectExists(s3, scratchStaging, key)).toBe(false);
      expect(await objectExists(s3, eeaRecordings, key)).toBe(false);
    },
  );

  it('discards a staged recording whose call never existed', async () => {
    // Prepare: a recording key naming a call id the account never had.
    const key = recordingKey(platform.regions.eea.accountId, 987_654_321_012);
    await s3.send(new PutObjectCommand({ Bucket: scratchStaging, Key: key, Body: randomBytes(1024) }));

    // Act
    const execution = await runTransfer(key, (_state, handler) => handler);

    // Assess
    expect(execution.status).toBe('SUCCEEDED');
    expect(JSON.parse(String(execution.output))).toMatchObject({ outcome: 'discarded', reason: 'call_gone' });
    expect(await objectExists(s3, scratchStaging, key)).toBe(false);
    expect(await objectExists(s3, eeaRecordings, key)).toBe(false);
  });

  it('keeps the recording of a call deleted after its location was recorded, and still empties staging', async () => {
    // Prepare
    const recording = randomBytes(32 * 1024);
    const { id, key } = await stagedCall(recording);

    // Act: the location is recorded (the commit point), then the call is deleted.
    const execution = await runTransfer(key, (state, handler) => async (input) => {
      if (state === 'DeleteStagedVersions') await call('eea', 'DELETE', `/api/v2/calls/${id}`);
      return handler(input);
    });

    // Assess: the recording belongs to the (soft-deleted) call like any transferred one.
    expect(execution.status).toBe('SUCCEEDED');
    expect(JSON.parse(String(execution.output))).toEqual({
      outcome: 'transferred',
      callId: id,
      audited: false,
    });
    expect(await objectExists(s3, scratchStaging, key)).toBe(false);
    expect((await objectBytes(eeaRecordings, key)).equals(recording)).toBe(true);
  });

  it('detects a corrupted copy, keeps the staged original and fails the execution', async () => {
    // Prepare
    const recording = randomBytes(32 * 1024);
    const { id, key } = await stagedCall(recording);

    // Act: the copy "succeeds" but the bytes at home are not the original's.
    const execution = await runTransfer(key, (state, handler) => async (input) => {
      const result = await handler(input);
      if (state === 'CopyToHome') {
        await s3.send(
          new PutObjectCommand({ Bucket: eeaRecordings, Key: key, Body: randomBytes(32 * 1024) }),
        );
      }
      return result;
    });
    const after = await call('eea', 'GET', `/api/v2/calls/${id}`);

    // Assess
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('RecordingCopyNotVerified');
    expect(execution.events.filter((e) => e.type === 'StateRetried')).toEqual([]);
    expect((await objectBytes(scratchStaging, key)).equals(recording)).toBe(true);
    expect(after.body.recording.sha256).toBeUndefined();
    expect(after.body.recording.download_url).toBeUndefined();
  });
});
