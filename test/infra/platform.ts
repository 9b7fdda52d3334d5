import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { expect } from 'vitest';
import { buildApp, type PlatformStacks } from '#lib/app';
import { type BucketKind, bucketDesigns } from '#lib/platform/bucket-design';
import { bucketName, stackNames } from '#lib/platform/names';
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
  /** Each region's data and API stacks, and the API's routes (a nested stack of the API stack). */
  readonly regions: Readonly<
    Record<HostingRegionKey, { data: SynthesizedStack; api: SynthesizedStack; apiRoutes: SynthesizedStack }>
  >;
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
      const routes = Template.fromStack(stacks[region].api.api.routes);
      const apiRoutes = { template: routes, json: routes.toJSON() as SynthesizedStack['json'] };
      return [region, { data: read(names.data), api: read(names.api), apiRoutes }];
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

/** The region's buckets by kind, recognised by their deterministic names. */
export function bucketsByKind(
  stack: SynthesizedStack,
  region: HostingRegionKey,
): Map<BucketKind, [string, CfnResourceJson]> {
  const byName = new Map(
    resourcesOfType(stack, 'AWS::S3::Bucket').map((entry) => [
      joinedName(entry[1].Properties?.BucketName),
      entry,
    ]),
  );
  const found = new Map<BucketKind, [string, CfnResourceJson]>();
  for (const { kind } of bucketDesigns) {
    const entry = byName.get(bucketName(region, kind, '<token>'));
    if (entry) found.set(kind, entry);
  }
  expect(found.size, 'every bucket carries a catalogue name').toBe(byName.size);
  return found;
}

/** Logical id of the KMS key behind an alias. */
export function keyIdOf(stack: SynthesizedStack, alias: string): string {
  const aliases = resourcesOfType(stack, 'AWS::KMS::Alias').filter(
    ([, r]) => r.Properties?.AliasName === alias,
  );
  expect(aliases, `alias ${alias}`).toHaveLength(1);
  const target = aliases[0]?.[1].Properties?.TargetKeyId as { 'Fn::GetAtt': [string, string] };
  return target['Fn::GetAtt'][0];
}

/**
 * An ARN or name as text: literals kept, `{ Ref: X }` as `<X>`, `{ Fn::GetAtt: [R, A] }` as `<R.A>`,
 * `Fn::Join`s joined (e.g. `arn:<AWS::Partition>:s3:::helpdesk-eea-eea-log-copies-<AWS::AccountId>`).
 */
export function arnText(value: unknown): string {
  if (typeof value === 'string') return value;
  const node = value as {
    Ref?: string;
    'Fn::GetAtt'?: [string, string];
    'Fn::Join'?: [string, unknown[]];
    'Fn::ImportValue'?: string;
  };
  if (node.Ref !== undefined) return `<${node.Ref}>`;
  if (node['Fn::ImportValue']) return `<import:${node['Fn::ImportValue']}>`;
  if (node['Fn::GetAtt']) return `<${node['Fn::GetAtt'].join('.')}>`;
  if (node['Fn::Join']) return node['Fn::Join'][1].map(arnText).join(node['Fn::Join'][0]);
  throw new Error(`Not an ARN expression: ${JSON.stringify(value)}`);
}

interface Statement {
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}

/** Every policy statement of a role (by the role's logical id), resources as text. */
export function statementsOf(
  stack: SynthesizedStack,
  roleId: string,
): { actions: string[]; resources: string[]; condition?: unknown }[] {
  return resourcesOfType(stack, 'AWS::IAM::Policy')
    .filter(([, policy]) => JSON.stringify(policy.Properties?.Roles).includes(roleId))
    .flatMap(([, policy]) => (policy.Properties?.PolicyDocument as { Statement: Statement[] }).Statement)
    .map((s) => ({
      actions: [s.Action].flat(),
      resources: [s.Resource].flat().map(arnText),
      condition: s.Condition,
    }));
}

/** One kind of stack (e.g. `workflows`, `data`) of every region, from a synthesized platform. */
export function stacksOf(
  platform: SynthesizedPlatform,
  kind: 'workflows' | 'data',
): Record<HostingRegionKey, SynthesizedStack> {
  return Object.fromEntries(
    hostingRegionKeys.map((region) => {
      const json = platform.assembly.getStackByName(stackNames(region)[kind]).template;
      return [region, { template: Template.fromJSON(json), json }];
    }),
  ) as Record<HostingRegionKey, SynthesizedStack>;
}

/** A state machine's definition, as synthesized. */
export interface WorkflowDefinition {
  readonly StartAt: string;
  readonly States: Record<string, Record<string, unknown>>;
}

/** The state machine a construct put in a stack (logical ids starting `idPrefix`): its properties and definition. */
export function stateMachineOf(
  stack: SynthesizedStack,
  idPrefix: string,
): { properties: Record<string, unknown>; definition: WorkflowDefinition } {
  const [[, machine] = ['', undefined]] = resourcesOfType(stack, 'AWS::StepFunctions::StateMachine').filter(
    ([id]) => id.startsWith(idPrefix),
  );
  const properties = machine?.Properties ?? {};
  return { properties, definition: JSON.parse(arnText(properties.DefinitionString)) as WorkflowDefinition };
}

/** The states an execution passes through by `Next` from `from` (default: the start), in order. */
export function stateOrder(definition: WorkflowDefinition, from = definition.StartAt): string[] {
  const order: string[] = [];
  for (let name: string | undefined = from; name; name = definition.States[name]?.Next as string | undefined)
    order.push(name);
  return order;
}

/** Every state of a definition by name, those inside Map item processors and Parallel branches too. */
export function allStates(definition: WorkflowDefinition): [string, Record<string, unknown>][] {
  return Object.entries(definition.States).flatMap(([name, state]) => {
    const nested = [
      state.ItemProcessor ?? state.Iterator,
      ...((state.Branches as WorkflowDefinition[] | undefined) ?? []),
    ].filter((inner): inner is WorkflowDefinition => inner !== undefined);
    return [[name, state] as [string, Record<string, unknown>], ...nested.flatMap(allStates)];
  });
}

/** Every state machine of every region's Workflows stack, by region and logical id. */
export function everyStateMachine(
  platform: SynthesizedPlatform,
): { region: HostingRegionKey; id: string; definition: WorkflowDefinition }[] {
  return Object.entries(stacksOf(platform, 'workflows')).flatMap(([region, stack]) =>
    resourcesOfType(stack, 'AWS::StepFunctions::StateMachine').map(([id, machine]) => ({
      region: region as HostingRegionKey,
      id,
      definition: JSON.parse(arnText(machine.Properties?.DefinitionString)) as WorkflowDefinition,
    })),
  );
}
