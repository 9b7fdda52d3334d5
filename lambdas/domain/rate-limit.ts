/** Requests per minute an account gets when neither its key nor the deployment says otherwise. */
export const defaultRateLimitPerMinute = 1000;

export interface RateDecision {
  readonly allowed: boolean;
  readonly limit: number;
  readonly remaining: number;
  /** Seconds until the current window ends. */
  readonly resetsInSeconds: number;
}

/** Counts an account's requests in fixed one-minute windows. */
export interface RateLimiter {
  consume(accountId: string, limit: number, now: Date): Promise<RateDecision>;
}

/** A fixed one-minute window of an account's request budget. */
export interface MinuteWindow {
  readonly name: string;
  readonly endsAt: Date;
  readonly resetsInSeconds: number;
}

/** The one-minute window `now` falls in: its name and how long it still runs. */
export function minuteWindow(now: Date): MinuteWindow {
  const start = Math.floor(now.getTime() / 60_000) * 60_000;
  const endsAt = new Date(start + 60_000);
  return {
    name: new Date(start).toISOString().slice(0, 16),
    endsAt,
    resetsInSeconds: Math.max(1, Math.ceil((endsAt.getTime() - now.getTime()) / 1000)),
  };
}
