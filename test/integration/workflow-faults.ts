import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, inject } from 'vitest';
import type { HostingRegionKey } from '../../lib/residency/index.ts';
import { localWorkflowEnvironment } from '../../local/local-environment.ts';
import { type LocalExecution, LocalExecutions } from '../../local/workflows/local-executions.ts';
import { type LocalWorkflow, synthesizedWorkflows } from '../../local/workflows/synthesized-workflows.ts';
import { loadHandler } from '../../local/workflows/workflow-server.ts';

export type TaskHandler = (input: unknown) => Promise<unknown>;

/**
 * The state machine `name` of a region's Workflows stack, as synthesized, for runWithFaults. The task
 * handlers run in this process, so for the file's tests it takes the region's workflow environment.
 */
export function workflowUnderTest(region: HostingRegionKey, name: string): () => LocalWorkflow {
  const savedEnvironment = { ...process.env };
  let workflow: LocalWorkflow | undefined;
  beforeAll(() => {
    Object.assign(process.env, localWorkflowEnvironment(region, inject('localPlatform').emulators));
    workflow = synthesizedWorkflows(region).workflows.find((w) => w.stateMachineArn.endsWith(`:${name}`));
    if (!workflow) throw new Error(`The ${region} workflows stack has no state machine ${name}`);
  }, 60_000);
  afterAll(() => {
    process.env = savedEnvironment;
  });
  return () => workflow as LocalWorkflow;
}

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
