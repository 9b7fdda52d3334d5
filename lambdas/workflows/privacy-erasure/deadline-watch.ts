import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { privacyMetricsNamespace } from '#lib/platform/privacy-erasure-environment';
import { getErasureRuntime } from './erasure-runtime.ts';

let metrics: Metrics | undefined;

/**
 * The privacy deadline watch, run on a schedule: publishes how many requests are past `due_at` (the
 * overdue alarm's metric; a missing figure alarms too) and starts the purge of every soft erasure's
 * trash whose 60 days are over (and, daily, of trash entries legal holds kept past them). Then it removes attachment objects no record keeps once their upload
 * is due (after the privacy figures are out, so a failing sweep cannot silence the overdue alarm).
 */
export async function handler(): Promise<{ overdue: number; purgesStarted: number; orphansRemoved: number }> {
  const runtime = getErasureRuntime();
  if (!runtime.deadlines) throw new Error('The deadline watch needs ERASURE_STATE_MACHINE_ARN');
  metrics ??= new Metrics({
    namespace: runtime.env.POWERTOOLS_METRICS_NAMESPACE ?? privacyMetricsNamespace,
    serviceName: runtime.env.POWERTOOLS_SERVICE_NAME,
  });
  const overdue = await runtime.deadlines.overdueRequests();
  const purgesStarted = await runtime.deadlines.startDuePurges();
  metrics.addMetric('OverduePrivacyRequests', MetricUnit.Count, overdue);
  metrics.addMetric('TrashPurgesStarted', MetricUnit.Count, purgesStarted);
  metrics.publishStoredMetrics();
  runtime.logger.info('privacy deadlines checked', { overdue, purgesStarted });
  const uploads = await runtime.uploadSweep.sweep();
  metrics.addMetric('OrphanAttachmentsRemoved', MetricUnit.Count, uploads.removed);
  metrics.publishStoredMetrics();
  runtime.logger.info('pending attachment uploads swept', uploads);
  return { overdue, purgesStarted, orphansRemoved: uploads.removed };
}
