import { subjectKeyTableName } from '#lib/platform/names';
import { hostingRegionKeyOf } from '#lib/residency/index';
import { grantSubjectKeyAccess } from './subject-key-table.ts';
import { type CfnElement, Duration, Stack } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { PolicyStatement, type Role } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { lookupKeyActions, lookupKeyPurpose } from '#lib/platform/lookup-key-encryption';
import {
  type CatchProps,
  DefinitionBody,
  Fail,
  JsonPath,
  type IChainable,
  LogLevel,
  Pass,
  StateMachine,
  StateMachineType,
  type TaskStateBase,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import type { HostingRegionKey } from '#lib/residency/index';
import { acknowledgeNagRule, nagFindingFor } from './nag-acknowledgements.ts';
import type { PlatformFunction } from './platform-function.ts';
import { PlatformLogGroup } from './platform-log-group.ts';

export interface WorkflowRetry {
  /** Error names no retry can fix: the task fails at once. */
  readonly permanentErrors: readonly string[];
  readonly interval: Duration;
  readonly maxAttempts: number;
}

/**
 * A Lambda task state of a platform workflow: the function's own result (no Lambda envelope), never
 * retried on `permanentErrors`, retried with exponential backoff on anything else. Without `resultPath`
 * the result replaces the state's input.
 */
export function lambdaTask(
  scope: Construct,
  state: string,
  task: PlatformFunction,
  retry: WorkflowRetry,
  resultPath?: string,
): TaskStateBase {
  return new LambdaInvoke(scope, state, {
    lambdaFunction: task.function,
    payloadResponseOnly: true,
    ...(resultPath && { resultPath }),
    retryOnServiceExceptions: false,
  })
    .addRetry({ errors: [...retry.permanentErrors], maxAttempts: 0 })
    .addRetry({
      errors: ['States.ALL'],
      interval: retry.interval,
      backoffRate: 2,
      maxAttempts: retry.maxAttempts,
    });
}

export interface WorkflowStateMachineProps {
  readonly definition: IChainable;
  /** A deterministic name when other stacks must name the state machine. */
  readonly stateMachineName?: string;
  readonly comment: string;
  readonly timeout: Duration;
  /** The hosting region whose log archive (helpdesk application logs) keeps the execution logs. */
  readonly region: HostingRegionKey;
  readonly logsKey: IKey;
  /** The task functions the state machine invokes. */
  readonly tasks: readonly PlatformFunction[];
  /** What an operator learns from an alarm on a failed, timed-out or aborted execution. */
  readonly alarmDescription: (outcome: string) => string;
}

/**
 * The Standard state machine every platform workflow runs as, made in `scope` (so its resources keep
 * their ids there): traced, every event logged without execution data into an archived one-year log
 * group, and an alarm for each failed, timed-out or aborted execution.
 */
export function workflowStateMachine(
  scope: Construct,
  props: WorkflowStateMachineProps,
): { stateMachine: StateMachine; executionAlarms: Alarm[] } {
  const logs = new PlatformLogGroup(scope, 'ExecutionLogs', {
    encryptionKey: props.logsKey,
    archive: { region: props.region, route: 'helpdesk-application' },
  });
  const stateMachine = new StateMachine(scope, 'StateMachine', {
    ...(props.stateMachineName && { stateMachineName: props.stateMachineName }),
    stateMachineType: StateMachineType.STANDARD,
    definitionBody: DefinitionBody.fromChainable(props.definition),
    comment: props.comment,
    timeout: props.timeout,
    tracingEnabled: true,
    // Inputs and outputs carry ids only, but execution data stays out of logs by principle.
    logs: { destination: logs.logGroup, level: LogLevel.ALL, includeExecutionData: false },
  });

  const stack = Stack.of(scope);
  for (const task of props.tasks) {
    acknowledgeNagRule(
      stateMachine.role,
      `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(task.function.node.defaultChild as CfnElement)}.Arn>:*]`,
      'CDK grants invoking the task function and its versions; the wildcard spans that one function only.',
    );
  }
  acknowledgeNagRule(
    stateMachine.role,
    'AwsSolutions-IAM5[Resource::*]',
    'X-Ray tracing and CloudWatch Logs delivery (logs:*LogDelivery) support no resource-level permissions.',
  );

  const executionAlarms = (['Failed', 'TimedOut', 'Aborted'] as const).map(
    (outcome) =>
      new Alarm(scope, `Executions${outcome}`, {
        alarmDescription: props.alarmDescription(outcome.toLowerCase()),
        metric: stateMachine.metric(`Executions${outcome}`, {
          statistic: 'Sum',
          period: Duration.minutes(5),
        }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
  );
  return { stateMachine, executionAlarms };
}

/**
 * Lets `role` use the region's data key only through the named services of its own region. A role
 * that reaches the records table (`dynamodb`) also makes and unwraps accounts' lookup keys with it
 * directly (`grantLookupKeys`): every record it reads by value or writes is keyed by them; and it uses
 * subjects' keys (`grantSubjectKeyAccess`, `use`): every record it reads is opened with them and every
 * record it writes sealed (docs/encryption.md).
 */
export function grantDataKeyVia(role: Role, key: IKey, services: readonly string[]): void {
  const region = Stack.of(role).region;
  role.addToPrincipalPolicy(
    new PolicyStatement({
      actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'],
      resources: [key.keyArn],
      conditions: {
        StringEquals: { 'kms:ViaService': services.map((service) => `${service}.${region}.amazonaws.com`) },
      },
    }),
  );
  if (services.includes('dynamodb')) {
    grantLookupKeys(role, key);
    const tableName = subjectKeyTableName(hostingRegionKeyOf(region));
    grantSubjectKeyAccess(role, ['use'], { tableName, dataKey: key });
  }
}

/**
 * Lets `role` make and unwrap accounts' lookup keys (docs/encryption.md, "Keyed lookups") with the
 * data key directly: GenerateDataKey and Decrypt, only with the lookup-key purpose in the context.
 */
export function grantLookupKeys(role: Role, key: IKey): void {
  role.addToPrincipalPolicy(
    new PolicyStatement({
      actions: [...lookupKeyActions],
      resources: [key.keyArn],
      conditions: { StringEquals: { 'kms:EncryptionContext:purpose': lookupKeyPurpose } },
    }),
  );
}

/** Lets `role` act on the objects under `prefix` of a bucket named at deploy time; `why` justifies the wildcard. */
export function grantObjectPrefix(
  role: Role,
  bucketName: string,
  prefix: string,
  actions: string[],
  why: string,
): void {
  const objects = `${Stack.of(role).formatArn({ service: 's3', region: '', account: '', resource: bucketName })}/${prefix}*`;
  role.addToPrincipalPolicy(new PolicyStatement({ actions, resources: [objects] }));
  acknowledgeNagRule(role, `AwsSolutions-IAM5[Resource::${nagFindingFor(role, objects)}]`, why);
}

/**
 * Lets `role` list a bucket named at deploy time, under `prefix` only: S3 answers a missing key 404
 * only to a caller that may list the bucket, 403 to any other (so "not there yet" reads as a failure).
 */
export function grantListingUnder(role: Role, bucketName: string, prefix: string): void {
  role.addToPrincipalPolicy(
    new PolicyStatement({
      actions: ['s3:ListBucket'],
      resources: [Stack.of(role).formatArn({ service: 's3', region: '', account: '', resource: bucketName })],
      conditions: { StringLike: { 's3:prefix': [`${prefix}*`] } },
    }),
  );
}

/**
 * Lets `role` list and delete the objects under `prefix` of a bucket named at deploy time (deleting
 * everything under a prefix needs both; the listing is narrowed to the prefix); `why` justifies the wildcard.
 */
export function grantPrefixDeletion(role: Role, bucketName: string, prefix: string, why: string): void {
  grantObjectPrefix(role, bucketName, prefix, ['s3:DeleteObject'], why);
  grantListingUnder(role, bucketName, prefix);
}

/** Where a Catch puts the caught error: `{ Error, Cause }`, and after `KeepErrorName` only `{ Error }`. */
export const caughtErrorPath = '$.error';

/** The Fail state's fixed cause: the caught error's cause (a message, a stack) never leaves the task's history. */
export const withheldCause =
  "The error's cause is withheld: execution data keeps error names only (docs/personal-data.md).";

/**
 * Catches the errors of `steps` (every error unless `errors` names some) and goes on to `next` with only
 * the error's NAME at `$.error`: each Catch leads to one Pass state (`passId`) that replaces the caught
 * `{ Error, Cause }` by `{ Error }`, so no cause (an error message, a stack trace, which may quote data)
 * reaches a later state, a task's input, the execution's output or its failure. Every workflow's Catch
 * goes through here (asserted over the synthesized templates); Catches are tried in the order added.
 */
export function catchErrorNames(
  scope: Construct,
  steps: readonly { addCatch(handler: IChainable, props?: CatchProps): unknown }[],
  next: IChainable,
  options: { readonly errors?: readonly string[]; readonly passId?: string } = {},
): void {
  const keepName = new Pass(scope, options.passId ?? 'KeepErrorName', {
    comment: "Keeps only the caught error's name: its cause may quote data.",
    parameters: { 'Error.$': `${caughtErrorPath}.Error` },
    resultPath: caughtErrorPath,
  });
  keepName.next(next);
  const errors = [...(options.errors ?? ['States.ALL'])];
  for (const step of steps) step.addCatch(keepName, { errors, resultPath: caughtErrorPath });
}

/** A Fail state ending an execution with the caught error's name (`$.error.Error`) and a fixed cause. */
export function errorNameFail(scope: Construct, id: string, comment: string): Fail {
  return new Fail(scope, id, { comment, errorPath: `${caughtErrorPath}.Error`, cause: withheldCause });
}

/**
 * A workflow's failure path: `markFailed` (which records the failure's name on the business record)
 * ends in a Fail state with the caught error's name, and so does a failing `markFailed` itself (its own
 * error discarded). Hand it to `catchErrorNames` as `next`.
 */
export function failurePath(
  scope: Construct,
  failId: string,
  comment: string,
  markFailed: TaskStateBase,
): TaskStateBase {
  const failed = errorNameFail(scope, failId, comment);
  markFailed.addCatch(failed, { errors: ['States.ALL'], resultPath: JsonPath.DISCARD });
  markFailed.next(failed);
  return markFailed;
}
