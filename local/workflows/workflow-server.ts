/**
 * A hosting region's workflows, locally: the synthesized state machines on the local interpreter behind
 * a Step Functions endpoint, and the region's EventBridge rules fed with the S3 emulator's events (sent
 * by the platform process over IPC). Runs as its own process with the workflow functions' environment,
 * as the functions would on AWS.
 */
import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import { hostingRegionKeys, type HostingRegionKey } from '#lib/residency/index';
import { transferStates } from '#lib/constructs/recording-transfer-workflow';
import { localAwsAccountId } from '../local-credentials.ts';
import { matchesPattern, objectCreatedEvent, type S3NotificationRecord } from './event-rules.ts';
import { LocalExecutions } from './local-executions.ts';
import { startStepFunctionsEndpoint } from './step-functions-endpoint.ts';
import { type LocalFunction, synthesizedWorkflows } from './synthesized-workflows.ts';

const repoRoot = resolve(import.meta.dirname, '..', '..');
type Handler = (event: unknown) => Promise<unknown>;

/** Loads a function's handler from its module, as Lambda would from the bundle. */
export async function loadHandler(fn: LocalFunction): Promise<Handler> {
  const module = (await import(join(repoRoot, fn.entry))) as Record<string, Handler>;
  const handler = module[fn.handlerExport];
  if (!handler) throw new Error(`${fn.entry} has no export ${fn.handlerExport}`);
  return handler;
}

/** How long the recording hold lasts locally: RECORDING_HOLD_SECONDS (default: the deployed 600). */
export function recordingHoldMs(env: NodeJS.ProcessEnv = process.env): number {
  const seconds = env.RECORDING_HOLD_SECONDS ?? '600';
  if (!/^[0-9]{1,6}$/.test(seconds))
    throw new Error('RECORDING_HOLD_SECONDS must be a whole number of seconds');
  return Number(seconds) * 1000;
}

/** What EventBridge hands a scheduled rule's target. */
function scheduledEvent(awsRegion: string) {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: localAwsAccountId,
    time: new Date().toISOString(),
    region: awsRegion,
    resources: [],
    detail: {},
  };
}

async function main() {
  const region = process.env.HOSTING_REGION as HostingRegionKey;
  if (!hostingRegionKeys.includes(region)) throw new Error('HOSTING_REGION must name a hosting region');
  const { workflows, rules, schedules } = synthesizedWorkflows(region);
  const handlerCache = new Map<string, Promise<Handler>>();
  const handlerOf = (fn: LocalFunction) => {
    const key = `${fn.entry}#${fn.handlerExport}`;
    if (!handlerCache.has(key)) handlerCache.set(key, loadHandler(fn));
    return handlerCache.get(key) as Promise<Handler>;
  };
  const executions = new LocalExecutions(
    workflows,
    (workflow) =>
      Object.fromEntries(
        Object.entries(workflow.tasks).map(([state, fn]) => [
          state,
          async (input: unknown) => (await handlerOf(fn))(input),
        ]),
      ),
    { waitOverrides: { [transferStates.hold]: recordingHoldMs() } },
  );
  const endpoint = await startStepFunctionsEndpoint(executions);
  // The functions' SDK clients are made on first use, after this: they reach this endpoint.
  process.env.AWS_ENDPOINT_URL_SFN = endpoint.url;
  // The transfer's starter runs here (on S3 events) and needs its state machine's local ARN.
  const transfer = workflows.find((workflow) => transferStates.hold in workflow.definition.States);
  if (transfer) process.env.TRANSFER_STATE_MACHINE_ARN = transfer.stateMachineArn;

  process.on('message', (message: { type?: string; records?: S3NotificationRecord[] }) => {
    if (message.type !== 's3-event') return;
    for (const record of message.records ?? []) {
      if (!record.eventName.startsWith('ObjectCreated')) continue;
      const event = objectCreatedEvent(record, localAwsAccountId, process.env.AWS_REGION ?? '');
      for (const rule of rules.filter((r) => matchesPattern(r.pattern, event))) {
        for (const target of rule.targets) {
          void handlerOf(target)
            .then((handler) => handler(event))
            .catch((error: unknown) => console.error('event target failed', (error as Error).name));
        }
      }
    }
  });
  // Scheduled rules (the privacy deadline watch, the staging watch) run on their rate, as EventBridge would.
  const timers = schedules.map((schedule) =>
    setInterval(() => {
      for (const target of schedule.targets) {
        void handlerOf(target)
          .then((handler) => handler(scheduledEvent(process.env.AWS_REGION ?? '')))
          .catch((error: unknown) => console.error('scheduled target failed', (error as Error).name));
      }
    }, schedule.everyMs),
  );
  process.send?.({
    type: 'listening',
    url: endpoint.url,
    workflows: workflows.map((w) => w.stateMachineArn),
  });
  const stop = () => {
    for (const timer of timers) clearInterval(timer);
    endpoint.server.close(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.on('disconnect', stop);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  await main();
}
