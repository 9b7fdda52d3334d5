import { Duration, Stack } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement, type Role } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import {
  Chain,
  JsonPath,
  Map as MapState,
  Pass,
  type StateMachine,
  Succeed,
  type TaskStateBase,
} from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { privacyErasureStateMachineName, stateMachineArn } from '#lib/platform/names';
import {
  privacyErasureEnvironmentSchema,
  privacyMetricsNamespace,
} from '#lib/platform/privacy-erasure-environment';

import { type HostingRegionKey, trashPrefixes } from '#lib/residency/index';
import type { PlatformFunction } from './platform-function.ts';
import { workflowFunctions } from './workflow-functions.ts';
import { grantStagedRecordingDeletion } from './staged-recording-grants.ts';
import { grantRecordTableAccess } from './records-table.ts';
import { grantSubjectKeyAccess } from './subject-key-table.ts';
import {
  catchErrorNames,
  failurePath,
  grantDataKeyVia,
  grantListingUnder,
  grantObjectPrefix,
  grantPrefixDeletion,
  lambdaTask,
  workflowStateMachine,
} from './workflow-parts.ts';

export interface PrivacyErasureWorkflowProps {
  readonly region: HostingRegionKey;
  /** The region's table and buckets (deterministic names in this region). */
  readonly tableName: string;
  readonly attachmentsBucketName: string;
  /** Absent where the region hosts no recordings. */
  readonly recordingsBucketName?: string;
  readonly trashBucketName: string;
  /** The subject's earlier export bundles are deleted from it. */
  readonly exportsBucketName: string;
  /** The account's migration files are deleted from it before an erasure. */
  readonly migrationsBucketName: string;
  /**
   * Where this region's recordings wait during their hold, in another region (EEA: the US staging
   * bucket, by its deterministic name): the subject's staged recordings are deleted there.
   */
  readonly recordingStaging?: { readonly bucketName: string; readonly awsRegion: string };
  /** Encrypts the table and the buckets, and wraps subjects' keys. */
  readonly dataKey: IKey;
  readonly logsKey: IKey;
  /** The region's subject-key table: the outcome destroys an erased subject's key (docs/encryption.md). */
  readonly subjectKeyTableName: string;
}

/** Names of the workflow's states (operators see them in the console). */
export const erasureStates = {
  prepare: 'NameExecution',
  markStarted: 'MarkStarted',
  index: 'IndexWork',
  pages: 'ProcessPages',
  processPage: 'ProcessPageBatch',
  outcome: 'RecordOutcome',
  markFailed: 'MarkFailed',
} as const;

/** Batches of pages handled at once: bounds the load on the table whatever the subject's size. */
export const erasurePageConcurrency = 4;
/** How often the deadline watch runs: overdue requests alarm within the hour, purges start within it. */
export const deadlineWatchRate = Duration.hours(1);

/**
 * How an erasure waits for a running migration of the account: its start is tried again every 10
 * minutes for 10 hours (within the execution's 12), then the request fails with `MigrationRunning`.
 */
export const migrationWait = { interval: Duration.minutes(10), maxAttempts: 60 } as const;

/** Errors no retry can fix: the request cannot run, or a restore meets a taken unique value. */
const permanentErrors = ['RequestNotRunnable', 'RestoreConflict'];
const tasksEntry = 'lambdas/workflows/privacy-erasure/erasure-tasks.ts';

/**
 * Erases a data subject in one hosting region, and restores or purges a soft erasure's trash: a
 * Standard execution per request and operation (`privacy-<account>-<id>`, `…-restore-<n>`,
 * `…-purge-<n>`) marks it started, snapshots the work by Query (the subject's links, or the
 * trash) into pages and plans batches of consecutive pages (at most 1,000, see workflow-batches),
 * handles the batches (Map, bounded concurrency; page results kept in the trash bucket, never in the
 * state, so millions of records stay within the execution's 25,000 history events and 256 KB state)
 * and records the outcome (certificate, restored, purged) from them. Any failure records the error's
 * name. An hourly deadline watch alarms on overdue requests and starts the purges that are due; it
 * also removes attachment objects no record keeps once their pending upload is due (a day after). Each
 * task has its own role with only what it needs.
 */
export class PrivacyErasureWorkflow extends Construct {
  readonly stateMachine: StateMachine;
  readonly tasks: Readonly<
    Record<'markStarted' | 'index' | 'processPage' | 'outcome' | 'markFailed', PlatformFunction>
  >;
  readonly deadlineWatch: PlatformFunction;
  readonly alarms: readonly Alarm[];

  constructor(scope: Construct, id: string, props: PrivacyErasureWorkflowProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const environment = {
      HOME_REGION: props.region,
      TABLE_NAME: props.tableName,
      ATTACHMENTS_BUCKET: props.attachmentsBucketName,
      RECORDINGS_BUCKET: props.recordingsBucketName,
      TRASH_BUCKET: props.trashBucketName,
      EXPORTS_BUCKET: props.exportsBucketName,
      MIGRATIONS_BUCKET: props.migrationsBucketName,
      RECORDING_STAGING_BUCKET: props.recordingStaging?.bucketName,
      RECORDING_STAGING_REGION: props.recordingStaging?.awsRegion,
      POWERTOOLS_SERVICE_NAME: 'helpdesk-privacy-erasure',
    };
    const make = workflowFunctions(this, {
      workflow: 'privacy erasure',
      environment,
      environmentSchema: privacyErasureEnvironmentSchema,
      logsKey: props.logsKey,
      logRegion: props.region,
    });
    const fn = (id: string, handler: string, description: string) =>
      make(id, { entry: tasksEntry, handler, description });
    const tasks = {
      markStarted: fn('MarkStartedTask', 'markStarted', 'mark the request started'),
      index: fn('IndexWorkTask', 'indexWork', 'snapshot the work by Query'),
      processPage: fn('ProcessPageTask', 'processBatch', 'erase, restore or purge a batch of pages'),
      outcome: fn('RecordOutcomeTask', 'recordOutcome', 'certificate, restored or purged'),
      markFailed: fn('MarkFailedTask', 'markFailed', 'record the failure'),
    };
    this.tasks = tasks;

    const bucketArn = (name: string) =>
      stack.formatArn({ service: 's3', region: '', account: '', resource: name });
    const useDataKey = (role: Role, services: string[]) => grantDataKeyVia(role, props.dataKey, services);
    const readsWork = [tasks.index, tasks.processPage, tasks.outcome];
    const subjectKeys = { tableName: props.subjectKeyTableName, dataKey: props.dataKey };
    for (const task of Object.values(tasks)) {
      grantRecordTableAccess(task.role, props.tableName);
      useDataKey(task.role, readsWork.includes(task) ? ['dynamodb', 's3'] : ['dynamodb']);
    }
    // Only the outcome ends a subject for good: it destroys their key (a tombstone, UpdateItem only).
    grantSubjectKeyAccess(tasks.outcome.role, ['destroy'], subjectKeys);
    const workWhy =
      'Work pages and trash copies are keyed per request at run time, under erasures/ of the trash bucket.';
    // The index reads back a complete index (a later execution of the operation), the outcome the page results.
    grantObjectPrefix(
      tasks.index.role,
      props.trashBucketName,
      'erasures/',
      ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload'],
      workWhy,
    );
    grantObjectPrefix(tasks.outcome.role, props.trashBucketName, 'erasures/', ['s3:GetObject'], workWhy);
    // Each looks for work objects that may not be there yet: S3 answers 404 (not 403) only with ListBucket.
    for (const task of readsWork) grantListingUnder(task.role, props.trashBucketName, 'erasures/');
    grantObjectPrefix(
      tasks.processPage.role,
      props.trashBucketName,
      'erasures/',
      ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
      workWhy,
    );
    // A trash copy a legal hold keeps past the purge moves out of the lifecycle's reach, and back on restore.
    grantObjectPrefix(
      tasks.processPage.role,
      props.trashBucketName,
      trashPrefixes.legalHolds,
      ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
      'Trash copies a legal hold keeps are keyed per request at run time, under legal-holds/ of the trash bucket.',
    );
    grantListingUnder(tasks.processPage.role, props.trashBucketName, trashPrefixes.legalHolds);
    // Records' objects: read (copy to the trash), written back (restore), every version deleted.
    for (const bucket of [props.attachmentsBucketName, props.recordingsBucketName]) {
      if (!bucket) continue;
      grantObjectPrefix(
        tasks.processPage.role,
        bucket,
        'accounts/',
        ['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject', 's3:DeleteObject', 's3:DeleteObjectVersion'],
        'Objects of any record of the region may be erased; keys are ids only, under accounts/.',
      );
      tasks.processPage.role.addToPrincipalPolicy(
        new PolicyStatement({
          actions: ['s3:ListBucketVersions', 's3:GetBucketVersioning', 's3:ListBucket'],
          resources: [bucketArn(bucket)],
        }),
      );
    }
    // A subject's recordings still in their hold in another region: every version deleted there, by
    // a cross-region request (nothing else of that bucket, no key: deleting never decrypts).
    if (props.recordingStaging) {
      grantStagedRecordingDeletion(
        tasks.processPage.role,
        props.recordingStaging.bucketName,
        "An erased subject's calls may have recordings still in their hold; recording keys are made per call at run time, the wildcard spans recording keys of the staging bucket only.",
      );
    }
    // The outcome deletes the bundles of the subject's earlier exports (ids-only keys under exports/).
    grantPrefixDeletion(
      tasks.outcome.role,
      props.exportsBucketName,
      'exports/',
      "Export keys are made per request at run time; the outcome deletes those of the subject's exports.",
    );
    // Before an erasure, the start deletes the account's migration files (uploads, chunks: source rows).
    grantPrefixDeletion(
      tasks.markStarted.role,
      props.migrationsBucketName,
      'migrations/',
      "Migration keys are made per account at run time; an erasure deletes its account's under migrations/.",
    );

    const retry = { permanentErrors, interval: Duration.seconds(2), maxAttempts: 5 };
    const invoke = (state: string, task: PlatformFunction, resultPath?: string) =>
      lambdaTask(this, state, task, retry, resultPath);

    const markFailed = failurePath(
      this,
      'ErasureFailed',
      'The failure is recorded on the request; the alarm on failed executions fires.',
      invoke(erasureStates.markFailed, tasks.markFailed, JsonPath.DISCARD),
    );

    const prepare = new Pass(this, erasureStates.prepare, {
      comment: 'Keeps the ids and adds the execution name, which the certificate cites.',
      parameters: {
        'accountId.$': '$.accountId',
        'requestId.$': '$.requestId',
        'operation.$': '$.operation',
        'execution.$': '$$.Execution.Name',
      },
    });
    const pages = new MapState(this, erasureStates.pages, {
      comment:
        'One iteration per batch of consecutive work index pages, a few at a time; page results stay in the trash bucket.',
      itemsPath: '$.work.batches',
      itemSelector: {
        'accountId.$': '$.accountId',
        'requestId.$': '$.requestId',
        'operation.$': '$.operation',
        'batch.$': '$$.Map.Item.Value',
      },
      maxConcurrency: erasurePageConcurrency,
      resultPath: JsonPath.DISCARD,
    });
    pages.itemProcessor(invoke(erasureStates.processPage, tasks.processPage, JsonPath.DISCARD));
    const markStarted = invoke(erasureStates.markStarted, tasks.markStarted, JsonPath.DISCARD).addRetry({
      errors: ['MigrationRunning'],
      interval: migrationWait.interval,
      backoffRate: 1,
      maxAttempts: migrationWait.maxAttempts,
    });
    const steps = [
      markStarted,
      invoke(erasureStates.index, tasks.index, '$.work'),
      pages,
      invoke(erasureStates.outcome, tasks.outcome, JsonPath.DISCARD),
    ];
    catchErrorNames(this, steps, markFailed);
    let chain = Chain.start(prepare).next(steps[0] as TaskStateBase);
    for (const step of steps.slice(1)) chain = chain.next(step);
    chain.next(new Succeed(this, 'Done'));

    const machine = workflowStateMachine(this, {
      definition: chain,
      stateMachineName: privacyErasureStateMachineName(props.region),
      comment: `Erases a data subject in ${props.region}, or restores or purges a soft erasure's trash; one execution per request and operation.`,
      timeout: Duration.hours(12),
      region: props.region,
      logsKey: props.logsKey,
      tasks: Object.values(tasks),
      alarmDescription: (outcome) => `A privacy erasure execution ${outcome}: the request needs an operator.`,
    });
    this.stateMachine = machine.stateMachine;

    // Built from the deterministic name: the watch starts purges without a reference cycle.
    const machineArn = stateMachineArn(
      stack.partition,
      stack.region,
      stack.account,
      privacyErasureStateMachineName(props.region),
    );
    this.deadlineWatch = make('DeadlineWatch', {
      entry: 'lambdas/workflows/privacy-erasure/deadline-watch.ts',
      description: 'count overdue requests, start due purges, sweep orphan attachments',
      environment: {
        ERASURE_STATE_MACHINE_ARN: machineArn,
        POWERTOOLS_METRICS_NAMESPACE: privacyMetricsNamespace,
      },
    });
    grantRecordTableAccess(this.deadlineWatch.role, props.tableName);
    // The orphan sweep reads an attachment object's size and removes those no record keeps.
    useDataKey(this.deadlineWatch.role, ['dynamodb', 's3']);
    grantObjectPrefix(
      this.deadlineWatch.role,
      props.attachmentsBucketName,
      'accounts/',
      ['s3:GetObject', 's3:DeleteObject'],
      'Attachment keys are ids only, made at run time under accounts/; the sweep removes those no record keeps.',
    );
    this.deadlineWatch.role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['states:StartExecution'], resources: [machineArn] }),
    );
    new Rule(this, 'DeadlineWatchSchedule', {
      description:
        'Count overdue privacy requests, start the purges of trash past its 60 days, remove orphan attachments.',
      schedule: Schedule.rate(deadlineWatchRate),
      targets: [new LambdaFunction(this.deadlineWatch.function)],
    });
    const overdue = new Metric({
      namespace: privacyMetricsNamespace,
      metricName: 'OverduePrivacyRequests',
      dimensionsMap: { service: environment.POWERTOOLS_SERVICE_NAME },
      statistic: 'Maximum',
      period: deadlineWatchRate,
    });
    this.alarms = [
      ...machine.executionAlarms,
      new Alarm(this, 'PrivacyRequestsOverdue', {
        alarmDescription:
          'A data-subject request is past its due date (one month after receipt), or the deadline watch stopped reporting.',
        metric: overdue,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.BREACHING,
      }),
    ];
  }
}
