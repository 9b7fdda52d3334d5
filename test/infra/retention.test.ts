import { beforeAll, describe, expect, it } from 'vitest';
import { retentionStates } from '#lib/constructs/retention-workflow';
import { privacyErasureStateMachineName, retentionStateMachineName } from '#lib/platform/names';
import { type HostingRegionKey, hostingRegionKeys, hostingRegions } from '#lib/residency/index';
import {
  resourcesOfType,
  stacksOf,
  stateMachineOf,
  statementsOf,
  type SynthesizedStack,
  synthesizePlatform,
} from './platform.ts';

let workflowStacks: Record<HostingRegionKey, SynthesizedStack>;

beforeAll(() => {
  workflowStacks = stacksOf(synthesizePlatform(), 'workflows');
}, 300_000);

const retentionResources = (stack: SynthesizedStack, type: string) =>
  resourcesOfType(stack, type).filter(([id]) => id.startsWith('Retention'));

describe.each(hostingRegionKeys)('retention workflow (%s)', (region) => {
  const machineArn = () =>
    `arn:<AWS::Partition>:states:${hostingRegions[region].awsRegion}:<AWS::AccountId>:stateMachine:${retentionStateMachineName(region)}`;

  it('repeats one retried, caught step until the rules are done, in a named Standard state machine', () => {
    // Prepare
    const { properties, definition } = stateMachineOf(workflowStacks[region], 'Retention');
    const states = definition.States;

    // Assess
    expect(properties).toMatchObject({
      StateMachineName: retentionStateMachineName(region),
      StateMachineType: 'STANDARD',
    });
    expect(definition.StartAt).toBe(retentionStates.step);
    expect(states[retentionStates.step]).toMatchObject({
      Type: 'Task',
      Next: retentionStates.more,
      Retry: [
        { ErrorEquals: ['ZodError'], MaxAttempts: 0 },
        { ErrorEquals: ['States.ALL'], IntervalSeconds: 5, BackoffRate: 2, MaxAttempts: 5 },
      ],
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'KeepErrorName' }],
    });
    expect(states[retentionStates.more]).toMatchObject({
      Type: 'Choice',
      Choices: [{ Variable: '$.done', BooleanEquals: false, Next: retentionStates.step }],
      Default: 'RulesRun',
    });
    expect(states.KeepErrorName).toMatchObject({ Type: 'Pass', Next: 'RetentionFailed' });
    expect(states.RetentionFailed).toMatchObject({ Type: 'Fail', ErrorPath: '$.error.Error' });
  });

  it('starts daily from a schedule, and alarms on failed, timed-out, aborted runs and a failed start', () => {
    // Prepare
    const stack = workflowStacks[region];
    const rules = retentionResources(stack, 'AWS::Events::Rule');
    const alarms = retentionResources(stack, 'AWS::CloudWatch::Alarm').map(
      ([, alarm]) => alarm.Properties as Record<string, unknown>,
    );

    // Assess
    expect(rules.map(([, rule]) => rule.Properties?.ScheduleExpression)).toEqual(['rate(1 day)']);
    expect(alarms.map((alarm) => alarm.MetricName).sort()).toEqual([
      'Errors',
      'ExecutionsAborted',
      'ExecutionsFailed',
      'ExecutionsTimedOut',
    ]);
    for (const alarm of alarms) expect(alarm).toMatchObject({ Threshold: 1, EvaluationPeriods: 1 });
  });

  it("lets the step reach only the region's records table and start erasures, and the starter only start this state machine", () => {
    // Prepare
    const stack = workflowStacks[region];
    const roles = retentionResources(stack, 'AWS::IAM::Role').map(([id]) => id);
    const stepRole = roles.find((id) => id.includes('RunStepTask')) ?? '';
    const starterRole = roles.find((id) => id.includes('DailyStart')) ?? '';
    const table = `arn:<AWS::Partition>:dynamodb:${hostingRegions[region].awsRegion}:<AWS::AccountId>:table/helpdesk-${region}-records`;
    const reach = (roleId: string, prefix: string) =>
      statementsOf(stack, roleId)
        .filter((s) => s.actions.some((a) => a.startsWith(prefix)))
        .flatMap((s) => s.resources);

    // Assess
    const subjectKeys = `arn:<AWS::Partition>:dynamodb:${hostingRegions[region].awsRegion}:<AWS::AccountId>:table/helpdesk-${region}-subject-keys`;
    expect(new Set(reach(stepRole, 'dynamodb:'))).toEqual(new Set([table, `${table}/index/*`, subjectKeys]));
    expect(reach(stepRole, 's3:')).toEqual([]);
    const erasureMachine = `arn:<AWS::Partition>:states:${hostingRegions[region].awsRegion}:<AWS::AccountId>:stateMachine:${privacyErasureStateMachineName(region)}`;
    expect(
      statementsOf(stack, stepRole).filter((s) => s.actions.some((a) => a.startsWith('states:'))),
    ).toEqual([{ actions: ['states:StartExecution'], resources: [erasureMachine], condition: undefined }]);
    expect(reach(starterRole, 'dynamodb:')).toEqual([]);
    expect(
      statementsOf(stack, starterRole).filter((s) => s.actions.some((a) => a.startsWith('states:'))),
    ).toEqual([{ actions: ['states:StartExecution'], resources: [machineArn()], condition: undefined }]);
  });
});
