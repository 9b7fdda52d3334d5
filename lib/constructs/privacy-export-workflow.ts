import { Duration } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { Role } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import {
  Chain,
  JsonPath,
  Map as MapState,
  StateMachine,
  Succeed,
  type TaskStateBase,
} from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { privacyExportStateMachineName } from '#lib/platform/names';
import { privacyExportEnvironmentSchema } from '#lib/platform/privacy-export-environment';
import type { HostingRegionKey } from '#lib/residency/index';
import type { PlatformFunction } from './platform-function.ts';
import { workflowFunctions } from './workflow-functions.ts';
import { grantRecordTableAccess } from './records-table.ts';
import {
  catchErrorNames,
  failurePath,
  grantDataKeyVia,
  grantListingUnder,
  grantObjectPrefix,
  lambdaTask,
  workflowStateMachine,
} from './workflow-parts.ts';

export interface PrivacyExportWorkflowProps {
  readonly region: HostingRegionKey;
  /** The region's records table and exports bucket (deterministic names in this region). */
  readonly tableName: string;
  readonly exportsBucketName: string;
  /** Where the subject's files are copied from: attachments, and recordings where calls are hosted. */
  readonly attachmentsBucketName: string;
  readonly recordingsBucketName?: string;
  /** Encrypts the table and the bucket. */
  readonly dataKey: IKey;
  readonly logsKey: IKey;
}

/** Names of the workflow's states (operators see them in the console). */
export const exportStates = {
  markRunning: 'MarkRunning',
  index: 'IndexSubjectLinks',
  pages: 'ExportPages',
  exportPage: 'ExportPageBatch',
  copyFiles: 'CopyBatchFiles',
  assemble: 'AssembleBundle',
  publish: 'PublishBundle',
  markFailed: 'MarkFailed',
} as const;

/** Batches of index pages exported at once: bounds the load on the table whatever the subject's size. */
export const exportPageConcurrency = 4;

/** Errors no retry can fix: the request is not verified (or gone). */
const permanentErrors = ['RequestNotRunnable'];
const tasksEntry = 'lambdas/workflows/privacy-export/export-tasks.ts';

/**
 * Exports a data subject's data in one hosting region: a Standard execution named after the request
 * (`privacy-<account>-<id>`) marks it running, pages through the subject index (Query) and plans batches of
 * consecutive pages (at most 1,000, see workflow-batches), exports each batch's pages as NDJSON parts
 * and copies their attachment and recording files into the bundle (Map, bounded concurrency; page
 * results kept in the exports bucket, never in the state, so a subject of millions of records stays
 * within the execution's 25,000 history events and 256 KB state), assembles JSON and CSV per category
 * with a manifest in the exports bucket, and records counts, checksum, the bundle's keys and until
 * when it is offered on the request. Any failure marks the request failed with the error's name. Each
 * task has its own role with only what it needs.
 */
export class PrivacyExportWorkflow extends Construct {
  readonly stateMachine: StateMachine;
  readonly tasks: Readonly<
    Record<
      'markRunning' | 'index' | 'exportPage' | 'copyFiles' | 'assemble' | 'publish' | 'markFailed',
      PlatformFunction
    >
  >;
  readonly alarms: readonly Alarm[];

  constructor(scope: Construct, id: string, props: PrivacyExportWorkflowProps) {
    super(scope, id);
    const make = workflowFunctions(this, {
      workflow: 'privacy export',
      environment: {
        HOME_REGION: props.region,
        TABLE_NAME: props.tableName,
        EXPORTS_BUCKET: props.exportsBucketName,
        ATTACHMENTS_BUCKET: props.attachmentsBucketName,
        ...(props.recordingsBucketName && { RECORDINGS_BUCKET: props.recordingsBucketName }),
        POWERTOOLS_SERVICE_NAME: 'helpdesk-privacy-export',
      },
      environmentSchema: privacyExportEnvironmentSchema,
      logsKey: props.logsKey,
      logRegion: props.region,
    });
    const fn = (id: string, handler: string, description: string) =>
      make(id, { entry: tasksEntry, handler, description });
    const tasks = {
      markRunning: fn('MarkRunningTask', 'markRunning', 'mark the request running'),
      index: fn('IndexSubjectTask', 'indexSubject', 'page through the subject index'),
      exportPage: fn('ExportPageTask', 'exportBatch', 'export a batch of pages of linked records'),
      copyFiles: fn('CopyPageFilesTask', 'copyBatchFiles', "copy a batch's attachment and recording files"),
      assemble: fn('AssembleBundleTask', 'assembleBundle', 'JSON, CSV and manifest per category'),
      publish: fn('PublishBundleTask', 'publishBundle', 'presign and record the result'),
      markFailed: fn('MarkFailedTask', 'markFailed', 'mark the request failed'),
    };
    this.tasks = tasks;

    const allowExports = (role: Role, actions: string[]) =>
      grantObjectPrefix(
        role,
        props.exportsBucketName,
        'exports/',
        actions,
        'Export keys are made per request at run time; the wildcard spans the exports/ prefix of one bucket.',
      );
    const useDataKey = (role: Role, services: string[]) => grantDataKeyVia(role, props.dataKey, services);
    // Every task but the file copy reads the request (or changes its status) in the region's table.
    for (const task of Object.values(tasks)) {
      if (task !== tasks.copyFiles) grantRecordTableAccess(task.role, props.tableName);
    }
    for (const task of [tasks.markRunning, tasks.markFailed, tasks.publish])
      useDataKey(task.role, ['dynamodb']);
    allowExports(tasks.index.role, ['s3:PutObject', 's3:AbortMultipartUpload']);
    allowExports(tasks.exportPage.role, ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload']);
    // The copy reads its page's list and the copies (for their checksums) and writes the copies.
    allowExports(tasks.copyFiles.role, ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload']);
    allowExports(tasks.assemble.role, ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload']);
    // The batch tasks and the assembly look for page results: S3 answers a missing one 404 (not 403) only with ListBucket.
    for (const task of [tasks.exportPage, tasks.copyFiles, tasks.assemble])
      grantListingUnder(task.role, props.exportsBucketName, 'exports/');
    for (const task of [tasks.index, tasks.exportPage, tasks.assemble]) {
      useDataKey(task.role, ['dynamodb', 's3']);
    }
    useDataKey(tasks.copyFiles.role, ['s3']);
    for (const bucketName of [props.attachmentsBucketName, props.recordingsBucketName]) {
      if (bucketName) allowReadingFilesOf(tasks.copyFiles.role, bucketName);
    }

    const retry = { permanentErrors, interval: Duration.seconds(2), maxAttempts: 5 };
    const invoke = (state: string, task: PlatformFunction, resultPath?: string) =>
      lambdaTask(this, state, task, retry, resultPath);

    const markFailed = failurePath(
      this,
      'ExportFailed',
      'The request is marked failed with the error name; the alarm on failed executions fires.',
      invoke(exportStates.markFailed, tasks.markFailed, JsonPath.DISCARD),
    );

    const pages = new MapState(this, exportStates.pages, {
      comment:
        'One iteration per batch of consecutive index pages, a few at a time; page results stay in the exports bucket.',
      itemsPath: '$.index.batches',
      itemSelector: {
        'accountId.$': '$.accountId',
        'requestId.$': '$.requestId',
        'execution.$': '$$.Execution.Name',
        'batch.$': '$$.Map.Item.Value',
      },
      maxConcurrency: exportPageConcurrency,
      resultPath: JsonPath.DISCARD,
    });
    pages.itemProcessor(
      invoke(exportStates.exportPage, tasks.exportPage, JsonPath.DISCARD).next(
        invoke(exportStates.copyFiles, tasks.copyFiles, JsonPath.DISCARD),
      ),
    );
    const steps = [
      invoke(exportStates.markRunning, tasks.markRunning, JsonPath.DISCARD),
      invoke(exportStates.index, tasks.index, '$.index'),
      pages,
      invoke(exportStates.assemble, tasks.assemble, '$.bundle'),
      invoke(exportStates.publish, tasks.publish, JsonPath.DISCARD),
    ];
    catchErrorNames(this, steps, markFailed);
    let chain = Chain.start(steps[0] as TaskStateBase);
    for (const step of steps.slice(1)) chain = chain.next(step);
    chain.next(new Succeed(this, 'Exported'));

    const machine = workflowStateMachine(this, {
      definition: chain,
      stateMachineName: privacyExportStateMachineName(props.region),
      comment: `Exports a data subject's data in ${props.region}; one execution per request, named after it.`,
      timeout: Duration.hours(6),
      region: props.region,
      logsKey: props.logsKey,
      tasks: Object.values(tasks),
      alarmDescription: (outcome) => `A privacy export execution ${outcome}: the request needs an operator.`,
    });
    this.stateMachine = machine.stateMachine;
    this.alarms = machine.executionAlarms;
  }
}

/**
 * The file copy may read (and so copy) the accounts' objects of a bucket, and list it only to learn
 * that an object is missing.
 */
function allowReadingFilesOf(role: Role, bucketName: string): void {
  grantObjectPrefix(
    role,
    bucketName,
    'accounts/',
    ['s3:GetObject'],
    'File keys are made per record at run time; the wildcard spans the accounts/ prefix of one bucket, read only.',
  );
  grantListingUnder(role, bucketName, 'accounts/');
}
