import { Duration, Stack } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement, type Role } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Chain, JsonPath, StateMachine, Succeed, Wait, WaitTime } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { recordingTransferEnvironmentSchema } from '#lib/platform/recording-transfer-environment';
import { bucketName, keyAlias, tableName } from '#lib/platform/names';
import { type HostingRegionKey, hostingRegions, retention } from '#lib/residency/index';
import { grantKeyUseByAlias, keyAliasArn } from './key-grants.ts';
import { acknowledgeNagRule, nagFindingFor } from './nag-acknowledgements.ts';
import { grantSubjectKeyUseIn } from './subject-key-table.ts';
import type { PlatformFunction } from './platform-function.ts';
import { workflowFunctions } from './workflow-functions.ts';
import { grantCallRecordAccess } from './records-table.ts';
import { catchErrorNames, errorNameFail, lambdaTask, workflowStateMachine } from './workflow-parts.ts';

export interface RecordingTransferWorkflowProps {
  /** Where the recordings are staged (this stack's region, the US). */
  readonly stagingRegion: HostingRegionKey;
  /** Where they go (the EEA). */
  readonly homeRegion: HostingRegionKey;
  /** The staging bucket's deterministic name (in this region's data stack). */
  readonly stagingBucketName: string;
  /** This region's data key: the staging bucket is encrypted with it. */
  readonly stagingDataKey: IKey;
  readonly logsKey: IKey;
}

/** Errors that no retry can fix: the workflow stops at once, loudly, leaving the staged original. */
const failingErrors = ['RecordingCopyNotVerified', 'StagedRecordingMissing', 'NotARecordingKey'];
/**
 * Errors that send the workflow to the discard path, at once: the call is gone (deleted, erased, never
 * there), or a re-upload to a call whose recording already moved home is refused.
 */
export const discardErrors = ['CallOfRecordingGone', 'RecordingAlreadyTransferred'];
const permanentErrors = [...failingErrors, ...discardErrors];

/** Names of the workflow's states (operators see them in the console; the local runner uses the hold's). */
export const transferStates = {
  hold: 'HoldInStaging',
  checkBeforeCopy: 'CheckCallBeforeCopy',
  copy: 'CopyToHome',
  checkAfterCopy: 'CheckCallAfterCopy',
  verify: 'VerifyHomeCopy',
  recordLocation: 'RecordLocation',
  deleteStaged: 'DeleteStagedVersions',
  audit: 'RecordStagingDeleted',
  discard: 'DiscardRecording',
} as const;

const tasksEntry = 'lambdas/workflows/recording-transfer/transfer-tasks.ts';

/**
 * Moves recordings staged in this region to their home region after the residency hold: an S3 "Object
 * Created" event (EventBridge) starts a Standard execution named after the recording and its upload,
 * which waits `retention.recordingHoldSeconds`, checks the call is live, copies the object home
 * (encrypted with the home key), checks the call again, verifies size and SHA-256, records the location
 * on the home call record, deletes every staged version and writes the last audit entry. A call found
 * gone before the location is recorded (or a re-upload to a call already transferred) sends it to the
 * discard task instead, which deletes the staged original and what it copied home, and succeeds saying
 * so. Each task has its own role with only what its step needs.
 */
export class RecordingTransferWorkflow extends Construct {
  readonly stateMachine: StateMachine;
  readonly tasks: Readonly<
    Record<
      'checkCall' | 'copy' | 'verify' | 'recordLocation' | 'deleteStaged' | 'audit' | 'discard',
      PlatformFunction
    >
  >;
  readonly starter: PlatformFunction;
  readonly stagingWatch: PlatformFunction;
  readonly alarms: readonly Alarm[];

  constructor(scope: Construct, id: string, props: RecordingTransferWorkflowProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const home = hostingRegions[props.homeRegion].awsRegion;
    const staging = hostingRegions[props.stagingRegion].awsRegion;
    const homeBucket = bucketName(props.homeRegion, 'recordings', stack.account);
    const homeKeyAlias = keyAlias(props.homeRegion, 'data');
    const environment = {
      STAGING_BUCKET: props.stagingBucketName,
      HOME_AWS_REGION: home,
      HOME_RECORDINGS_BUCKET: homeBucket,
      HOME_TABLE_NAME: tableName(props.homeRegion),
      HOME_DATA_KEY: keyAliasArn(stack, home, homeKeyAlias),
      POWERTOOLS_SERVICE_NAME: 'helpdesk-recording-transfer',
    };
    const make = workflowFunctions(this, {
      workflow: 'recording transfer',
      environment,
      environmentSchema: recordingTransferEnvironmentSchema,
      logsKey: props.logsKey,
      logRegion: props.stagingRegion,
      memorySize: 256,
    });
    const fn = (id: string, handler: string, description: string) =>
      make(id, { entry: tasksEntry, handler, description });
    const objects = (bucket: string) =>
      `${stack.formatArn({ service: 's3', region: '', account: '', resource: bucket })}/*`;
    const stagingObjects = objects(props.stagingBucketName);
    const homeObjects = objects(homeBucket);
    const stagingBucketArn = stack.formatArn({
      service: 's3',
      region: '',
      account: '',
      resource: props.stagingBucketName,
    });

    const tasks = {
      checkCall: fn('CheckCallTask', 'checkCall', 'the call is live (before and after the copy)'),
      copy: fn('CopyToHomeTask', 'copyToHome', 'server-side copy to the home bucket'),
      verify: fn('VerifyHomeCopyTask', 'verifyHomeCopy', 'size and SHA-256 of the home copy'),
      recordLocation: fn('RecordLocationTask', 'recordLocation', 'location on the home call record'),
      deleteStaged: fn('DeleteStagedTask', 'deleteStaged', 'delete every staged version'),
      audit: fn('RecordStagingDeletedTask', 'recordStagingDeleted', 'last audit entry'),
      discard: fn('DiscardRecordingTask', 'discardRecording', 'discard a recording whose call is gone'),
    };
    this.tasks = tasks;
    const stagingKeyUse = (role: Role, actions: string[]) =>
      role.addToPrincipalPolicy(
        new PolicyStatement({
          actions,
          resources: [props.stagingDataKey.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `s3.${staging}.amazonaws.com` } },
        }),
      );
    const homeKeyUse = (role: Role, actions: string[], viaServices: string[], reason: string) =>
      grantKeyUseByAlias(role, { awsRegion: home, alias: homeKeyAlias, actions, viaServices, reason });
    const allow = (role: Role, actions: string[], resources: string[], reason?: string) => {
      role.addToPrincipalPolicy(new PolicyStatement({ actions, resources }));
      for (const resource of resources.filter((arn) => arn.endsWith('/*'))) {
        acknowledgeNagRule(
          role,
          `AwsSolutions-IAM5[Resource::${nagFindingFor(role, resource)}]`,
          reason ?? "Recording keys are made at run time; the wildcard spans one bucket's objects.",
        );
      }
    };

    const readHomeCalls = (role: Role) => {
      grantCallRecordAccess(role, tableName(props.homeRegion), home, ['dynamodb:GetItem']);
      homeKeyUse(
        role,
        ['kms:Decrypt'],
        ['dynamodb'],
        'Reading call records of the home table, encrypted with the home data key, named by alias; subject keys are unwrapped with the same key.',
      );
    };
    // Check the call, and the discard: read the home call record (one GetItem), never write it.
    readHomeCalls(tasks.checkCall.role);
    readHomeCalls(tasks.discard.role);
    // Every task reading or writing a home call opens and seals it with its subjects' home keys (the
    // key/* finding is acknowledged with the home key's use above and below, whose reasons say so).
    for (const task of [tasks.checkCall, tasks.discard])
      grantSubjectKeyUseIn(task.role, props.homeRegion, 'open');
    for (const task of [tasks.recordLocation, tasks.audit]) {
      grantSubjectKeyUseIn(task.role, props.homeRegion, 'seal');
    }
    // Copy: read the staged original (the version it copies), write (only) the home recordings bucket,
    // encrypted with the home key.
    allow(tasks.copy.role, ['s3:GetObject', 's3:GetObjectVersion'], [stagingObjects]);
    allow(tasks.copy.role, ['s3:PutObject', 's3:AbortMultipartUpload'], [homeObjects]);
    stagingKeyUse(tasks.copy.role, ['kms:Decrypt']);
    homeKeyUse(
      tasks.copy.role,
      ['kms:GenerateDataKey', 'kms:Encrypt', 'kms:Decrypt'],
      ['s3'],
      "The copy is encrypted with the home region's data key, named by alias (no cross-region import).",
    );
    // Verify: read both sides (on the staging side, the version copied).
    allow(tasks.verify.role, ['s3:GetObject', 's3:GetObjectVersion'], [stagingObjects]);
    allow(tasks.verify.role, ['s3:GetObject'], [homeObjects]);
    stagingKeyUse(tasks.verify.role, ['kms:Decrypt']);
    homeKeyUse(
      tasks.verify.role,
      ['kms:Decrypt'],
      ['s3'],
      'Reading the home copy back to verify it needs the home data key, named by alias.',
    );
    // Record location and the last audit entry: the home call records only (no other item, no index).
    for (const task of [tasks.recordLocation, tasks.audit]) {
      grantCallRecordAccess(task.role, tableName(props.homeRegion), home, [
        'dynamodb:GetItem',
        'dynamodb:PutItem',
      ]);
      homeKeyUse(
        task.role,
        ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'],
        ['dynamodb'],
        'The home records table is encrypted with the home data key, named by alias; subject keys are made and unwrapped with the same key.',
      );
    }
    // Delete: every version of staged objects, nothing else.
    allow(
      tasks.deleteStaged.role,
      ['s3:GetObject', 's3:DeleteObject', 's3:DeleteObjectVersion'],
      [stagingObjects],
    );
    allow(
      tasks.deleteStaged.role,
      ['s3:ListBucket', 's3:ListBucketVersions', 's3:GetBucketVersioning'],
      [stagingBucketArn],
    );
    // Discard: every version of the staged original and of what the copy wrote home. S3's DeleteObjects
    // checks s3:DeleteObject for every key and s3:DeleteObjectVersion for each version named.
    const homeBucketArn = stack.formatArn({ service: 's3', region: '', account: '', resource: homeBucket });
    for (const [objectsArn, bucketArn] of [
      [stagingObjects, stagingBucketArn],
      [homeObjects, homeBucketArn],
    ] as const) {
      allow(tasks.discard.role, ['s3:DeleteObject', 's3:DeleteObjectVersion'], [objectsArn]);
      allow(tasks.discard.role, ['s3:ListBucketVersions', 's3:GetBucketVersioning'], [bucketArn]);
    }

    const retry = { permanentErrors, interval: Duration.seconds(5), maxAttempts: 6 };
    const invoke = (state: string, task: PlatformFunction, resultPath?: string) =>
      lambdaTask(this, state, task, retry, resultPath);
    const failed = errorNameFail(
      this,
      'TransferFailed',
      'The staged original is kept; the alarm on failed executions fires.',
    );
    // Without a result path, the discard's and the last audit's results are the execution's output.
    const discard = invoke(transferStates.discard, tasks.discard);
    discard.next(new Succeed(this, 'Discarded', { comment: 'Nothing of the recording is left anywhere.' }));
    // Up to the commit point (the location recorded on the call), a gone call means discard.
    const beforeCommit = [
      invoke(transferStates.checkBeforeCopy, tasks.checkCall, '$.beforeCopy'),
      invoke(transferStates.copy, tasks.copy, '$.copied'),
      invoke(transferStates.checkAfterCopy, tasks.checkCall, JsonPath.DISCARD),
      invoke(transferStates.verify, tasks.verify, '$.copy'),
      invoke(transferStates.recordLocation, tasks.recordLocation, JsonPath.DISCARD),
    ];
    // The discard reads the caught error's name only (which reason); tried before the failure's Catch.
    catchErrorNames(this, beforeCommit, discard, { errors: discardErrors, passId: 'KeepDiscardReason' });
    const steps = [
      ...beforeCommit,
      invoke(transferStates.deleteStaged, tasks.deleteStaged, '$.deleted'),
      invoke(transferStates.audit, tasks.audit),
    ];
    catchErrorNames(this, [...steps, discard], failed);
    const hold = new Wait(this, transferStates.hold, {
      time: WaitTime.duration(Duration.seconds(retention.recordingHoldSeconds)),
      comment: 'Residency hold: the recording stays in staging for this long before it moves home.',
    });
    let chain = Chain.start(hold);
    for (const step of steps) chain = chain.next(step);
    chain.next(new Succeed(this, 'Transferred'));

    const machine = workflowStateMachine(this, {
      definition: chain,
      comment: `Moves staged call recordings to ${props.homeRegion} after the hold; no copy stays in ${props.stagingRegion}.`,
      timeout: Duration.hours(2),
      region: props.stagingRegion,
      logsKey: props.logsKey,
      tasks: Object.values(tasks),
      alarmDescription: (outcome) =>
        `A recording transfer execution ${outcome}: the recording is still staged.`,
    });
    this.stateMachine = machine.stateMachine;

    this.starter = make('StartTransfer', {
      entry: 'lambdas/workflows/recording-transfer/start-transfer.ts',
      description: 'start on arrival',
      environment: { TRANSFER_STATE_MACHINE_ARN: this.stateMachine.stateMachineArn },
    });
    this.stateMachine.grantStartExecution(this.starter.role);
    new Rule(this, 'RecordingArrived', {
      description: 'A recording arrived in the staging bucket: start its transfer.',
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: { bucket: { name: [props.stagingBucketName] } },
      },
      targets: [
        new LambdaFunction(this.starter.function, { retryAttempts: 185, maxEventAge: Duration.hours(24) }),
      ],
    });

    this.stagingWatch = make('StagingWatch', {
      entry: 'lambdas/workflows/recording-transfer/staging-watch.ts',
      description: 'age of the oldest staged recording',
      environment: { POWERTOOLS_METRICS_NAMESPACE: 'Helpdesk/RecordingTransfer' },
    });
    allow(this.stagingWatch.role, ['s3:ListBucket'], [stagingBucketArn]);
    new Rule(this, 'StagingWatchSchedule', {
      description: 'Measure how long recordings wait in staging.',
      schedule: Schedule.rate(Duration.minutes(5)),
      targets: [new LambdaFunction(this.stagingWatch.function)],
    });

    const stuck = new Metric({
      namespace: 'Helpdesk/RecordingTransfer',
      metricName: 'OldestStagedRecordingAgeSeconds',
      dimensionsMap: { service: environment.POWERTOOLS_SERVICE_NAME },
      statistic: 'Maximum',
      period: Duration.minutes(5),
    });
    this.alarms = [
      ...machine.executionAlarms,
      new Alarm(this, 'RecordingStuckInStaging', {
        alarmDescription:
          'A recording has waited in staging for more than 30 minutes (or the watch stopped reporting).',
        metric: stuck,
        threshold: retention.recordingStagingAlarmSeconds,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: TreatMissingData.BREACHING,
      }),
    ];
  }
}
