/**
 * What AWS Step Functions would write into a Standard execution's history for a run of the local
 * interpreter (aws-local-stepfunctions), which enforces none of the service's limits: the history
 * events (a Standard execution holds at most 25,000) and the size of every state's input and output
 * (at most 256 KiB each, UTF-8), so a test can assert both on the synthesized definitions.
 */

/** The service limits of a Standard execution and of a synchronous Lambda invocation. */
export const awsLimits = {
  historyEvents: 25_000,
  /** A state's input or output, a task's result, an execution's input or output (bytes, UTF-8). */
  payloadBytes: 256 * 1024,
  /** A synchronous Lambda invocation's request and response (bytes). */
  lambdaPayloadBytes: 6 * 1024 * 1024,
} as const;

/** One entry of the interpreter's event log (its package does not export the type). */
export interface InterpreterEvent {
  readonly type: string;
  readonly input?: unknown;
  readonly output?: unknown;
  readonly state?: {
    readonly name: string;
    readonly type: string;
    readonly input?: unknown;
    readonly output?: unknown;
  };
}

interface StateDefinition {
  readonly Type: string;
  readonly Resource?: string;
  readonly ItemProcessor?: { readonly States: Record<string, StateDefinition> };
  readonly Iterator?: { readonly States: Record<string, StateDefinition> };
}

/**
 * The history events of each interpreter event, by state type, as the Step Functions API names them
 * (HistoryEvent.type). A Task whose Resource is a Lambda function's ARN (CDK's LambdaInvoke with
 * `payloadResponseOnly`) writes LambdaFunction* events, any other Task* events; each attempt is
 * scheduled and started, so a retry adds a failure and a new scheduled and started event (3).
 *
 * | state | entered | exited | failed attempt | retried | caught |
 * | Task | TaskStateEntered, …Scheduled, …Started | …Succeeded, TaskStateExited | …Failed | …Scheduled, …Started | TaskStateExited |
 * | Map (inline) | MapStateEntered, MapStateStarted | MapStateSucceeded, MapStateExited | MapStateFailed | – | MapStateExited |
 * | Pass, Wait, Choice, Succeed | <Type>StateEntered | <Type>StateExited | – | – | – |
 * | Fail | FailStateEntered | – | – | – | – |
 *
 * A Map iteration adds MapIterationStarted and MapIterationSucceeded (or MapIterationFailed) around
 * its states; the execution adds ExecutionStarted and ExecutionSucceeded (or ExecutionFailed).
 */
function historyEventsOf(
  event: InterpreterEvent,
  resourceOf: (state: string) => string | undefined,
): string[] {
  const state = event.state;
  switch (event.type) {
    case 'ExecutionStarted':
    case 'ExecutionSucceeded':
    case 'ExecutionFailed':
    case 'ExecutionAborted':
    case 'MapIterationStarted':
    case 'MapIterationSucceeded':
    case 'MapIterationFailed':
      return [event.type];
    case 'ExecutionTimeout':
      return ['ExecutionTimedOut'];
  }
  if (!state) throw new Error(`Unexpected interpreter event ${event.type}`);
  const task = (resourceOf(state.name) ?? '').startsWith('arn:aws:lambda:') ? 'LambdaFunction' : 'Task';
  const table: Record<string, Record<string, string[]>> = {
    Task: {
      StateEntered: ['TaskStateEntered', `${task}Scheduled`, `${task}Started`],
      StateExited: [`${task}Succeeded`, 'TaskStateExited'],
      StateFailed: [`${task}Failed`],
      StateRetried: [`${task}Scheduled`, `${task}Started`],
      StateCaught: ['TaskStateExited'],
    },
    Map: {
      StateEntered: ['MapStateEntered', 'MapStateStarted'],
      StateExited: ['MapStateSucceeded', 'MapStateExited'],
      StateFailed: ['MapStateFailed'],
      StateCaught: ['MapStateExited'],
    },
    Fail: { StateEntered: ['FailStateEntered'] },
  };
  const byType = table[state.type] ?? {
    StateEntered: [`${state.type}StateEntered`],
    StateExited: [`${state.type}StateExited`],
  };
  const events = byType[event.type];
  if (!events) throw new Error(`No history events known for ${event.type} of a ${state.type} state`);
  return events;
}

/** Every state of a definition by name, Map item processors included. */
function statesOf(states: Record<string, StateDefinition>): Map<string, StateDefinition> {
  const all = new Map<string, StateDefinition>();
  for (const [name, state] of Object.entries(states)) {
    all.set(name, state);
    const inner = state.ItemProcessor?.States ?? state.Iterator?.States;
    if (inner) for (const [innerName, innerState] of statesOf(inner)) all.set(innerName, innerState);
  }
  return all;
}

const jsonBytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value ?? null), 'utf8');

/** The largest payload seen at one place (a state's input or output, the execution's). */
export interface LargestPayload {
  readonly where: string;
  readonly bytes: number;
}

export interface ExecutionHistory {
  /** History events AWS would write, in all. */
  readonly events: number;
  /** …by HistoryEvent type. */
  readonly byType: Readonly<Record<string, number>>;
  /** The largest input and output of every state (and of the execution), largest first. */
  readonly payloads: readonly LargestPayload[];
}

/** The history AWS would write for the interpreter's event log of one execution of `definition`. */
export function awsHistoryOf(
  log: readonly InterpreterEvent[],
  definition: { readonly States: Record<string, unknown> },
): ExecutionHistory {
  const states = statesOf(definition.States as Record<string, StateDefinition>);
  const byType: Record<string, number> = {};
  const largest = new Map<string, number>();
  const see = (where: string, value: unknown) => {
    if (value === undefined) return;
    largest.set(where, Math.max(largest.get(where) ?? 0, jsonBytes(value)));
  };
  let events = 0;
  for (const event of log) {
    for (const type of historyEventsOf(event, (name) => states.get(name)?.Resource)) {
      byType[type] = (byType[type] ?? 0) + 1;
      events += 1;
    }
    see('execution input', event.type === 'ExecutionStarted' ? event.input : undefined);
    see('execution output', event.type === 'ExecutionSucceeded' ? event.output : undefined);
    if (event.state && (event.type === 'StateEntered' || event.type === 'StateExited')) {
      see(`${event.state.name} input`, event.state.input);
      see(`${event.state.name} output`, event.state.output);
    }
  }
  const payloads = [...largest].map(([where, bytes]) => ({ where, bytes })).sort((a, b) => b.bytes - a.bytes);
  return { events, byType, payloads };
}
