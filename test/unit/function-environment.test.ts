import { describe, expect, it } from 'vitest';
import { attachmentKey } from '../../lambdas/domain/attachments/attachment-service.ts';
import { recordingKey } from '../../lambdas/domain/calls/call-service.ts';
import { migrationKeys } from '../../lambdas/domain/migrations/migration-files.ts';
import { exportKeys } from '../../lambdas/domain/privacy/export-keys.ts';
import { apiFunctions } from '../../lib/platform/api-routes.ts';
import { apiBucketSettings, apiEnvironmentSchema } from '../../lib/platform/function-access.ts';
import { parseEnvironment } from '../../lib/platform/function-environment.ts';

const base = {
  HOME_REGION: 'eea',
  POWERTOOLS_SERVICE_NAME: 'helpdesk-api',
  POWERTOOLS_METRICS_NAMESPACE: 'Helpdesk',
};

describe('API function environments, derived from what each function may reach', () => {
  it('gives health and the OpenAPI document no table, bucket or workflow', () => {
    // Act
    const keys = ['health', 'openapi'].map((name) =>
      Object.keys(apiEnvironmentSchema(apiFunctions[name as 'health'].access).shape).sort(),
    );

    // Assess
    expect(keys).toEqual([Object.keys(base).sort(), Object.keys(base).sort()]);
  });

  it('requires exactly the variables a function declared, and parses away the others', () => {
    // Prepare
    const schema = apiEnvironmentSchema(apiFunctions.tickets.access);
    const env = {
      ...base,
      TABLE_NAME: 'helpdesk-eea-records',
      ATTACHMENTS_BUCKET: 'a-bucket',
      PORTAL_SECRET_KEY: 'alias/helpdesk-eea-data',
      EXPORTS_BUCKET: 'not-for-tickets',
      ERASURE_STATE_MACHINE_ARN: 'arn:aws:states:eu-central-1:123456789012:stateMachine:x',
    };

    // Act
    const parsed = parseEnvironment(schema, env);

    // Assess
    expect(parsed).toEqual({
      ...base,
      TABLE_NAME: 'helpdesk-eea-records',
      ATTACHMENTS_BUCKET: 'a-bucket',
      PORTAL_SECRET_KEY: 'alias/helpdesk-eea-data',
    });
    expect(() => parseEnvironment(schema, { ...env, ATTACHMENTS_BUCKET: undefined })).toThrow(
      'Invalid function environment: ATTACHMENTS_BUCKET',
    );
  });

  it('accepts a calls function without recordings (India, Australia) or staging (US)', () => {
    const schema = apiEnvironmentSchema(apiFunctions.calls.access);
    expect(parseEnvironment(schema, { ...base, TABLE_NAME: 'helpdesk-in-records' })).not.toHaveProperty(
      'RECORDINGS_BUCKET',
    );
  });

  it('names every missing or invalid variable, not its value', () => {
    const schema = apiEnvironmentSchema(apiFunctions.privacyRequests.access);
    expect(() => parseEnvironment(schema, { ...base, HOME_REGION: 'mars' })).toThrow(
      'Invalid function environment: HOME_REGION, TABLE_NAME, EXPORTS_BUCKET, PRIVACY_STATE_MACHINE_ARN, ERASURE_STATE_MACHINE_ARN',
    );
  });

  it('grants object access under prefixes every object key of that bucket starts with', () => {
    // The IAM grants reach `<bucket>/<prefix>*` only: a key outside the prefix would be refused on AWS.
    const keys = {
      attachments: attachmentKey('acct', 1, 2),
      recordings: recordingKey('acct', 3),
      recordingUploads: recordingKey('acct', 3),
      exports: exportKeys('acct', 4).index(0),
      migrations: migrationKeys.upload('acct', 5, 'tickets', 'csv'),
    };
    for (const [bucket, key] of Object.entries(keys)) {
      expect(key.startsWith(apiBucketSettings[bucket as keyof typeof apiBucketSettings].prefix), bucket).toBe(
        true,
      );
    }
  });
});
