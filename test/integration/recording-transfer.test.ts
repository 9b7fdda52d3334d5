import { createHash, randomBytes, randomUUID } from 'node:crypto';
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { DescribeExecutionCommand, ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { recordingKey } from '../../lambdas/domain/calls/call-service.ts';
import { localCredentials, localSigningRegion } from '../../local/local-credentials.ts';
import { localResourceNames, localWorkflowEnvironment } from '../../local/local-environment.ts';
import { type LocalWorkflow, synthesizedWorkflows } from '../../local/workflows/synthesized-workflows.ts';
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

async function objectExists(bucket: string, key: string): Promise<boolean> {
  try {
    await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return true;
  } catch {
    return false;
  }
}

async function objectBytes(bucket: string, key: string): Promise<Buffer> {
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(
    await (object.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
  );
}

/** Waits for the platform's execution of a recording to finish (the S3 event starts it asynchronously). */
async function finishedExecution(callId: number, accountId: string) {
  const [stateMachineArn] = workflows?.stateMachines ?? [];
  const executionArn = `${stateMachineArn?.replace(':stateMachine:', ':execution:')}:recording-${callId}-${accountId}`;
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const execution = await sfn.send(new DescribeExecutionCommand({ executionArn })).catch(() => undefined);
    if (execution && execution.status !== 'RUNNING') return execution;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the transfer of call ${callId} did not finish`);
}

describe('US-to-EEA recording transfer on the local platform', () => {
  it('moves an EEA account recording from US staging to the EEA, byte-identical, leaving nothing in the US', async () => {
    // Prepare
    const created = await call('eea', 'POST', '/api/v2/calls', newCall);
    const recording = randomBytes(256 * 1024);
    const key = recordingKey(platform.regions.eea.accountId, created.body.id);

    // Act: the client uploads where the API said: the US staging bucket.
    const upload = await fetch(created.body.recording.upload_url, {
      method: 'PUT',
      headers: created.body.recording.upload_headers,
      body: recording,
    });
    const execution = await finishedExecution(created.body.id, platform.regions.eea.accountId);
    const after = await call('eea', 'GET', `/api/v2/calls/${created.body.id}`);
    const downloaded = Buffer.from(await (await fetch(after.body.recording.download_url)).arrayBuffer());
    const audit = await call('eea', 'GET', `/api/v2/audit_log?record_type=call&record_id=${created.body.id}`);

    // Assess
    expect(new URL(created.body.recording.upload_url).pathname).toBe(`/${stagingBucket}/${key}`);
    expect(upload.status).toBe(200);
    expect(execution.status).toBe('SUCCEEDED');
    expect(after.body.recording).toMatchObject({
      location: 'eea',
      size: recording.length,
      sha256: sha256(recording),
    });
    expect(after.body.recording.staging_deleted_at).toEqual(expect.any(String));
    expect(new URL(after.body.recording.download_url).pathname).toBe(`/${eeaRecordings}/${key}`);
    expect(downloaded.equals(recording)).toBe(true);
    expect((await objectBytes(eeaRecordings, key)).equals(recording)).toBe(true);
    expect(await objectExists(stagingBucket, key)).toBe(false);
    expect(audit.body.map((entry: { summary: string }) => entry.summary)).toEqual([
      `system recording-transfer updated call ${created.body.id}: recording_transfer`,
      `system recording-transfer updated call ${created.body.id}: recording_transfer`,
      expect.stringMatching(new RegExp(`^agent \\S+ created call ${created.body.id}`)),
    ]);
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
    expect(await objectExists(usRecordings, key)).toBe(true);
    expect(executions.executions?.map((e) => e.name)).not.toContain(
      `recording-${created.body.id}-${platform.regions.us.accountId}`,
    );
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
    const [transfer] = synthesizedWorkflows('us').workflows;
    if (!transfer) throw new Error('the US workflows stack has no recording transfer');
    workflow = transfer;
  }, 60_000);
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
        expect(await objectExists(scratchStaging, key)).toBe(true);
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
    expect(await objectExists(scratchStaging, key)).toBe(false);
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
