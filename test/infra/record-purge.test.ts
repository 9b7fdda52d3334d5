import { beforeAll, describe, expect, it } from 'vitest';
import { purgeAfterDays, purgeStates } from '#lib/constructs/record-purge-workflow';
import { recordPurgeStateMachineName } from '#lib/platform/names';
import { type HostingRegionKey, hostingRegionKeys, retention } from '#lib/residency/index';
import {
  resourcesOfType,
  stacksOf,
  stateMachineOf,
  stateOrder,
  type SynthesizedStack,
  statementsOf,
  synthesizePlatform,
} from './platform.ts';

let workflowStacks: Record<HostingRegionKey, SynthesizedStack>;

beforeAll(() => {
  workflowStacks = stacksOf(synthesizePlatform(), 'workflows');
}, 300_000);

const purgeResources = (stack: SynthesizedStack, type: string) =>
  resourcesOfType(stack, type).filter(([id]) => id.startsWith('RecordPurge'));

const roleOf = (region: HostingRegionKey, prefix: string) => {
  const [[id] = ['']] = purgeResources(workflowStacks[region], 'AWS::IAM::Role').filter(([roleId]) =>
    roleId.startsWith(`RecordPurge${prefix}`),
  );
  return id;
};

describe.each(hostingRegionKeys)('record purge workflow (%s)', (region) => {
  it('purges records 60 days after their deletion, the number of the catalogue', () => {
    expect(purgeAfterDays).toBe(retention.trashDays);
    expect(purgeAfterDays).toBe(60);
  });

  it('is a Standard state machine named after the region that loops over pages, with Retry and Catch', () => {
    // Prepare
    const { properties, definition } = stateMachineOf(workflowStacks[region], 'RecordPurge');
    const states = definition.States;
    const page = states[purgeStates.pages] ?? {};
    const retries = page.Retry as { ErrorEquals: string[]; MaxAttempts: number; BackoffRate?: number }[];

    // Assess
    expect(properties).toMatchObject({
      StateMachineName: recordPurgeStateMachineName(region),
      StateMachineType: 'STANDARD',
    });
    expect(stateOrder(definition)).toEqual([purgeStates.prepare, purgeStates.pages, purgeStates.more]);
    expect(states[purgeStates.more]).toMatchObject({
      Type: 'Choice',
      Choices: [{ Variable: '$.more', BooleanEquals: true, Next: purgeStates.pages }],
      Default: 'Done',
    });
    expect(retries[0]).toMatchObject({ ErrorEquals: ['PurgeInputInvalid'], MaxAttempts: 0 });
    expect(retries.at(-1)).toMatchObject({ ErrorEquals: ['States.ALL'], BackoffRate: 2, MaxAttempts: 5 });
    expect(page.Catch).toEqual([
      { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'KeepErrorName' },
    ]);
    expect(states.PurgeFailed).toMatchObject({ Type: 'Fail', ErrorPath: '$.error.Error' });
  });

  it('is started daily, and alarms on failed, timed-out and aborted executions and on a missed day', () => {
    const stack = workflowStacks[region];
    const rules = purgeResources(stack, 'AWS::Events::Rule');
    const alarms = purgeResources(stack, 'AWS::CloudWatch::Alarm').map(([, alarm]) => alarm.Properties);

    expect(rules.map(([, rule]) => rule.Properties?.ScheduleExpression)).toEqual(['rate(1 day)']);
    expect(alarms.map((alarm) => alarm?.MetricName).sort()).toEqual(
      ['ExecutionsAborted', 'ExecutionsFailed', 'ExecutionsStarted', 'ExecutionsTimedOut'].sort(),
    );
    expect(alarms.find((alarm) => alarm?.MetricName === 'ExecutionsStarted')).toMatchObject({
      Period: 86_400,
      EvaluationPeriods: 2,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
    });
  });

  it('lets the page task delete only record objects (accounts/), never read them, and the starter only start the purge', () => {
    // Prepare
    const stack = workflowStacks[region];
    const page = statementsOf(stack, roleOf(region, 'PurgePagesTask'));
    const starter = statementsOf(stack, roleOf(region, 'PurgeSchedule'));
    const s3Actions = page.flatMap((s) => s.actions.filter((a) => a.startsWith('s3:')));
    const objectResources = page
      .filter((s) => s.actions.some((a) => a.startsWith('s3:Delete')))
      .flatMap((s) => s.resources);

    // Assess
    expect([...new Set(s3Actions)].sort()).toEqual(
      ['s3:DeleteObject', 's3:DeleteObjectVersion', 's3:GetBucketVersioning', 's3:ListBucketVersions'].sort(),
    );
    expect(objectResources.every((r) => /\/(accounts\/\*|accounts\/\*\/calls\/\*\/recording)$/.test(r))).toBe(
      true,
    );
    const kms = page.filter((s) => s.actions.includes('kms:Decrypt'));
    expect(JSON.stringify(kms.map((s) => s.condition))).not.toContain('s3.');
    expect(page.flatMap((s) => s.actions)).not.toContain('states:StartExecution');
    expect(
      starter.flatMap((s) => s.actions).filter((a) => !a.startsWith('logs:') && !a.startsWith('xray:')),
    ).toEqual(['states:StartExecution']);
    expect(starter.find((s) => s.actions.includes('states:StartExecution'))?.resources).toEqual([
      expect.stringContaining(`:stateMachine:${recordPurgeStateMachineName(region)}`),
    ]);
  });
});
