import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

const sfn = mockClient(SFNClient);
const savedEnvironment = { ...process.env };
const accountId = '6eb79ec8-bed9-49be-8269-7438da0ea8dc';
const key = `accounts/${accountId}/calls/42/recording`;
const machine = 'arn:aws:states:us-east-1:111122223333:stateMachine:RecordingTransfer';

beforeAll(() => {
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    STAGING_BUCKET: 'staging',
    HOME_AWS_REGION: 'eu-central-1',
    HOME_RECORDINGS_BUCKET: 'home',
    HOME_TABLE_NAME: 'helpdesk-eea-records',
    HOME_DATA_KEY: 'arn:aws:kms:eu-central-1:111122223333:alias/helpdesk-eea-data',
    TRANSFER_STATE_MACHINE_ARN: machine,
    POWERTOOLS_SERVICE_NAME: 'helpdesk-recording-transfer',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  });
});
afterEach(() => sfn.reset());
afterAll(() => {
  process.env = savedEnvironment;
});

/** EventBridge's "Object Created" event of the versioned staging bucket (s3rver sends no version id). */
const objectCreated = (versionId: string, sequencer: string) => ({
  'detail-type': 'Object Created',
  source: 'aws.s3',
  detail: {
    bucket: { name: 'staging' },
    object: { key, size: 3, etag: 'e', 'version-id': versionId, sequencer },
  },
});

describe('transfer starter', () => {
  it('starts one execution per uploaded version: a re-upload after the transfer gets its own', async () => {
    // Prepare
    const { handler } = await import('../../lambdas/workflows/recording-transfer/start-transfer.ts');
    sfn.on(StartExecutionCommand).resolves({});

    // Act: the first upload, then a second PUT to the same key (a new version).
    const first = await handler(objectCreated('v1', '0055AED6DCD90281E5'));
    const second = await handler(objectCreated('v2', '0055AED6DCD90281F0'));

    // Assess
    const names = sfn.commandCalls(StartExecutionCommand).map((call) => call.args[0].input.name);
    expect(first).toEqual({ started: true });
    expect(second).toEqual({ started: true });
    expect(names).toHaveLength(2);
    expect(new Set(names).size).toBe(2);
    for (const name of names) expect(name).toMatch(new RegExp(`^recording-42-${accountId}-[0-9a-f]{16}$`));
    expect(sfn).toHaveReceivedCommandWith(StartExecutionCommand, {
      stateMachineArn: machine,
      input: JSON.stringify({ bucket: 'staging', key }),
    });
  });

  it('changes nothing when EventBridge delivers the same upload again', async () => {
    // Prepare
    const { handler } = await import('../../lambdas/workflows/recording-transfer/start-transfer.ts');
    sfn
      .on(StartExecutionCommand)
      .resolvesOnce({})
      .rejects(new ExecutionAlreadyExists({ message: 'exists', $metadata: {} }));

    // Act
    await handler(objectCreated('v1', '0055AED6DCD90281E5'));
    const repeated = await handler(objectCreated('v1', '0055AED6DCD90281E5'));

    // Assess
    const [first, again] = sfn.commandCalls(StartExecutionCommand).map((call) => call.args[0].input.name);
    expect(repeated).toEqual({ started: false });
    expect(again).toBe(first);
  });
});
