import type { HostingRegionKey } from '#lib/residency/index';

/**
 * Whether a hosting region runs Step Functions workflows (and so has a Workflows stack): every region
 * does, for data subjects' requests (export); the recording staging region (US) also runs the
 * transfer of EEA recordings (see `bucketsIn(region)`'s recording-staging bucket).
 */
export function runsWorkflows(_region: HostingRegionKey): boolean {
  return true;
}
