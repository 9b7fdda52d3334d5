import {
  ExecutionAbortedError,
  ExecutionError,
  ExecutionTimeoutError,
  StateMachine,
} from 'aws-local-stepfunctions';

/** One entry of the interpreter's event log (the package does not export the type). */
export interface EventLog {
  readonly type: string;
  readonly state?: { readonly name: string };
}
import { executionArn } from '#lib/platform/names';
import type { LocalWorkflow } from './synthesized-workflows.ts';

type TaskHandler = (input: unknown) => Promise<unknown>;

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface LocalExecution {
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly name: string;
  readonly input: string;
  readonly startDate: Date;
  status: ExecutionStatus;
  stopDate?: Date;
  output?: string;
  error?: string;
  cause?: string;
  /** The interpreter's event log: states entered, retried, caught. */
  readonly events: EventLog[];
  readonly done: Promise<void>;
  /** Stops it (StopExecution): ABORTED at once; tasks already invoked run to their end, as on AWS. */
  readonly abort: () => void;
}

export class ExecutionAlreadyExistsError extends Error {
  constructor(name: string) {
    super(`Execution already exists: '${name}'`);
    this.name = 'ExecutionAlreadyExists';
  }
}

export class NoSuchStateMachineError extends Error {
  constructor(arn: string) {
    super(`State Machine Does Not Exist: '${arn}'`);
    this.name = 'StateMachineDoesNotExist';
  }
}

export interface LocalExecutionsOptions {
  /** Milliseconds a Wait state pauses instead of its definition's time, by state name. */
  readonly waitOverrides?: Readonly<Record<string, number>>;
  /** Milliseconds between retries, for every retrying state (tests: 0). Unset: the definition's. */
  readonly retryIntervalMs?: number;
}

/**
 * Executions of synthesized state machines on the `aws-local-stepfunctions` interpreter, with Standard
 * semantics for names: starting the same name with the same input while it runs answers the running
 * execution; any other reuse of a name fails with ExecutionAlreadyExists.
 */
export class LocalExecutions {
  private readonly executions = new Map<string, LocalExecution>();
  private readonly machines = new Map<string, { workflow: LocalWorkflow; machine: StateMachine }>();

  constructor(
    workflows: readonly LocalWorkflow[],
    private readonly handlers: (workflow: LocalWorkflow) => Record<string, TaskHandler>,
    private readonly options: LocalExecutionsOptions = {},
  ) {
    for (const workflow of workflows) {
      const machine = new StateMachine(workflow.definition as never, {
        validationOptions: { checkArn: false },
      });
      this.machines.set(workflow.stateMachineArn, { workflow, machine });
    }
  }

  start(stateMachineArn: string, name: string, input: string): LocalExecution {
    const entry = this.machines.get(stateMachineArn);
    if (!entry) throw new NoSuchStateMachineError(stateMachineArn);
    const arn = executionArn(stateMachineArn, name);
    const existing = this.executions.get(arn);
    if (existing) {
      if (existing.status === 'RUNNING' && existing.input === input) return existing;
      throw new ExecutionAlreadyExistsError(name);
    }
    const { workflow, machine } = entry;
    const retryIntervalOverrides =
      this.options.retryIntervalMs === undefined
        ? undefined
        : Object.fromEntries(
            Object.keys(workflow.tasks).map((state) => [state, this.options.retryIntervalMs ?? 0]),
          );
    const run = machine.run(JSON.parse(input), {
      overrides: {
        taskResourceLocalHandlers: this.handlers(workflow) as never,
        waitTimeOverrides: { ...this.options.waitOverrides },
        retryIntervalOverrides,
      },
      context: { Execution: { Id: arn, Name: name, StartTime: new Date().toISOString() } },
    });
    const events: EventLog[] = [];
    const collect = (async () => {
      for await (const event of run.eventLogs) events.push(event);
    })();
    const execution: LocalExecution = {
      executionArn: arn,
      stateMachineArn,
      name,
      input,
      startDate: new Date(),
      status: 'RUNNING',
      events,
      done: run.result
        .then((output) => {
          execution.status = 'SUCCEEDED';
          execution.output = JSON.stringify(output);
        })
        .catch((error: unknown) => {
          if (error instanceof ExecutionAbortedError) {
            execution.status = 'ABORTED';
            return;
          }
          if (error instanceof ExecutionTimeoutError) {
            execution.status = 'TIMED_OUT';
            execution.error = 'States.Timeout';
            return;
          }
          execution.status = 'FAILED';
          const cause =
            error instanceof ExecutionError ? (error.cause as Error | undefined) : (error as Error);
          execution.error = cause?.name ?? 'States.Runtime';
          execution.cause = cause?.message;
        })
        .finally(async () => {
          execution.stopDate ??= new Date();
          await collect.catch(() => undefined);
        }),
      abort: () => {
        if (execution.status !== 'RUNNING') return;
        execution.status = 'ABORTED';
        execution.stopDate = new Date();
        run.abort();
      },
    };
    this.executions.set(arn, execution);
    return execution;
  }

  describe(executionArn: string): LocalExecution | undefined {
    return this.executions.get(executionArn);
  }

  list(stateMachineArn: string, status?: ExecutionStatus): LocalExecution[] {
    return [...this.executions.values()]
      .filter((e) => e.stateMachineArn === stateMachineArn && (!status || e.status === status))
      .sort((a, b) => b.startDate.getTime() - a.startDate.getTime());
  }

  /** Waits for every execution started so far (for an orderly shutdown). */
  async settle(): Promise<void> {
    await Promise.all([...this.executions.values()].map((execution) => execution.done));
  }
}
