import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

const dynamo = mockClient(DynamoDBDocumentClient);
afterEach(() => dynamo.reset());

beforeAll(() => {
  vi.stubEnv('AWS_REGION', 'eu-central-1');
  vi.stubEnv('HOME_REGION', 'eea');
  vi.stubEnv('TABLE_NAME', 'helpdesk-eea-records');
  vi.stubEnv('ATTACHMENTS_BUCKET', 'attachments-bucket');
  vi.stubEnv('TRASH_BUCKET', 'trash-bucket');
  vi.stubEnv('EXPORTS_BUCKET', 'exports-bucket');
  vi.stubEnv('MIGRATIONS_BUCKET', 'migrations-bucket');
  // EEA recordings wait in US staging: the EEA erasure deletes a subject's staged recordings there.
  vi.stubEnv('RECORDING_STAGING_BUCKET', 'recording-staging-bucket');
  vi.stubEnv('RECORDING_STAGING_REGION', 'us-east-1');
  vi.stubEnv('POWERTOOLS_SERVICE_NAME', 'helpdesk-test');
  return () => vi.unstubAllEnvs();
});

/** An SDK error whose message quotes an item's value, as a validation error may. */
const quotingError = () =>
  Object.assign(new Error('One or more parameter values were invalid: jane.doe@example.test'), {
    name: 'ValidationException',
  });

const input = { accountId: '0f8fad5b-d9cb-469f-a165-70867728950e', requestId: 7, migrationId: 7, run: 1 };

describe('workflow tasks', () => {
  it.each([
    [
      'privacy erasure',
      async () => (await import('../../lambdas/workflows/privacy-erasure/erasure-tasks.ts')).markStarted,
      { ...input, operation: 'erase' },
    ],
    [
      'privacy export',
      async () => (await import('../../lambdas/workflows/privacy-export/export-tasks.ts')).markRunning,
      input,
    ],
    [
      'migration',
      async () => (await import('../../lambdas/workflows/migration/migration-tasks.ts')).markRunning,
      input,
    ],
    [
      'retention',
      async () => (await import('../../lambdas/workflows/retention/retention-tasks.ts')).runStep,
      {
        at: '2026-12-01T00:00:00.000Z',
        rule: { position: 'p', accountId: input.accountId, policyId: 3 },
        counts: {},
      },
    ],
  ] as const)(
    '%s: fail with the error name only, never its message (it becomes the execution history cause)',
    async (_workflow, load, event) => {
      // Prepare
      dynamo.on(GetCommand).rejects(quotingError());
      const task = (await load()) as (event: unknown) => Promise<unknown>;

      // Act
      const failure = (await task(event).catch((error: unknown) => error)) as Error;

      // Assess: Retry and Catch still match the name; nothing of the message is left to serialize.
      expect(failure.name).toBe('ValidationException');
      expect(`${failure.message}\n${failure.stack}`).not.toContain('jane.doe');
      expect(JSON.stringify(failure)).not.toContain('jane.doe');
    },
  );
});
