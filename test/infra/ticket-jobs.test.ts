import { beforeAll, describe, expect, it } from 'vitest';
import { ticketJobStates, ticketJobTimeout } from '#lib/constructs/ticket-job-workflow';
import { ticketJobStateMachineName } from '#lib/platform/names';
import { type HostingRegionKey, hostingRegionKeys, hostingRegions } from '#lib/residency/index';
import {
  resourcesOfType,
  stacksOf,
  stateMachineOf,
  statementsOf,
  type SynthesizedPlatform,
  type SynthesizedStack,
  synthesizePlatform,
} from './platform.ts';

let platform: SynthesizedPlatform;
let workflowStacks: Record<HostingRegionKey, SynthesizedStack>;

beforeAll(() => {
  platform = synthesizePlatform();
  workflowStacks = stacksOf(platform, 'workflows');
}, 300_000);

const jobResources = (stack: SynthesizedStack, type: string) =>
  resourcesOfType(stack, type).filter(([id]) => id.startsWith('TicketJobs'));

describe.each(hostingRegionKeys)('ticket job workflow (%s)', (region) => {
  const awsRegion = hostingRegions[region].awsRegion;
  const machineArn = `arn:<AWS::Partition>:states:${awsRegion}:<AWS::AccountId>:stateMachine:${ticketJobStateMachineName(region)}`;

  it('repeats one retried step until every ticket is done; a failure marks the job failed, by name only', () => {
    // Prepare
    const { properties, definition } = stateMachineOf(workflowStacks[region], 'TicketJobs');
    const states = definition.States;

    // Assess
    expect(properties).toMatchObject({
      StateMachineName: ticketJobStateMachineName(region),
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: { IncludeExecutionData: false, Level: 'ALL' },
    });
    expect(ticketJobTimeout.toSeconds()).toBe(3600);
    expect(definition).toMatchObject({ StartAt: ticketJobStates.step, TimeoutSeconds: 3600 });
    expect(states[ticketJobStates.step]).toMatchObject({
      Type: 'Task',
      Next: ticketJobStates.more,
      Retry: [
        { ErrorEquals: ['ZodError', 'TicketJobNotFound'], MaxAttempts: 0 },
        { ErrorEquals: ['States.ALL'], IntervalSeconds: 2, BackoffRate: 2, MaxAttempts: 5 },
      ],
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'KeepErrorName' }],
    });
    expect(states[ticketJobStates.more]).toMatchObject({
      Type: 'Choice',
      Choices: [{ Variable: '$.done', BooleanEquals: false, Next: ticketJobStates.step }],
      Default: 'JobCompleted',
    });
    expect(states.KeepErrorName).toMatchObject({ Type: 'Pass', Next: ticketJobStates.markFailed });
    expect(states[ticketJobStates.markFailed]).toMatchObject({ Type: 'Task', Next: 'JobFailed' });
    expect(states.JobFailed).toMatchObject({ Type: 'Fail', ErrorPath: '$.error.Error' });
  });

  it('alarms on failed, timed-out and aborted executions', () => {
    // Prepare
    const alarms = jobResources(workflowStacks[region], 'AWS::CloudWatch::Alarm').map(
      ([, alarm]) => alarm.Properties as Record<string, unknown>,
    );

    // Assess
    expect(alarms.map((alarm) => alarm.MetricName).sort()).toEqual([
      'ExecutionsAborted',
      'ExecutionsFailed',
      'ExecutionsTimedOut',
    ]);
    for (const alarm of alarms) expect(alarm).toMatchObject({ Threshold: 1, EvaluationPeriods: 1 });
  });

  it("lets its tasks reach the region's records table and nothing else: no bucket, no workflow", () => {
    // Prepare
    const stack = workflowStacks[region];
    const roles = jobResources(stack, 'AWS::IAM::Role')
      .map(([id]) => id)
      .filter((id) => id.includes('Task'));
    const table = `arn:<AWS::Partition>:dynamodb:${awsRegion}:<AWS::AccountId>:table/helpdesk-${region}-records`;

    // Assess
    expect(roles).toHaveLength(2);
    for (const role of roles) {
      const statements = statementsOf(stack, role);
      const services = new Set(statements.flatMap((s) => s.actions.map((action) => action.split(':')[0])));
      expect([...services].sort(), role).toEqual(
        ['dynamodb', 'kms', 'logs', 'xray'].filter((s) => services.has(s)),
      );
      expect(services.has('s3') || services.has('states'), role).toBe(false);
      const tables = statements.filter((s) => s.actions.some((a) => a.startsWith('dynamodb:')));
      const subjectKeys = `arn:<AWS::Partition>:dynamodb:${awsRegion}:<AWS::AccountId>:table/helpdesk-${region}-subject-keys`;
      expect(new Set(tables.flatMap((s) => s.resources)), role).toEqual(
        new Set([table, `${table}/index/*`, subjectKeys]),
      );
      // The data key through DynamoDB, and directly only to make and unwrap lookup and subject keys.
      const keyUses = statements.filter((s) => s.actions.some((a) => a.startsWith('kms:')));
      expect(
        keyUses
          .map((use) => use.condition)
          .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
        role,
      ).toEqual([
        { StringEquals: { 'kms:EncryptionContext:purpose': 'lookup-key' } },
        { StringEquals: { 'kms:EncryptionContext:purpose': 'subject-key' } },
        { StringEquals: { 'kms:ViaService': `dynamodb.${awsRegion}.amazonaws.com` } },
        { StringEquals: { 'kms:ViaService': [`dynamodb.${awsRegion}.amazonaws.com`] } },
      ]);
      const lookupKeys = keyUses.find((use) => JSON.stringify(use.condition).includes('lookup-key'));
      expect(lookupKeys?.actions, role).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
    }
  });

  it('may be started by the ticketJobs API function only, which may do nothing else with it', () => {
    // Prepare
    const api = platform.regions[region].api;
    const grants = resourcesOfType(api, 'AWS::IAM::Role').flatMap(([roleId]) =>
      statementsOf(api, roleId)
        .filter((s) => s.resources.some((resource) => resource.includes(ticketJobStateMachineName(region))))
        .map((s) => ({ roleId, actions: s.actions, resources: s.resources })),
    );

    // Assess
    expect(grants).toHaveLength(1);
    expect(grants[0]?.roleId).toMatch(/^ApiTicketJobsRole/);
    expect(grants[0]).toMatchObject({ actions: ['states:StartExecution'], resources: [machineArn] });
  });
});
