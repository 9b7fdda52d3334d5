import { bucketsIn } from './bucket-design.ts';
import type { HostingRegionKey } from '#lib/residency/index';

/**
 * Whether a hosting region runs Step Functions workflows (and so has a Workflows stack): today the
 * recording staging region, which moves EEA recordings home.
 */
export function runsWorkflows(region: HostingRegionKey): boolean {
  return bucketsIn(region).some((design) => design.kind === 'recording-staging');
}
