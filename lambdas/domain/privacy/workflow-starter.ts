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
