import { beforeAll, describe, expect, it } from 'vitest';
import { migrationChunkConcurrency, migrationStates } from '#lib/constructs/migration-workflow';
import { migrationStateMachineName } from '#lib/platform/names';
import { type HostingRegionKey, hostingRegionKeys, hostingRegions } from '#lib/residency/index';
import {
  resourcesOfType,
  stacksOf,
  stateMachineOf,
  stateOrder,
  type SynthesizedPlatform,
  type SynthesizedStack,
  statementsOf,
  synthesizePlatform,
  type WorkflowDefinition,
} from './platform.ts';

let platform: SynthesizedPlatform;
let workflowStacks: Record<HostingRegionKey, SynthesizedStack>;

beforeAll(() => {
  platform = synthesizePlatform();
  workflowStacks = stacksOf(platform, 'workflows');
}, 120_000);

const migrationResources = (stack: SynthesizedStack, type: string) =>
  resourcesOfType(stack, type).filter(([id]) => id.startsWith('Migration'));

const definitionOf = (region: HostingRegionKey) =>
  stateMachineOf(workflowStacks[region], 'Migration').definition;

describe.each(hostingRegionKeys)('migration workflow (%s)', (region) => {
  it('is a Standard state machine named after the region, in the region of its table and bucket', () => {
    expect(stateMachineOf(workflowStacks[region], 'Migration').properties).toMatchObject({
      StateMachineName: migrationStateMachineName(region),
      StateMachineType: 'STANDARD',
    });
  });

  it('splits, then writes companies, people, tickets and conversations each as a bounded Map, then reports; every step retried and caught', () => {
    const { States: states } = definitionOf(region);
    const order = stateOrder(definitionOf(region));
    const phases = Object.values(migrationStates.phases);

    expect(order).toEqual([
      migrationStates.markRunning,
      migrationStates.split,
      ...phases,
      migrationStates.report,
      'Imported',
    ]);
    for (const [key, phase] of Object.entries(migrationStates.phases)) {
      // Each iteration writes a page of chunks (see chunk-pages): a run of millions fits the history.
      expect(states[phase]).toMatchObject({
        Type: 'Map',
        MaxConcurrency: migrationChunkConcurrency,
        ItemsPath: `$.plan.${key}`,
        ItemSelector: {
          'accountId.$': '$.accountId',
          'migrationId.$': '$.migrationId',
          'run.$': '$.run',
          'page.$': '$$.Map.Item.Value',
        },
      });
      const processor = states[phase]?.ItemProcessor as WorkflowDefinition;
      const inner = Object.values(processor.States);
      expect(processor.StartAt).toBe(`${phase}Page`);
      expect(inner.map((state) => state.Type)).toEqual(['Task']);
      expect((inner[0]?.Retry as { ErrorEquals: string[] }[]).at(0)).toEqual({
        ErrorEquals: ['MalformedFile', 'MigrationNotRunnable'],
        MaxAttempts: 0,
      });
    }
    for (const name of order.slice(0, -1)) {
      expect(states[name]?.Catch, name).toEqual([
        { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'KeepErrorName' },
      ]);
    }
    expect(states.KeepErrorName).toMatchObject({ Type: 'Pass', Next: migrationStates.markFailed });
    expect(states[migrationStates.markFailed]).toMatchObject({ Next: 'MigrationFailed' });
  });

  it("lets the tasks reach only the region's records table and the migrations/ prefix of its migrations bucket", () => {
    const stack = workflowStacks[region];
    const taskRoles = migrationResources(stack, 'AWS::IAM::Role').filter(([id]) => id.includes('Task'));
    const resources = taskRoles.flatMap(([roleId]) =>
      statementsOf(stack, roleId)
        .filter((s) => s.actions.some((a) => a.startsWith('s3:') || a.startsWith('dynamodb:')))
        .flatMap((s) => s.resources),
    );
    const table = `arn:<AWS::Partition>:dynamodb:${hostingRegions[region].awsRegion}:<AWS::AccountId>:table/helpdesk-${region}-records`;
    const bucket = `arn:<AWS::Partition>:s3:::helpdesk-${region}-migrations-<AWS::AccountId>`;

    // And the region's subject-key table: imported records are sealed (docs/encryption.md).
    const subjectKeys = `arn:<AWS::Partition>:dynamodb:${hostingRegions[region].awsRegion}:<AWS::AccountId>:table/helpdesk-${region}-subject-keys`;

    expect(taskRoles).toHaveLength(5);
    expect(new Set(resources)).toEqual(
      new Set([
        table,
        `${table}/index/*`,
        subjectKeys,
        `${bucket}/migrations/*`,
        `${bucket}/migration-reports/*`,
        bucket,
      ]),
    );
    // Only the report deletes: the completed migration's working files, under migrations/.
    const deletes = taskRoles.flatMap(([roleId]) =>
      statementsOf(stack, roleId)
        .filter((s) => s.actions.some((a) => a.startsWith('s3:Delete')))
        .map((s) => ({
          role: roleId.replace(/[0-9A-F]{8}$/, '').replace(/^.*(ReportTask).*$/, '$1'),
          actions: s.actions.filter((a) => a.startsWith('s3:Delete')),
          resources: s.resources,
        })),
    );
    expect(deletes).toEqual([
      { role: 'ReportTask', actions: ['s3:DeleteObject'], resources: [`${bucket}/migrations/*`] },
    ]);
  });

  it('lets only the migrations API function start it, watch its executions and reach the migrations bucket', () => {
    const api = platform.regions[region].api;
    const arn = `arn:<AWS::Partition>:states:${hostingRegions[region].awsRegion}:<AWS::AccountId>:stateMachine:${migrationStateMachineName(region)}`;
    const roles = resourcesOfType(api, 'AWS::IAM::Role').map(([roleId]) => roleId);
    const starters = roles.filter((roleId) =>
      statementsOf(api, roleId).some((s) => s.resources.includes(arn)),
    );
    const bucketUsers = roles.filter((roleId) =>
      statementsOf(api, roleId).some((s) =>
        s.resources.some((r) => r.includes(`helpdesk-${region}-migrations-`)),
      ),
    );

    const watched = roles.flatMap((roleId) =>
      statementsOf(api, roleId)
        .filter((s) => s.actions.includes('states:DescribeExecution'))
        .map((s) => ({ role: roleId.replace(/[0-9A-F]{8}$/, ''), resources: s.resources })),
    );

    expect(starters.map((id) => id.replace(/[0-9A-F]{8}$/, ''))).toEqual(['ApiMigrationsRole']);
    // It reads how runs stand (a run whose execution ended is shown failed), on its executions only.
    expect(watched).toEqual([
      {
        role: 'ApiMigrationsRole',
        resources: [`${arn.replace(':stateMachine:', ':execution:')}:*`],
      },
    ]);
    expect(bucketUsers.map((id) => id.replace(/[0-9A-F]{8}$/, ''))).toEqual(['ApiMigrationsRole']);
  });
});
