import { Duration, Stack } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { PolicyStatement, type Role } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import {
  Chain,
  JsonPath,
  Map as MapState,
  type StateMachine,
  Succeed,
  type TaskStateBase,
} from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { migrationEnvironmentSchema } from '#lib/platform/migration-environment';
import { migrationStateMachineName } from '#lib/platform/names';
import type { HostingRegionKey } from '#lib/residency/index';
import type { PlatformFunction } from './platform-function.ts';
import { workflowFunctions } from './workflow-functions.ts';
import { grantRecordTableAccess } from './records-table.ts';
import {
  catchErrorNames,
  failurePath,
  grantDataKeyVia,
  grantObjectPrefix,
  lambdaTask,
  workflowStateMachine,
} from './workflow-parts.ts';

export interface MigrationWorkflowProps {
  readonly region: HostingRegionKey;
  /** The region's records table and migrations bucket (deterministic names in this region). */
  readonly tableName: string;
  readonly migrationsBucketName: string;
  readonly dataKey: IKey;
  readonly logsKey: IKey;
}

/** Names of the workflow's states; the write phases in the order they run. */
export const migrationStates = {
  markRunning: 'MarkRunning',
  split: 'SplitFiles',
  phases: {
    companies: 'WriteCompanies',
    people: 'WritePeople',
    tickets: 'WriteTickets',
    conversations: 'WriteConversations',
  },
  report: 'Report',
  markFailed: 'MarkFailed',
} as const;

/** Pages (so chunks) written at once in each phase: bounds the load on the table whatever the migration's size. */
export const migrationChunkConcurrency = 4;

/** Errors no retry can fix: a malformed file, a run superseded by a later one. */
const permanentErrors = ['MalformedFile', 'MigrationNotRunnable'];
const tasksEntry = 'lambdas/workflows/migration/migration-tasks.ts';

/**
 * Imports a migration in one hosting region: a Standard execution per run (`migration-<account>-<id>-<run>`)
 * marks it running, splits every uploaded file into chunks of mapped, validated records (a malformed
 * file fails the run before anything is written), writes companies, then people, then tickets, then
 * conversations, each phase a Map over pages of its chunks (see chunk-pages: at most 2,000 iterations a
 * run, so any run fits the execution's history) with bounded concurrency, and reports (the error report
 * under migration-reports/, then the migration's uploads, chunks and report parts are deleted). Any
 * failure marks the migration failed; starting it again resumes (written chunks are skipped).
 */
export class MigrationWorkflow extends Construct {
  readonly stateMachine: StateMachine;
  readonly tasks: Readonly<
    Record<'markRunning' | 'split' | 'writePage' | 'report' | 'markFailed', PlatformFunction>
  >;
  readonly alarms: readonly Alarm[];

  constructor(scope: Construct, id: string, props: MigrationWorkflowProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const make = workflowFunctions(this, {
      workflow: 'migration',
      environment: {
        HOME_REGION: props.region,
        TABLE_NAME: props.tableName,
        MIGRATIONS_BUCKET: props.migrationsBucketName,
        POWERTOOLS_SERVICE_NAME: 'helpdesk-migration',
      },
      environmentSchema: migrationEnvironmentSchema,
      logsKey: props.logsKey,
      logRegion: props.region,
    });
    const fn = (id: string, handler: string, description: string, memorySize?: number) =>
      make(id, { entry: tasksEntry, handler, description, memorySize });
    const tasks = {
      markRunning: fn('MarkRunningTask', 'markRunning', 'mark the migration running'),
      split: fn('SplitFilesTask', 'splitFiles', 'read, validate and split the uploaded files'),
      writePage: fn('WritePageTask', 'writePage', 'write one page of chunks of records', 1024),
      report: fn('ReportTask', 'report', 'count and write the error report'),
      markFailed: fn('MarkFailedTask', 'markFailed', 'mark the migration failed'),
    };
    this.tasks = tasks;

    const allowObjects = (role: Role, actions: string[]) =>
      grantObjectPrefix(
        role,
        props.migrationsBucketName,
        'migrations/',
        actions,
        'Migration keys are made per migration at run time; the wildcard spans the migrations/ prefix of one bucket.',
      );
    for (const task of Object.values(tasks)) {
      grantRecordTableAccess(task.role, props.tableName);
      grantDataKeyVia(task.role, props.dataKey, ['dynamodb', 's3']);
    }
    const write = ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload'];
    allowObjects(tasks.split.role, write);
    allowObjects(tasks.writePage.role, write);
    // The report reads the error parts, then deletes the migration's working files once it completes.
    allowObjects(tasks.report.role, ['s3:GetObject', 's3:DeleteObject']);
    grantObjectPrefix(
      tasks.report.role,
      props.migrationsBucketName,
      'migration-reports/',
      ['s3:PutObject', 's3:AbortMultipartUpload'],
      'Report keys are made per migration at run time; the wildcard spans the migration-reports/ prefix of one bucket.',
    );
    // The report lists the migration's error parts (ListBucket cannot be narrowed below the bucket but by prefix).
    tasks.report.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [
          stack.formatArn({ service: 's3', region: '', account: '', resource: props.migrationsBucketName }),
        ],
        conditions: { StringLike: { 's3:prefix': ['migrations/*'] } },
      }),
    );

    const retry = { permanentErrors, interval: Duration.seconds(2), maxAttempts: 5 };
    const invoke = (state: string, task: PlatformFunction, resultPath?: string) =>
      lambdaTask(this, state, task, retry, resultPath);

    const markFailed = failurePath(
      this,
      'MigrationFailed',
      "The migration is marked failed with the error's name; the alarm on failed executions fires.",
      invoke(migrationStates.markFailed, tasks.markFailed, JsonPath.DISCARD),
    );

    const phases = (
      Object.entries(migrationStates.phases) as [keyof typeof migrationStates.phases, string][]
    ).map(([phase, state]) => {
      const map = new MapState(this, state, {
        comment: `The ${phase} chunks, a page per iteration, a few pages at a time; a phase starts once the one before is written.`,
        itemsPath: `$.plan.${phase}`,
        itemSelector: {
          'accountId.$': '$.accountId',
          'migrationId.$': '$.migrationId',
          'run.$': '$.run',
          'page.$': '$$.Map.Item.Value',
        },
        maxConcurrency: migrationChunkConcurrency,
        resultPath: JsonPath.DISCARD,
      });
      map.itemProcessor(invoke(`${state}Page`, tasks.writePage, JsonPath.DISCARD));
      return map;
    });
    const steps = [
      invoke(migrationStates.markRunning, tasks.markRunning, JsonPath.DISCARD),
      invoke(migrationStates.split, tasks.split, '$.plan'),
      ...phases,
      invoke(migrationStates.report, tasks.report, JsonPath.DISCARD),
    ];
    catchErrorNames(this, steps, markFailed);
    let chain = Chain.start(steps[0] as TaskStateBase);
    for (const step of steps.slice(1)) chain = chain.next(step);
    chain.next(new Succeed(this, 'Imported'));

    const machine = workflowStateMachine(this, {
      definition: chain,
      stateMachineName: migrationStateMachineName(props.region),
      comment: `Imports a migration in ${props.region}; one execution per run, named after it.`,
      timeout: Duration.hours(24),
      region: props.region,
      logsKey: props.logsKey,
      tasks: Object.values(tasks),
      alarmDescription: (outcome) =>
        `A migration execution ${outcome}: the admin sees it failed; an operator may look.`,
    });
    this.stateMachine = machine.stateMachine;
    this.alarms = machine.executionAlarms;
  }
}
