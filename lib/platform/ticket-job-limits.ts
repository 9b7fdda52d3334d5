/**
 * How long a bulk ticket job's execution may run (its state machine's timeout). A hundred tickets take
 * seconds; the bound ends one that hangs. The API reads a job still in progress well past it as failed:
 * its execution ended (timed out, or stopped) without saying so, and the API may not describe executions.
 */
export const ticketJobTimeoutMinutes = 60;

/** Past the timeout, the margin after which a job still in progress is shown failed. */
export const ticketJobStaleMarginMinutes = 5;
