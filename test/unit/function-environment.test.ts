import { describe, expect, it } from 'vitest';
import { parseFunctionEnvironment } from '../../lib/platform/function-environment.ts';

describe('function environment', () => {
  const valid = {
    HOME_REGION: 'eea',
    TABLE_NAME: 'helpdesk-eea-records',
    ATTACHMENTS_BUCKET: 'a-bucket',
    TRASH_BUCKET: 't-bucket',
    EXPORTS_BUCKET: 'e-bucket',
    POWERTOOLS_SERVICE_NAME: 'helpdesk-api',
    POWERTOOLS_METRICS_NAMESPACE: 'Helpdesk',
  };

  it('accepts a complete environment without recordings (India, Australia)', () => {
    expect(parseFunctionEnvironment(valid).RECORDINGS_BUCKET).toBeUndefined();
  });

  it('names every missing or invalid variable, not its value', () => {
    expect(() => parseFunctionEnvironment({ ...valid, HOME_REGION: 'mars', TABLE_NAME: undefined })).toThrow(
      'Invalid function environment: HOME_REGION, TABLE_NAME',
    );
  });
});
