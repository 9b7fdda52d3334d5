import { type App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { platformPrefix, stackNames } from '#lib/platform/names';
import { runsWorkflows } from '#lib/platform/workflow-regions';
import { logRoutesCopiedToEea } from '#lib/platform/log-archive';
import { eeaRegionKey, type HostingRegionKey, hostingRegionKeys, hostingRegions } from '#lib/residency/index';
import { ApiStack } from '#lib/stacks/api-stack';
import { DataStack } from '#lib/stacks/data-stack';
import { WorkflowStack } from '#lib/stacks/workflow-stack';

export interface BuildAppOptions {
  /** The AWS account to deploy to; unset keeps the stacks account-agnostic (`AWS::AccountId`). */
  readonly account?: string;
}

export interface RegionStacks {
  readonly data: DataStack;
  readonly api: ApiStack;
  /** Only where the region runs workflows (today the US, for the recording transfer). */
  readonly workflows?: WorkflowStack;
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
    // A stack without resources cannot deploy, so regions without workflows get none (yet).
    const workflows = runsWorkflows(region)
      ? new WorkflowStack(app, names.workflows, {
          region,
          data,
          env,
          description: `Helpdesk ${hostingRegions[region].name}: Step Functions workflows (stateless)`,
        })
      : undefined;
    stacks[region] = { data, api, workflows };
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
