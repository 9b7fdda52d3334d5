import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import {
  NotARecordingKeyError,
  parseStagedRecording,
  transferExecutionName,
} from '../../lambdas/domain/calls/staged-recording.ts';
import { measureStaging } from '../../lambdas/workflows/recording-transfer/staging-watch.ts';
import { matchesPattern } from '../../local/workflows/event-rules.ts';
import { recordingHoldMs } from '../../local/workflows/workflow-server.ts';

const accountId = '6eb79ec8-bed9-49be-8269-7438da0ea8dc';

describe('staged recordings', () => {
  it('reads account and call from the key and names the execution with ids only, within 80 characters', () => {
    // Prepare: the longest call id a number holds exactly (16 digits) and a 32-character S3 version id.
    const recording = parseStagedRecording(`accounts/${accountId}/calls/9007199254740991/recording`);
    const versionId = '3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrH';

    // Act
    const name = transferExecutionName(recording, versionId);

    // Assess
    expect(recording).toMatchObject({ accountId, callId: 9007199254740991 });
    expect(name).toMatch(new RegExp(`^recording-9007199254740991-${accountId}-[0-9a-f]{16}$`));
    expect(name.length).toBeLessThanOrEqual(80);
  });

  it('names one execution per upload: the same event again finds it, a re-upload gets its own', () => {
    // Prepare
    const recording = parseStagedRecording(`accounts/${accountId}/calls/42/recording`);

    // Act
    const first = transferExecutionName(recording, 'version-1');
    const repeated = transferExecutionName(recording, 'version-1');
    const reupload = transferExecutionName(recording, 'version-2');

    // Assess
    expect(repeated).toBe(first);
    expect(reupload).not.toBe(first);
    expect(reupload.startsWith(`recording-42-${accountId}-`)).toBe(true);
  });

  it.each([
    'accounts/x/calls/1/recording',
    `accounts/${accountId}/calls/1/recording.mp3`,
    'jane@example.test.wav',
  ])('refuses %s as a recording key', (key) => {
    expect(() => parseStagedRecording(key)).toThrow(NotARecordingKeyError);
  });
});

describe('staging watch', () => {
  it('measures the oldest staged object across pages', async () => {
    const client = new S3Client({ region: 'us-east-1' });
    const s3 = mockClient(client);
    s3.on(ListObjectsV2Command)
      .resolvesOnce({
        Contents: [{ Key: 'a', LastModified: new Date('2026-11-23T10:00:00Z') }],
        IsTruncated: true,
        NextContinuationToken: 't',
      })
      .resolvesOnce({ Contents: [{ Key: 'b', LastModified: new Date('2026-11-23T09:20:00Z') }] });

    const measured = await measureStaging(client, 'staging', new Date('2026-11-23T10:00:00Z'));

    expect(measured).toEqual({ oldestAgeSeconds: 2400, count: 2 });
  });

  it('reports 0 for an empty bucket', async () => {
    const client = new S3Client({ region: 'us-east-1' });
    mockClient(client).on(ListObjectsV2Command).resolves({});

    expect(await measureStaging(client, 'staging', new Date())).toEqual({ oldestAgeSeconds: 0, count: 0 });
  });
});

describe('local workflow runtime', () => {
  it('matches EventBridge patterns of value lists and nested fields', () => {
    const pattern = { source: ['aws.s3'], detail: { bucket: { name: ['staging'] } } };

    expect(matchesPattern(pattern, { source: 'aws.s3', detail: { bucket: { name: 'staging' } } })).toBe(true);
    expect(matchesPattern(pattern, { source: 'aws.s3', detail: { bucket: { name: 'other' } } })).toBe(false);
    expect(matchesPattern(pattern, { source: 'aws.s3' })).toBe(false);
  });

  it('holds recordings 600 s unless RECORDING_HOLD_SECONDS says otherwise', () => {
    expect(recordingHoldMs({})).toBe(600_000);
    expect(recordingHoldMs({ RECORDING_HOLD_SECONDS: '30' })).toBe(30_000);
    expect(() => recordingHoldMs({ RECORDING_HOLD_SECONDS: '-1' })).toThrow(/whole number/);
  });
});
