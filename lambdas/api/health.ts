import { z } from 'zod';
import { getRuntime } from '#adapters/runtime';
import { type ApiDependencies, lazyHandler, publicApi } from '#http/api-handler';
import { jsonResponse } from '#http/responses';
import { type HostingRegionKey, hostingRegion } from '#lib/residency/index';

/** What GET /api/v2/health answers. */
export const healthSchema = z.strictObject({
  status: z.literal('ok'),
  region: z.string(),
  region_name: z.string(),
  aws_region: z.string(),
});

/** GET /api/v2/health: liveness of a region's API; no credentials, no data. */
export function createHealthHandler(deps: Pick<ApiDependencies, 'logger' | 'metrics' | 'homeRegion'>) {
  const region = hostingRegion(deps.homeRegion as HostingRegionKey);
  return publicApi(deps, async () =>
    jsonResponse(200, {
      status: 'ok',
      region: region.key,
      region_name: region.name,
      aws_region: region.awsRegion,
    } satisfies z.infer<typeof healthSchema>),
  );
}

export const handler = lazyHandler(() => {
  const runtime = getRuntime('health');
  return createHealthHandler({
    logger: runtime.logger,
    metrics: runtime.metrics,
    homeRegion: runtime.homeRegion,
  });
});
