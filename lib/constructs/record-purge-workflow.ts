import { Duration, Stack } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Choice, Condition, Pass, type StateMachine, Succeed } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { recordPurgeStateMachineName, stateMachineArn } from '#lib/platform/names';
import { recordPurgeEnvironmentSchema } from '#lib/platform/record-purge-environment';
import { type HostingRegionKey, retention } from '#lib/residency/index';
import type { PlatformFunction } from './platform-function.ts';
import { workflowFunctions } from './workflow-functions.ts';
import { grantRecordTableAccess } from './records-table.ts';
import { grantStagedRecordingDeletion } from './staged-recording-grants.ts';
import {
  catchErrorNames,
  errorNameFail,
  grantDataKeyVia,
  grantObjectPrefix,
  lambdaTask,
  workflowStateMachine,
} from './workflow-parts.ts';

export interface RecordPurgeWorkflowProps {
  readonly region: HostingRegionKey;
  readonly tableName: string;
  readonly attachmentsBucketName: string;
  /** Absent where the region hosts no recordings. */
  readonly recordingsBucketName?: string;
  /** Where this region's recordings wait during their hold, in another region (EEA: the US). */
  readonly recordingStaging?: { readonly bucketName: string; readonly awsRegion: string };
  /** Encrypts the table. */
  readonly dataKey: IKey;
  readonly logsKey: IKey;
}

/** Names of the workflow's states (operators see them in the console). */
export const purgeStates = {
  prepare: 'StartCounts',
  pages: 'PurgeDuePages',
  more: 'MorePages',
} as const;

/** How often the purge runs: daily, so a record goes at most a day after its 60 days. */
export const purgeRate = Duration.days(1);
/** How long soft-deleted records stay restorable before the purge removes them (the catalogue's number). */
export const purgeAfterDays = retention.trashDays;

const permanentErrors = ['PurgeInputInvalid'];

/**
 * The 60-day purge of soft-deleted records in one hosting region (docs/purge.md): a daily rule starts
 * `purge-<region>-<YYYY-MM-DD>` (a second start that day is a no-op), which pages through the records
 * due by its start (the deadlines index, no Scan), purges each page (Retry, then Catch to a Fail with
 * the error's name only), and ends with counts per record kind. A failed page is retried from its
 * cursor; what a failed execution left is due still and the next day's run takes it.
 */
export class RecordPurgeWorkflow extends Construct {
  readonly stateMachine: StateMachine;
  readonly tasks: Readonly<Record<'purgePages', PlatformFunction>>;
  readonly starter: PlatformFunction;
  readonly alarms: readonly Alarm[];

  constructor(scope: Construct, id: string, props: RecordPurgeWorkflowProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const environment = {
      HOME_REGION: props.region,
      TABLE_NAME: props.tableName,
      ATTACHMENTS_BUCKET: props.attachmentsBucketName,
      RECORDINGS_BUCKET: props.recordingsBucketName,
      RECORDING_STAGING_BUCKET: props.recordingStaging?.bucketName,
      RECORDING_STAGING_REGION: props.recordingStaging?.awsRegion,
      POWERTOOLS_SERVICE_NAME: 'helpdesk-record-purge',
    };
    const fn = workflowFunctions(this, {
      workflow: 'record purge',
      environment,
      environmentSchema: recordPurgeEnvironmentSchema,
      logsKey: props.logsKey,
      logRegion: props.region,
    });
    const purgePages = fn('PurgePagesTask', {
      entry: 'lambdas/workflows/record-purge/purge-tasks.ts',
      handler: 'purgePages',
      description: 'purge pages of the records due',
    });
    this.tasks = { purgePages };
    grantRecordTableAccess(purgePages.role, props.tableName);
    // Deleting objects never decrypts: the data key only through DynamoDB.
    grantDataKeyVia(purgePages.role, props.dataKey, ['dynamodb']);
    const bucketArn = (name: string) =>
      stack.formatArn({ service: 's3', region: '', account: '', resource: name });
    for (const bucket of [props.attachmentsBucketName, props.recordingsBucketName]) {
      if (!bucket) continue;
      grantObjectPrefix(
        purgePages.role,
        bucket,
        'accounts/',
        ['s3:DeleteObject', 's3:DeleteObjectVersion'],
        'Objects of any record of the region may be due; keys are ids only, under accounts/.',
      );
      purgePages.role.addToPrincipalPolicy(
        new PolicyStatement({
          actions: ['s3:ListBucketVersions'],
          resources: [bucketArn(bucket)],
          conditions: { StringLike: { 's3:prefix': ['accounts/*'] } },
        }),
      );
      purgePages.role.addToPrincipalPolicy(
        new PolicyStatement({ actions: ['s3:GetBucketVersioning'], resources: [bucketArn(bucket)] }),
      );
    }
    if (props.recordingStaging) {
      grantStagedRecordingDeletion(
        purgePages.role,
        props.recordingStaging.bucketName,
        "A purged call's recording may still be staged; recording keys are made per call at run time, the wildcard spans recording keys of the staging bucket only.",
      );
    }

    const retry = { permanentErrors, interval: Duration.seconds(2), maxAttempts: 5 };
    const prepare = new Pass(this, purgeStates.prepare, {
      comment: 'Keeps the day and the clock, and starts the counts.',
      parameters: { 'day.$': '$.day', 'before.$': '$.before', purged: {}, held: 0, more: true },
    });
    const pages = lambdaTask(this, purgeStates.pages, purgePages, retry);
    catchErrorNames(
      this,
      [pages],
      errorNameFail(this, 'PurgeFailed', 'What is left stays due: the next run takes it; the alarm fires.'),
    );
    const done = new Succeed(this, 'Done', { comment: 'The output: counts per record kind, no ids.' });
    const more = new Choice(this, purgeStates.more)
      .when(Condition.booleanEquals('$.more', true), pages)
      .otherwise(done);
    const definition = prepare.next(pages).next(more);

    const name = recordPurgeStateMachineName(props.region);
    const machine = workflowStateMachine(this, {
      definition,
      stateMachineName: name,
      comment: `Purges the records of ${props.region} soft-deleted ${purgeAfterDays} days ago; one execution per day.`,
      timeout: Duration.hours(23),
      region: props.region,
      logsKey: props.logsKey,
      tasks: [purgePages],
      alarmDescription: (outcome) =>
        `A record purge execution ${outcome}: what is left is purged by the next day's run; see why.`,
    });
    this.stateMachine = machine.stateMachine;

    // Built from the deterministic name, as the deadline watch does.
    const machineArn = stateMachineArn(stack.partition, stack.region, stack.account, name);
    this.starter = fn('PurgeSchedule', {
      entry: 'lambdas/workflows/record-purge/purge-schedule.ts',
      description: "start the day's purge",
      environment: { PURGE_STATE_MACHINE_ARN: machineArn },
    });
    this.starter.role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['states:StartExecution'], resources: [machineArn] }),
    );
    new Rule(this, 'DailyPurgeSchedule', {
      description: `Start the day's purge of records soft-deleted more than ${purgeAfterDays} days ago.`,
      schedule: Schedule.rate(purgeRate),
      targets: [new LambdaFunction(this.starter.function)],
    });
    this.alarms = [
      ...machine.executionAlarms,
      new Alarm(this, 'PurgeNotStarted', {
        alarmDescription:
          'No record purge started for two days: the daily schedule or its starter is broken.',
        metric: machine.stateMachine.metric('ExecutionsStarted', { statistic: 'Sum', period: purgeRate }),
        threshold: 1,
        evaluationPeriods: 2,
        comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
        treatMissingData: TreatMissingData.BREACHING,
      }),
    ];
  }
}
