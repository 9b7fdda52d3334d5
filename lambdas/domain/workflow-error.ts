/**
 * The error name a workflow's Catch hands its failure task, as recorded on a business record: only a
 * plain name, never the cause (which may quote data); anything else is `UnknownError`.
 */
export const recordableErrorName = (error: { Error?: string } | undefined): string => {
  const name = error?.Error ?? 'UnknownError';
  return /^[A-Za-z0-9_.:-]{1,128}$/.test(name) ? name : 'UnknownError';
};

/**
 * What a workflow task throws in place of any error: the same name (which Retry and Catch match) and a
 * fixed message. Step Functions keeps a failed task's cause (the function's serialized error: message
 * and stack) in the execution's history for 90 days, and the Lambda runtime logs it, so the original
 * message, which may quote data (an SDK error, a validation message), never leaves the task; the stack
 * keeps its frames (code locations) without the message line.
 */
export class NameOnlyTaskError extends Error {
  constructor(original: unknown) {
    const name = recordableErrorName({ Error: (original as { name?: unknown } | undefined)?.name as string });
    super(`${name} (message withheld: workflow errors carry names only)`);
    this.name = name;
    const frames = String((original as { stack?: unknown } | undefined)?.stack ?? '')
      .split('\n')
      .filter((line) => /^\s+at /.test(line));
    this.stack = [`${this.name}: ${this.message}`, ...frames].join('\n');
  }
}

/** A workflow task whose errors leave it as `NameOnlyTaskError`s. */
export function withNameOnlyErrors<A extends unknown[], R>(
  task: (...args: A) => Promise<R>,
): (...args: A) => Promise<R> {
  return async (...args) => {
    try {
      return await task(...args);
    } catch (error) {
      throw new NameOnlyTaskError(error);
    }
  };
}
