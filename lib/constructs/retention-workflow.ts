import { Duration, Stack } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Choice, Condition, type StateMachine, Succeed } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import {
  privacyErasureStateMachineName,
  retentionStateMachineName,
  stateMachineArn,
} from '#lib/platform/names';
import { retentionEnvironmentSchema } from '#lib/platform/retention-environment';
import type { HostingRegionKey } from '#lib/residency/index';
import type { PlatformFunction } from './platform-function.ts';
import { workflowFunctions } from './workflow-functions.ts';
import { grantRecordTableAccess } from './records-table.ts';
import {
  catchErrorNames,
  errorNameFail,
  grantDataKeyVia,
  lambdaTask,
  workflowStateMachine,
} from './workflow-parts.ts';

export interface RetentionWorkflowProps {
  readonly region: HostingRegionKey;
  /** The region's records table (deterministic name in this region). */
  readonly tableName: string;
  readonly dataKey: IKey;
  readonly logsKey: IKey;
}

/** How often the run starts: daily. */
export const retentionRunRate = Duration.days(1);

/** Names of the workflow's states. */
export const retentionStates = { step: 'RunRetentionStep', more: 'MoreToDo' } as const;

/**
 * Runs every account's retention rules in one hosting region, daily: a starter function (on an
 * EventBridge schedule) starts `retention-<region>-<YYYY-MM-DD>` (a second start that day is a no-op);
 * the Standard execution repeats a bounded step (a few pages of one rule's matches, sent to the trash
 * through their normal soft deletion, or, for inactive contacts, soft erasure requests the step
 * starts on the region's erasure workflow) until every enabled rule is done, and ends with counts per
 * record type. A failed step is retried with backoff; a failure ends the execution and alarms.
 */
export class RetentionWorkflow extends Construct {
  readonly stateMachine: StateMachine;
  readonly step: PlatformFunction;
  readonly starter: PlatformFunction;
  readonly alarms: readonly Alarm[];

  constructor(scope: Construct, id: string, props: RetentionWorkflowProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const fn = workflowFunctions(this, {
      workflow: 'retention',
      environment: {
        HOME_REGION: props.region,
        TABLE_NAME: props.tableName,
        POWERTOOLS_SERVICE_NAME: 'helpdesk-retention',
      },
      environmentSchema: retentionEnvironmentSchema,
      logsKey: props.logsKey,
      logRegion: props.region,
      timeout: Duration.minutes(5),
    });
    // An inactive_contacts rule's matches are soft erasures: the step starts the region's erasure
    // workflow (built from its deterministic name), and nothing else of it.
    const erasureMachineArn = stateMachineArn(
      stack.partition,
      stack.region,
      stack.account,
      privacyErasureStateMachineName(props.region),
    );
    this.step = fn('RunStepTask', {
      entry: 'lambdas/workflows/retention/retention-tasks.ts',
      handler: 'runStep',
      description: "send a few pages of a rule's matches to the trash",
      environment: { ERASURE_STATE_MACHINE_ARN: erasureMachineArn },
    });
    grantRecordTableAccess(this.step.role, props.tableName);
    grantDataKeyVia(this.step.role, props.dataKey, ['dynamodb']);
    this.step.role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['states:StartExecution'], resources: [erasureMachineArn] }),
    );

    // A malformed step input (ZodError) is no retry's to fix; anything else is retried.
    const retry = { permanentErrors: ['ZodError'], interval: Duration.seconds(5), maxAttempts: 5 };
    const step = lambdaTask(this, retentionStates.step, this.step, retry);
    catchErrorNames(this, [step], errorNameFail(this, 'RetentionFailed', 'A step failed past its retries.'));
    const more = new Choice(this, retentionStates.more, {
      comment: 'Another step while rules or pages remain.',
    })
      .when(Condition.booleanEquals('$.done', false), step)
      .otherwise(new Succeed(this, 'RulesRun', { comment: 'Counts per record type in the output.' }));
    const definition = step.next(more);

    const machine = workflowStateMachine(this, {
      definition,
      stateMachineName: retentionStateMachineName(props.region),
      comment: `Runs the retention rules of ${props.region}'s accounts; one execution a day, named after it.`,
      timeout: Duration.hours(23),
      region: props.region,
      logsKey: props.logsKey,
      tasks: [this.step],
      alarmDescription: (outcome) =>
        `The daily retention run ${outcome}: records past their rules stay until the next run; an operator may look.`,
    });
    this.stateMachine = machine.stateMachine;

    // Built from the deterministic name, as the deadline watch does.
    const machineArn = stateMachineArn(
      stack.partition,
      stack.region,
      stack.account,
      retentionStateMachineName(props.region),
    );
    this.starter = fn('DailyStart', {
      entry: 'lambdas/workflows/retention/retention-schedule.ts',
      description: "start the day's retention run",
      environment: { RETENTION_STATE_MACHINE_ARN: machineArn },
    });
    this.starter.role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['states:StartExecution'], resources: [machineArn] }),
    );
    new Rule(this, 'DailySchedule', {
      description: "Start the day's run of the accounts' retention rules.",
      schedule: Schedule.rate(retentionRunRate),
      targets: [new LambdaFunction(this.starter.function)],
    });
    this.alarms = [
      ...machine.executionAlarms,
      new Alarm(this, 'DailyStartFailed', {
        alarmDescription: "The day's retention run could not be started.",
        metric: this.starter.function.metricErrors({ period: Duration.hours(1), statistic: 'Sum' }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    ];
  }
}
