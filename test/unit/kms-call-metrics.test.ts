import { Metrics } from '@aws-lambda-powertools/metrics';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { kmsCallMetrics } from '../../lambdas/adapters/kms-call-metrics.ts';

afterEach(() => vi.restoreAllMocks());

describe("subject keys' KMS call metrics", () => {
  it('counts each GenerateDataKey and Decrypt call in its own metric', () => {
    // Prepare
    const emitted: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      emitted.push(String(chunk));
      return true;
    });
    const metrics = new Metrics({ namespace: 'Helpdesk', serviceName: 'helpdesk-test' });
    const counter = kmsCallMetrics(metrics);

    // Act
    counter.counted('Decrypt');
    counter.counted('GenerateDataKey');
    counter.counted('Decrypt');
    metrics.publishStoredMetrics();

    // Assess
    const [document] = emitted
      .join('')
      .split('\n')
      .filter((line) => line.includes('"_aws"'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(document?.SubjectKeyKmsDecryptCalls).toEqual([1, 1]);
    expect(document?.SubjectKeyKmsGenerateDataKeyCalls).toBe(1);
  });
});
