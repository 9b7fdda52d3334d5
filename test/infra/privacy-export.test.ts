import { beforeAll, describe, expect, it } from 'vitest';
import { exportPageConcurrency, exportStates } from '#lib/constructs/privacy-export-workflow';
import { privacyExportStateMachineName } from '#lib/platform/names';
import { type HostingRegionKey, hostingRegionKeys, hostingRegions } from '#lib/residency/index';
import {
  arnText,
  resourcesOfType,
  type SynthesizedPlatform,
  type SynthesizedStack,
  statementsOf,
  synthesizePlatform,
  workflowStacksOf,
} from './platform.ts';

let platform: SynthesizedPlatform;
let workflowStacks: Record<HostingRegionKey, SynthesizedStack>;

beforeAll(() => {
  platform = synthesizePlatform();
  workflowStacks = workflowStacksOf(platform);
}, 120_000);

type State = Record<string, unknown>;
const exportResources = (stack: SynthesizedStack, type: string) =>
  resourcesOfType(stack, type).filter(([id]) => id.startsWith('PrivacyExport'));

function machineOf(region: HostingRegionKey) {
  const [[, machine] = ['', undefined]] = exportResources(
    workflowStacks[region],
    'AWS::StepFunctions::StateMachine',
  );
  return machine?.Properties ?? {};
}
const definitionOf = (region: HostingRegionKey): { StartAt: string; States: Record<string, State> } =>
  JSON.parse(arnText(machineOf(region).DefinitionString));

describe.each(hostingRegionKeys)('privacy export workflow (%s)', (region) => {
  it('is a Standard state machine named after the region, so the API can build its ARN', () => {
    expect(machineOf(region)).toMatchObject({
      StateMachineName: privacyExportStateMachineName(region),
      StateMachineType: 'STANDARD',
    });
  });

  it('marks running, indexes, maps over pages with bounded concurrency, assembles and publishes, with Retry and Catch', () => {
    const { StartAt, States: states } = definitionOf(region);
    const order: string[] = [];
    for (let name: string | undefined = StartAt; name; name = states[name]?.Next as string | undefined)
      order.push(name);
    const map = states[exportStates.pages] ?? {};
    const inner = (map.ItemProcessor as { States: Record<string, State> }).States;
    const allTasks = [...Object.entries(states), ...Object.entries(inner)].filter(
      ([, s]) => s.Type === 'Task',
    );

    expect(order).toEqual([
      exportStates.markRunning,
      exportStates.index,
      exportStates.pages,
      exportStates.assemble,
      exportStates.publish,
      'Exported',
    ]);
    expect(map).toMatchObject({
      Type: 'Map',
      MaxConcurrency: exportPageConcurrency,
      ItemsPath: '$.index.pages',
    });
    expect(exportPageConcurrency).toBeGreaterThan(0);
    expect(allTasks).toHaveLength(6);
    for (const [name, task] of allTasks) {
      const retry = task.Retry as { ErrorEquals: string[]; MaxAttempts: number; BackoffRate?: number }[];
      expect(retry.at(0), name).toEqual({ ErrorEquals: ['RequestNotRunnable'], MaxAttempts: 0 });
      expect(retry.at(-1), name).toMatchObject({ ErrorEquals: ['States.ALL'], BackoffRate: 2 });
    }
    // Every step of the main path (and the Map as a whole) is caught into MarkFailed, which ends failed.
    for (const name of order.slice(0, -1)) {
      expect(states[name]?.Catch, name).toEqual([
        { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: exportStates.markFailed },
      ]);
    }
    expect(states[exportStates.markFailed]).toMatchObject({
      Next: 'ExportFailed',
      Catch: [{ ErrorEquals: ['States.ALL'], Next: 'ExportFailed' }],
    });
    expect(states.ExportFailed?.Type).toBe('Fail');
  });

  it("lets the tasks reach only the region's records table and the exports/ prefix of its exports bucket", () => {
    const stack = workflowStacks[region];
    const taskRoles = exportResources(stack, 'AWS::IAM::Role').filter(([id]) => id.includes('Task'));
    const resources = taskRoles.flatMap(([roleId]) =>
      statementsOf(stack, roleId)
        .filter((s) => s.actions.some((a) => a.startsWith('s3:') || a.startsWith('dynamodb:')))
        .flatMap((s) => s.resources),
    );
    const table = `arn:<AWS::Partition>:dynamodb:${hostingRegions[region].awsRegion}:<AWS::AccountId>:table/helpdesk-${region}-records`;

    expect(taskRoles).toHaveLength(6);
    expect(new Set(resources)).toEqual(
      new Set([
        table,
        `${table}/index/*`,
        `arn:<AWS::Partition>:s3:::helpdesk-${region}-exports-<AWS::AccountId>/exports/*`,
      ]),
    );
    const deletes = taskRoles.flatMap(([roleId]) =>
      statementsOf(stack, roleId).flatMap((s) => s.actions.filter((a) => a.startsWith('s3:Delete'))),
    );
    expect(deletes).toEqual([]);
  });

  it('lets only the privacy requests API function start it, by its deterministic ARN', () => {
    const api = platform.regions[region].api;
    const arn = `arn:<AWS::Partition>:states:${hostingRegions[region].awsRegion}:<AWS::AccountId>:stateMachine:${privacyExportStateMachineName(region)}`;
    const starters = resourcesOfType(api, 'AWS::IAM::Role').flatMap(([roleId]) =>
      statementsOf(api, roleId)
        .filter((s) => s.actions.some((a) => a.startsWith('states:')))
        .filter((s) => s.resources.some((resource) => resource.includes('privacy-export')))
        .map((s) => [roleId.replace(/[0-9A-F]{8}$/, ''), s.actions, s.resources]),
    );
    const fn = resourcesOfType(api, 'AWS::Lambda::Function').find(([id]) =>
      id.startsWith('ApiPrivacyRequests'),
    );
    const env = (fn?.[1].Properties?.Environment as { Variables: Record<string, unknown> }).Variables;

    expect(starters).toEqual([['ApiPrivacyRequestsRole', ['states:StartExecution'], [arn]]]);
    expect(arnText(env.PRIVACY_STATE_MACHINE_ARN)).toBe(arn);
  });
});
