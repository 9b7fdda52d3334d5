/** Where a workflow execution stands; every state but `running` is final. */
export type ExecutionState = 'running' | 'succeeded' | 'failed' | 'timed_out' | 'aborted';

/** Starts workflow executions and tells how they stand (Step Functions on AWS and locally). */
export interface WorkflowStarter {
  /**
   * Starts the execution `name` with `input` (ids only). An execution of that name that already
   * exists counts as started: starting twice runs once.
   */
  start(name: string, input: Readonly<Record<string, string | number>>): Promise<void>;
  /** How the execution `name` stands, and the error name a failed one ended with; none if never started. */
  execution(name: string): Promise<{ state: ExecutionState; error?: string } | undefined>;
}

/** Step Functions execution names: 1 to 80 characters, letters, digits, `-` and `_` (on AWS also more). */
const executionNamePattern = /^[A-Za-z0-9_-]{1,80}$/;

export class InvalidExecutionNameError extends Error {
  constructor() {
    super('An execution name must be 1 to 80 letters, digits, "-" or "_".');
    this.name = 'InvalidExecutionName';
  }
}

/**
 * The name of an execution started for one business record of one account: `<kind>-<account>-<parts>`.
 * Execution names are unique per state machine across all accounts, and starting an existing name
 * counts as started, so the account id (a UUID of fixed length, not personal data) is part of every
 * name: equal record ids of two accounts never meet in one name. Ids only, never personal data.
 */
export function executionName(
  kind: string,
  accountId: string,
  ...parts: readonly (string | number)[]
): string {
  const name = [kind, accountId, ...parts].join('-');
  if (!executionNamePattern.test(name)) throw new InvalidExecutionNameError();
  return name;
}
