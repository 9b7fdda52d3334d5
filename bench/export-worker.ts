/**
 * One measured run of the export bench, in its own process so its memory is its own: `export` runs the
 * synthesized export workflow (every task in this process, as the local workflow server runs them);
 * `baseline` does the reads no export can avoid: the subject-index Query and a GetItem per linked item
 * at the export's read concurrency. Reports time, RSS high-water (kernel maxRSS) and peak heap over IPC.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { createAwsClients } from '../lambdas/adapters/aws-clients.ts';
import { RECORD_SK, subjectPk } from '../lambdas/adapters/record-keys.ts';
import { mapBounded } from '../lambdas/domain/privacy/bounded.ts';
import { LocalExecutions } from '../local/workflows/local-executions.ts';
import type { LocalWorkflow } from '../local/workflows/synthesized-workflows.ts';
import { loadHandler } from '../local/workflows/workflow-server.ts';

export interface WorkerInput {
  readonly mode: 'export' | 'baseline';
  readonly workflow: LocalWorkflow;
  readonly accountId: string;
  readonly requestId: number;
  readonly subjectId: number;
  /** GetItem calls in flight at once in the baseline (the export's pages × reads per page). */
  readonly readConcurrency: number;
}

export interface WorkerResult {
  readonly ms: number;
  readonly items: number;
  readonly startRssBytes: number;
  readonly maxRssBytes: number;
  readonly peakHeapBytes: number;
  readonly status: string;
}

async function runExport(input: WorkerInput): Promise<{ items: number; status: string }> {
  const executions = new LocalExecutions([input.workflow], (machine) =>
    Object.fromEntries(
      Object.entries(machine.tasks).map(([state, fn]) => [
        state,
        async (event: unknown) => (await loadHandler(fn))(event),
      ]),
    ),
  );
  const execution = executions.start(
    input.workflow.stateMachineArn,
    `privacy-${input.requestId}`,
    JSON.stringify({ accountId: input.accountId, requestId: input.requestId }),
  );
  await execution.done;
  return { items: 0, status: execution.status };
}

async function runBaseline(input: WorkerInput): Promise<{ items: number; status: string }> {
  const { dynamo } = createAwsClients();
  const table = process.env.TABLE_NAME ?? '';
  const refs: { pk: string }[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await dynamo.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :link)',
        ExpressionAttributeValues: {
          ':pk': subjectPk(input.accountId, { kind: 'contact', id: input.subjectId }),
          ':link': 'LINK#',
        },
        ExclusiveStartKey: startKey,
        ConsistentRead: true,
      }),
    );
    for (const item of page.Items ?? [])
      refs.push({ pk: `A#${input.accountId}#${item.record_type}#${item.record_id}` });
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  // Each item is read and dropped, as the export drops it once written to its part.
  await mapBounded(refs, input.readConcurrency, async ({ pk }) => {
    await dynamo.send(new GetCommand({ TableName: table, Key: { pk, sk: RECORD_SK }, ConsistentRead: true }));
  });
  return { items: refs.length, status: 'SUCCEEDED' };
}

const input = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')) as WorkerInput;
// Load the code first, so both runs start from a process that has its modules.
if (input.mode === 'export') {
  for (const fn of Object.values(input.workflow.tasks)) await loadHandler(fn);
}
const startRssBytes = process.memoryUsage().rss;
let peakHeapBytes = process.memoryUsage().heapUsed;
const sampler = setInterval(() => {
  peakHeapBytes = Math.max(peakHeapBytes, process.memoryUsage().heapUsed);
}, 5);
const t0 = performance.now();
const outcome = input.mode === 'export' ? await runExport(input) : await runBaseline(input);
const ms = performance.now() - t0;
clearInterval(sampler);
const result: WorkerResult = {
  ms,
  ...outcome,
  startRssBytes,
  // resourceUsage().maxRSS is the kernel's high-water mark of this process, in KiB.
  maxRssBytes: process.resourceUsage().maxRSS * 1024,
  peakHeapBytes,
};
process.send?.(result);
process.disconnect?.();
