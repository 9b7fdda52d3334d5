import { Duration } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Choice, Condition, JsonPath, type StateMachine, Succeed } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { ticketJobStateMachineName } from '#lib/platform/names';
import { ticketJobEnvironmentSchema } from '#lib/platform/ticket-job-environment';
import { ticketJobTimeoutMinutes } from '#lib/platform/ticket-job-limits';
import type { HostingRegionKey } from '#lib/residency/index';
import type { PlatformFunction } from './platform-function.ts';
import { grantRecordTableAccess } from './records-table.ts';
import { workflowFunctions } from './workflow-functions.ts';
import {
  catchErrorNames,
  failurePath,
  grantDataKeyVia,
  lambdaTask,
  workflowStateMachine,
} from './workflow-parts.ts';

export interface TicketJobWorkflowProps {
  readonly region: HostingRegionKey;
  /** The region's records table (deterministic name in this region). */
  readonly tableName: string;
  readonly dataKey: IKey;
  readonly logsKey: IKey;
}

/** Names of the workflow's states. */
export const ticketJobStates = {
  step: 'ChangeTickets',
  more: 'MoreTickets',
  markFailed: 'MarkJobFailed',
} as const;

/** How long a job may run (lib/platform/ticket-job-limits.ts). */
export const ticketJobTimeout = Duration.minutes(ticketJobTimeoutMinutes);

/**
 * Applies a bulk ticket job (v2 `bulk_update`, `bulk_delete`) in one hosting region: a Standard
 * execution per job (`ticket-job-<account>-<job>`, input ids only) repeats a step that changes the next
 * few tickets as the asking agent and records each outcome, until every ticket has one; the step is
 * idempotent (lambdas/domain/ticket-jobs/ticket-job-run.ts), so Retry with backoff is safe. A failure
 * past the retries marks the job failed with the error's name and alarms.
 */
export class TicketJobWorkflow extends Construct {
  readonly stateMachine: StateMachine;
  readonly tasks: Readonly<Record<'step' | 'markFailed', PlatformFunction>>;
  readonly alarms: readonly Alarm[];

  constructor(scope: Construct, id: string, props: TicketJobWorkflowProps) {
    super(scope, id);
    const fn = workflowFunctions(this, {
      workflow: 'ticket jobs',
      environment: {
        HOME_REGION: props.region,
        TABLE_NAME: props.tableName,
        POWERTOOLS_SERVICE_NAME: 'helpdesk-ticket-jobs',
      },
      environmentSchema: ticketJobEnvironmentSchema,
      logsKey: props.logsKey,
      logRegion: props.region,
      timeout: Duration.minutes(5),
    });
    const entry = 'lambdas/workflows/ticket-jobs/ticket-job-tasks.ts';
    const tasks = {
      step: fn('ChangeTicketsTask', { entry, handler: 'runStep', description: 'change the next tickets' }),
      markFailed: fn('MarkFailedTask', { entry, handler: 'markFailed', description: 'mark the job failed' }),
    };
    this.tasks = tasks;
    for (const task of Object.values(tasks)) {
      grantRecordTableAccess(task.role, props.tableName);
      grantDataKeyVia(task.role, props.dataKey, ['dynamodb']);
    }

    // A malformed input or a vanished job is no retry's to fix; anything else is retried.
    const retry = {
      permanentErrors: ['ZodError', 'TicketJobNotFound'],
      interval: Duration.seconds(2),
      maxAttempts: 5,
    };
    const step = lambdaTask(this, ticketJobStates.step, tasks.step, retry);
    const markFailed = failurePath(
      this,
      'JobFailed',
      "The job is marked failed with the error's name; the alarm on failed executions fires.",
      lambdaTask(this, ticketJobStates.markFailed, tasks.markFailed, retry, JsonPath.DISCARD),
    );
    catchErrorNames(this, [step], markFailed);
    const more = new Choice(this, ticketJobStates.more, { comment: 'Another step while tickets remain.' })
      .when(Condition.booleanEquals('$.done', false), step)
      .otherwise(new Succeed(this, 'JobCompleted', { comment: 'Every ticket has its outcome.' }));

    const machine = workflowStateMachine(this, {
      definition: step.next(more),
      stateMachineName: ticketJobStateMachineName(props.region),
      comment: `Applies bulk ticket jobs in ${props.region}; one execution per job, named after it.`,
      timeout: ticketJobTimeout,
      region: props.region,
      logsKey: props.logsKey,
      tasks: Object.values(tasks),
      alarmDescription: (outcome) =>
        `A bulk ticket job execution ${outcome}: the agent sees the job failed; an operator may look.`,
    });
    this.stateMachine = machine.stateMachine;
    this.alarms = machine.executionAlarms;
  }
}
