import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  type SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import type { ExecutionState, WorkflowStarter } from '#domain/privacy/workflow-starter';
import { executionArn } from '#lib/platform/names';

const states: Readonly<Record<string, ExecutionState>> = {
  RUNNING: 'running',
  // Redriven: running again from where it failed.
  PENDING_REDRIVE: 'running',
  SUCCEEDED: 'succeeded',
  FAILED: 'failed',
  TIMED_OUT: 'timed_out',
  ABORTED: 'aborted',
};

const named = (error: unknown, name: string, type: new (...args: never[]) => Error) =>
  error instanceof type || (error as { name?: string }).name === name;

/** Starts and describes executions of one state machine; an execution of the same name already there is success. */
export class SfnWorkflowStarter implements WorkflowStarter {
  constructor(
    private readonly sfn: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  async start(name: string, input: Readonly<Record<string, string | number>>): Promise<void> {
    try {
      await this.sfn.send(
        new StartExecutionCommand({
          stateMachineArn: this.stateMachineArn,
          name,
          input: JSON.stringify(input),
        }),
      );
    } catch (error) {
      if (named(error, 'ExecutionAlreadyExists', ExecutionAlreadyExists)) return;
      throw error;
    }
  }

  async execution(name: string): Promise<{ state: ExecutionState; error?: string } | undefined> {
    try {
      const described = await this.sfn.send(
        new DescribeExecutionCommand({ executionArn: executionArn(this.stateMachineArn, name) }),
      );
      return { state: states[described.status ?? ''] ?? 'running', error: described.error };
    } catch (error) {
      if (named(error, 'ExecutionDoesNotExist', ExecutionDoesNotExist)) return undefined;
      throw error;
    }
  }
}
