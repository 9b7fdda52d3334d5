import {
  DescribeExecutionCommand,
  ExecutionDoesNotExist,
  type ExecutionStatus,
  SFNClient,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { SfnWorkflowStarter } from '../../lambdas/adapters/sfn-workflow-starter.ts';

const client = new SFNClient({ region: 'eu-central-1' });
const sfn = mockClient(client);
afterEach(() => sfn.reset());

const machine = 'arn:aws:states:eu-central-1:111122223333:stateMachine:helpdesk-eea-migration';
const starter = new SfnWorkflowStarter(client, machine);

describe('SfnWorkflowStarter.execution', () => {
  it.each<[ExecutionStatus, string]>([
    ['RUNNING', 'running'],
    ['PENDING_REDRIVE', 'running'],
    ['SUCCEEDED', 'succeeded'],
    ['FAILED', 'failed'],
    ['TIMED_OUT', 'timed_out'],
    ['ABORTED', 'aborted'],
  ])('tells an execution %s as %s, asking for it by its ARN', async (status, state) => {
    // Prepare
    sfn.on(DescribeExecutionCommand).resolves({ status, error: status === 'FAILED' ? 'Killed' : undefined });

    // Act
    const execution = await starter.execution('migration-7-2');

    // Assess
    expect(execution).toEqual({ state, error: status === 'FAILED' ? 'Killed' : undefined });
    expect(sfn).toHaveReceivedCommandWith(DescribeExecutionCommand, {
      executionArn: 'arn:aws:states:eu-central-1:111122223333:execution:helpdesk-eea-migration:migration-7-2',
    });
  });

  it('answers nothing for an execution never started', async () => {
    // Prepare
    sfn.on(DescribeExecutionCommand).rejects(new ExecutionDoesNotExist({ message: 'no', $metadata: {} }));

    // Act
    const execution = await starter.execution('migration-7-3');

    // Assess
    expect(execution).toBeUndefined();
  });
});
