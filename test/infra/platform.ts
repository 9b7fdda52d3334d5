import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { buildApp, type PlatformStacks } from '#lib/app';
import { stackNames } from '#lib/platform/names';
import { type HostingRegionKey, hostingRegionKeys } from '#lib/residency/index';

/** A stack's synthesized template, for `assertions` and as raw JSON. */
export interface SynthesizedStack {
  readonly template: Template;
  readonly json: Record<string, unknown> & { Resources: Record<string, CfnResourceJson> };
}

export interface CfnResourceJson {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly Metadata?: Record<string, unknown>;
  readonly DeletionPolicy?: string;
}

export interface SynthesizedPlatform {
  readonly app: App;
  readonly stacks: PlatformStacks;
  readonly assembly: CloudAssembly;
  readonly regions: Readonly<Record<HostingRegionKey, { data: SynthesizedStack; api: SynthesizedStack }>>;
}

/**
 * Builds the whole app (every region, cdk-nag registered) and synthesizes it once. Bundling is skipped:
 * templates still reference an asset, but esbuild does not run, which keeps the suite fast.
 */
export function synthesizePlatform(): SynthesizedPlatform {
  const app = new App({
    context: { 'aws:cdk:bundling-stacks': [] },
    outdir: mkdtempSync(join(tmpdir(), 'helpdesk-infra-')),
  });
  const stacks = buildApp(app);
  const assembly = app.synth();
  const read = (stackName: string): SynthesizedStack => {
    const json = assembly.getStackByName(stackName).template;
    return { template: Template.fromJSON(json), json };
  };
  const regions = Object.fromEntries(
    hostingRegionKeys.map((region) => {
      const names = stackNames(region);
      return [region, { data: read(names.data), api: read(names.api) }];
    }),
  ) as SynthesizedPlatform['regions'];
  return { app, stacks, assembly, regions };
}

/** Resources of one CloudFormation type, by logical id. */
export function resourcesOfType(stack: SynthesizedStack, type: string): [string, CfnResourceJson][] {
  return Object.entries(stack.json.Resources).filter(([, resource]) => resource.Type === type);
}

/** The literal prefix of a `Fn::Join`ed physical name (e.g. `helpdesk-us-logs-` before the account id). */
export function joinedName(value: unknown): string {
  if (typeof value === 'string') return value;
  const join = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (!join) throw new Error(`Not a literal or Fn::Join: ${JSON.stringify(value)}`);
  return join[1].map((part) => (typeof part === 'string' ? part : '<token>')).join(join[0]);
}
