import { type App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { platformPrefix, stackNames } from '#lib/platform/names';
import { logRoutesCopiedToEea } from '#lib/platform/log-archive';
import { eeaRegionKey, type HostingRegionKey, hostingRegionKeys, hostingRegions } from '#lib/residency/index';
import { ApiStack } from '#lib/stacks/api-stack';
import { DataStack } from '#lib/stacks/data-stack';

export interface BuildAppOptions {
  /** The AWS account to deploy to; unset keeps the stacks account-agnostic (`AWS::AccountId`). */
  readonly account?: string;
}

export interface RegionStacks {
  readonly data: DataStack;
  readonly api: ApiStack;
}

export type PlatformStacks = Readonly<Record<HostingRegionKey, RegionStacks>>;

/**
 * The whole platform: a data and an API stack per hosting region of the residency catalogue, each pinned
 * to the catalogue's AWS region, checked by cdk-nag's AWS Solutions rules at synthesis. Deploy order:
 * the EEA data stack, then the other data stacks (US and India copy logs into it), then each region's
 * API stack after its data stack.
 */
export function buildApp(app: App, options: BuildAppOptions = {}): PlatformStacks {
  // Acknowledged findings are also written into the templates' Metadata (`cdk_nag`) for auditors.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { writeSuppressionsToCloudFormation: true }));
  Tags.of(app).add('platform', platformPrefix);

  const stacks = {} as Record<HostingRegionKey, RegionStacks>;
  for (const region of hostingRegionKeys) {
    const env = { account: options.account, region: hostingRegions[region].awsRegion };
    const names = stackNames(region);
    const data = new DataStack(app, names.data, {
      region,
      env,
      description: `Helpdesk ${hostingRegions[region].name}: keys, records table, buckets, trail, backups (stateful)`,
    });
    const api = new ApiStack(app, names.api, {
      region,
      data,
      env,
      description: `Helpdesk ${hostingRegions[region].name}: regional HTTP API (stateless)`,
    });
    stacks[region] = { data, api };
  }

  // Deploy order: the US and India data stacks replicate logs into the EEA log-copy bucket, which S3
  // requires to exist, so the EEA data stack deploys first. A dependency across regions only orders
  // the deployments (`cdk deploy 'Helpdesk-us-*'` deploys Helpdesk-eea-Data first); nothing is exported.
  for (const region of hostingRegionKeys) {
    if (logRoutesCopiedToEea(region).length > 0)
      stacks[region].data.addStackDependency(stacks[eeaRegionKey].data);
  }
  return stacks;
}
