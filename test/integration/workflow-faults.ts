import { randomUUID } from 'node:crypto';
import { type LocalExecution, LocalExecutions } from '../../local/workflows/local-executions.ts';
import type { LocalWorkflow } from '../../local/workflows/synthesized-workflows.ts';
import { loadHandler } from '../../local/workflows/workflow-server.ts';

export type TaskHandler = (input: unknown) => Promise<unknown>;

/**
 * Runs one execution of a synthesized workflow on the local interpreter with the real task handlers
 * (in this process), `wrap` injecting a fault around any state; retries wait 0 ms.
 */
export async function runWithFaults(
  workflow: LocalWorkflow,
  input: object,
  wrap: (state: string, handler: TaskHandler) => TaskHandler,
  waitOverrides: Readonly<Record<string, number>> = {},
): Promise<LocalExecution> {
  const executions = new LocalExecutions(
    [workflow],
    (machine) =>
      Object.fromEntries(
        Object.entries(machine.tasks).map(([state, fn]) => [
          state,
          wrap(state, async (event) => (await loadHandler(fn))(event)),
        ]),
      ),
    { waitOverrides, retryIntervalMs: 0 },
  );
  const execution = executions.start(
    workflow.stateMachineArn,
    `faults-${randomUUID()}`,
    JSON.stringify(input),
  );
  await execution.done;
  return execution;
}

/** An error of the given name, as an AWS SDK or Lambda fault would carry it. */
export const injectedError = (name: string) => Object.assign(new Error('injected'), { name });
