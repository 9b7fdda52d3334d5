import { performance } from 'node:perf_hooks';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { apiRoutes } from '#lib/platform/api-routes';

/** The only values the `route` dimension can take: the route templates of the API, never a path. */
const routeTemplates = new Set(apiRoutes.map((route) => `${route.method} ${route.path}`));

type Request = middy.Request<APIGatewayProxyEventV2>;

/**
 * Per-request metrics for operators, as embedded metric format in the function's log: `Requests`,
 * `Latency` (ms), `ClientErrors` (4xx) and `ServerErrors` (5xx, 0 or 1 each, so their average is the
 * error rate). Dimensions are fixed, non-personal values only: the service (the function) and the route
 * template (`GET /api/v2/tickets/{id}`); never an account, record id, path, query or header.
 */
export function requestMetrics(
  metrics: Metrics,
  now: () => number = () => performance.now(),
): middy.MiddlewareObj<APIGatewayProxyEventV2> {
  // Per request: one process may serve requests concurrently (locally), so no shared start time.
  const startedAt = new WeakMap<Request, number>();
  const record = (request: Request) => {
    const status = (request.response as { statusCode?: number } | undefined)?.statusCode ?? 500;
    const latency = now() - (startedAt.get(request) ?? now());
    // Added and published in one synchronous step: concurrent requests cannot mix their dimensions.
    metrics.addDimension(
      'route',
      routeTemplates.has(request.event.routeKey) ? request.event.routeKey : 'other',
    );
    metrics.addMetric('Requests', MetricUnit.Count, 1);
    metrics.addMetric('Latency', MetricUnit.Milliseconds, latency);
    metrics.addMetric('ClientErrors', MetricUnit.Count, status >= 400 && status < 500 ? 1 : 0);
    metrics.addMetric('ServerErrors', MetricUnit.Count, status >= 500 ? 1 : 0);
    metrics.publishStoredMetrics();
  };
  return {
    before: (request) => {
      startedAt.set(request, now());
    },
    after: record,
    onError: record,
  };
}
