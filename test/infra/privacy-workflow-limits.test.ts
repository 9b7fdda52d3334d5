import { beforeAll, describe, expect, it, vi } from 'vitest';
import { privacyErasureStateMachineName, privacyExportStateMachineName } from '#lib/platform/names';
import type { LocalExecution } from '../../local/workflows/local-executions.ts';
import { type LocalWorkflow, synthesizedWorkflows } from '../../local/workflows/synthesized-workflows.ts';
import { injectedError, runWithFaults } from '../integration/workflow-faults.ts';
import {
  awsHistoryOf,
  awsLimits,
  type ExecutionHistory,
  type InterpreterEvent,
} from './execution-history.ts';
import {
  type ErasureScale,
  erasureRuntimeFor,
  executionInputs,
  exportRuntimeFor,
  runtimes,
} from './million-links.ts';

// The task handlers run for real, over the ports of a subject with a million linked records.
vi.mock('../../lambdas/workflows/privacy-export/export-runtime.ts', async () => {
  const fixture = await import('./million-links.ts');
  return { getExportRuntime: () => fixture.runtimes.export };
});
vi.mock('../../lambdas/workflows/privacy-erasure/erasure-runtime.ts', async () => {
  const fixture = await import('./million-links.ts');
  return { getErasureRuntime: () => fixture.runtimes.erasure };
});

const million = 1_000_000;
/**
 * The margin asserted: with every task invocation failing once and retried (3 more history events
 * each), an execution still leaves a fifth of the 25,000 events free (further retries, the states
 * other changes add).
 */
const historyBudget = awsLimits.historyEvents * 0.8;

let workflows: LocalWorkflow[];
beforeAll(() => {
  // The definitions are the same in every region; the EEA's hosts every kind of record.
  workflows = synthesizedWorkflows('eea').workflows;
}, 300_000);

const workflowNamed = (name: string) => {
  const workflow = workflows.find((w) => w.stateMachineArn.endsWith(`:${name}`));
  if (!workflow) throw new Error(`No state machine ${name}`);
  return workflow;
};

/** The Lambda payloads of one run, by task state: the largest request and response. */
type LambdaPayloads = Map<string, { input: number; output: number }>;

/**
 * Runs the synthesized workflow on the local interpreter with the real task handlers, each
 * invocation failing once (throttled, before any work) and then retried at once; answers the history
 * AWS would write and the Lambda payloads.
 */
async function runAtScale(
  workflow: LocalWorkflow,
  input: object,
): Promise<{ execution: LocalExecution; history: ExecutionHistory; lambda: LambdaPayloads }> {
  const lambda: LambdaPayloads = new Map();
  const failedOnce = new Set<string>();
  const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value ?? null), 'utf8');
  const execution = await runWithFaults(workflow, input, (state, handler) => async (event) => {
    const invocation = `${state} ${JSON.stringify(event)}`;
    if (!failedOnce.has(invocation)) {
      failedOnce.add(invocation);
      throw injectedError('ThrottlingException');
    }
    const output = await handler(event);
    const seen = lambda.get(state) ?? { input: 0, output: 0 };
    lambda.set(state, {
      input: Math.max(seen.input, bytes(event)),
      output: Math.max(seen.output, bytes(output)),
    });
    return output;
  });
  const history = awsHistoryOf(execution.events as unknown as InterpreterEvent[], workflow.definition);
  return { execution, history, lambda };
}

/** Asserts the run stayed within every limit, with the margin on history events. */
function expectWithinLimits(run: Awaited<ReturnType<typeof runAtScale>>) {
  const { execution, history, lambda } = run;
  expect(execution.status, execution.error).toBe('SUCCEEDED');
  expect(history.events, JSON.stringify(history.byType)).toBeLessThanOrEqual(historyBudget);
  for (const { where, bytes } of history.payloads) {
    expect(bytes, `${where} (bytes)`).toBeLessThanOrEqual(awsLimits.payloadBytes);
  }
  for (const [state, payload] of lambda) {
    expect(payload.input, `${state} Lambda request (bytes)`).toBeLessThanOrEqual(
      awsLimits.lambdaPayloadBytes,
    );
    expect(payload.output, `${state} Lambda response (bytes)`).toBeLessThanOrEqual(
      awsLimits.lambdaPayloadBytes,
    );
    // Step Functions takes a task's result only up to 256 KiB: the tighter limit on a response.
    expect(payload.output, `${state} task result (bytes)`).toBeLessThanOrEqual(awsLimits.payloadBytes);
  }
}

describe('privacy workflows at a million linked records (synthesized definitions on the local interpreter)', () => {
  it('exports a subject with 1,000,000 linked records within the history, state and Lambda payload limits', async () => {
    // Prepare
    runtimes.export = exportRuntimeFor(million);

    // Act
    const run = await runAtScale(workflowNamed(privacyExportStateMachineName('eea')), executionInputs.export);

    // Assess
    expectWithinLimits(run);
  }, 600_000);

  const erasures: [string, ErasureScale][] = [
    [
      'permanently erases (with an earlier soft erasure’s trash of 1,000,000 to purge)',
      { operation: 'erase', mode: 'permanent', links: million, trash: million },
    ],
    ['restores the trash of', { operation: 'restore', mode: 'soft', links: 0, trash: million }],
    ['purges the trash of', { operation: 'purge', mode: 'soft', links: 0, trash: million }],
  ];
  it.each(erasures)(
    '%s a subject with 1,000,000 linked records within the history, state and Lambda payload limits',
    async (_what, scale) => {
      // Prepare
      runtimes.erasure = erasureRuntimeFor(scale);

      // Act
      const run = await runAtScale(
        workflowNamed(privacyErasureStateMachineName('eea')),
        executionInputs.erasure(scale.operation),
      );

      // Assess
      expectWithinLimits(run);
    },
    600_000,
  );
});
