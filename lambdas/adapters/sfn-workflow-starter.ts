import { ExecutionAlreadyExists, type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { WorkflowStarter } from '#domain/privacy/workflow-starter';

/** Starts executions of one state machine; an execution of the same name already there is success. */
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
      if (
        error instanceof ExecutionAlreadyExists ||
        (error as { name?: string }).name === 'ExecutionAlreadyExists'
      )
        return;
      throw error;
    }
  }
}
