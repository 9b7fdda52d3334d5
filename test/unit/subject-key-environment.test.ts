import { describe, expect, it } from 'vitest';
import {
  type ApiResourceNames,
  apiEnvironmentSchema,
  apiFunctionEnvironment,
} from '../../lib/platform/function-access.ts';

const names: ApiResourceNames = {
  region: 'eea',
  tableName: 'helpdesk-eea-records',
  subjectKeyTableName: 'helpdesk-eea-subject-keys',
  buckets: {},
  stateMachineArns: {
    privacyExport: 'arn:aws:states:eu-central-1:123456789012:stateMachine:helpdesk-eea-privacy-export',
    privacyErasure: 'arn:aws:states:eu-central-1:123456789012:stateMachine:helpdesk-eea-privacy-erasure',
    migration: 'arn:aws:states:eu-central-1:123456789012:stateMachine:helpdesk-eea-migration',
    ticketJobs: 'arn:aws:states:eu-central-1:123456789012:stateMachine:helpdesk-eea-ticket-jobs',
  },
  dataKeyId: 'arn:aws:kms:eu-central-1:123456789012:key/0f8fad5b-d9cb-469f-a165-70867728950e',
};

describe("the subject keys in a function's environment", () => {
  it('names the subject-key table and the data key to a function that uses keys', () => {
    // Prepare
    const access = { table: 'readWrite', subjectKeys: ['use'] } as const;

    // Act
    const environment = apiFunctionEnvironment('helpdesk-contacts', access, names);
    const parsed = apiEnvironmentSchema(access).safeParse(environment);
    const without = apiEnvironmentSchema(access).safeParse({
      ...environment,
      SUBJECT_KEY_TABLE_NAME: undefined,
    });

    // Assess
    expect(environment.SUBJECT_KEY_TABLE_NAME).toBe('helpdesk-eea-subject-keys');
    expect(environment.SUBJECT_KEY_KMS_KEY).toBe(names.dataKeyId);
    expect(parsed.success).toBe(true);
    expect(without.success).toBe(false);
  });

  it('names only the table to a function that destroys keys, and neither to the others', () => {
    // Act
    const destroyer = apiFunctionEnvironment(
      'helpdesk-x',
      { table: 'readWrite', subjectKeys: ['destroy'] },
      names,
    );
    const other = apiFunctionEnvironment('helpdesk-y', { table: 'readWrite' }, names);

    // Assess
    expect(destroyer.SUBJECT_KEY_TABLE_NAME).toBe('helpdesk-eea-subject-keys');
    expect(destroyer).not.toHaveProperty('SUBJECT_KEY_KMS_KEY');
    expect(other).not.toHaveProperty('SUBJECT_KEY_TABLE_NAME');
    expect(Object.keys(apiEnvironmentSchema({ table: 'readWrite' }).shape)).not.toContain(
      'SUBJECT_KEY_TABLE_NAME',
    );
  });
});
