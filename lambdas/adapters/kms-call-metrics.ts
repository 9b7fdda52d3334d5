import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { KmsCallCounter, KmsOperation } from '#domain/encryption/data-key-provider';

/** The metric each KMS operation of subject keys is counted in (a count of 1 per call). */
export const kmsCallMetricNames = {
  GenerateDataKey: 'SubjectKeyKmsGenerateDataKeyCalls',
  Decrypt: 'SubjectKeyKmsDecryptCalls',
} as const satisfies Record<KmsOperation, string>;

/**
 * Counts subject keys' KMS calls as the function's metrics (embedded metric format), published with
 * the function's other stored metrics (the API's request metrics publish after every request).
 */
export function kmsCallMetrics(metrics: Metrics): KmsCallCounter {
  return {
    counted: (operation) => metrics.addMetric(kmsCallMetricNames[operation], MetricUnit.Count, 1),
  };
}
