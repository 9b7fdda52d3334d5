/** A running emulator: where to reach it and how to stop it (by its own PID, never by process name). */
export interface RunningEmulator {
  readonly endpoint: string;
  readonly pid?: number;
  stop(): Promise<void>;
}

/** Calls `probe` until it succeeds or `timeoutMs` passes. */
export async function waitUntilReady(
  probe: () => Promise<unknown>,
  what: string,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      await probe();
      return;
    } catch (error) {
      lastError = error;
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
  }
  throw new Error(`${what} did not become ready within ${timeoutMs} ms`, { cause: lastError });
}
