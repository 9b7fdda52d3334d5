import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { getTransferRuntime } from './transfer-runtime.ts';

/** The metric the "recording stuck in staging" alarm watches. */
export const oldestStagedMetricName = 'OldestStagedRecordingAgeSeconds';
export const transferMetricsNamespace = 'Helpdesk/RecordingTransfer';

/** Age in seconds of the oldest object in the bucket (0 when empty) and how many there are. */
export async function measureStaging(s3: S3Client, bucket: string, now: Date) {
  let oldest: Date | undefined;
  let count = 0;
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
    for (const object of page.Contents ?? []) {
      count += 1;
      if (object.LastModified && (!oldest || object.LastModified < oldest)) oldest = object.LastModified;
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  const oldestAgeSeconds = oldest ? Math.max(0, Math.floor((now.getTime() - oldest.getTime()) / 1000)) : 0;
  return { oldestAgeSeconds, count };
}

/**
 * Runs every few minutes: publishes how long the oldest recording has waited in staging, so an alarm
 * fires when one has not moved within 30 minutes (the bucket itself never expires it silently).
 */
export const handler = async (): Promise<{ oldestAgeSeconds: number; count: number }> => {
  const { env, clients } = getTransferRuntime();
  const metrics = new Metrics({
    namespace: env.POWERTOOLS_METRICS_NAMESPACE ?? transferMetricsNamespace,
    serviceName: env.POWERTOOLS_SERVICE_NAME,
  });
  const staging = await measureStaging(clients.s3, env.STAGING_BUCKET, new Date());
  metrics.addMetric(oldestStagedMetricName, MetricUnit.Seconds, staging.oldestAgeSeconds);
  metrics.addMetric('StagedRecordings', MetricUnit.Count, staging.count);
  metrics.publishStoredMetrics();
  return staging;
};
