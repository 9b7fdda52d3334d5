/** Starts a workflow execution (Step Functions StartExecution on AWS and locally). */
export interface WorkflowStarter {
  /**
   * Starts the execution `name` with `input` (ids only). An execution of that name that already
   * exists counts as started: starting twice runs once.
   */
  start(name: string, input: Readonly<Record<string, string | number>>): Promise<void>;
}
