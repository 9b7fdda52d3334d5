import { type MinuteWindow, minuteWindow, type RateDecision, type RateLimiter } from './rate-limit.ts';

/** What one reservation got from an account's shared per-minute budget. */
export interface BudgetGrant {
  /** Requests granted to the caller, at most the number asked for; 0 once the window's budget is spent. */
  readonly granted: number;
  /** The account's count in the window after this reservation, every container's requests included. */
  readonly used: number;
}

/** An account's per-minute request budget, shared by every container: reservations never exceed it. */
export interface RateBudget {
  reserve(accountId: string, window: MinuteWindow, limit: number, wanted: number): Promise<BudgetGrant>;
}

/** The largest block a container reserves at once. */
export const maxLeaseSize = 20;

/**
 * How many requests to reserve when `remaining` are (as far as this container knows) left in the
 * account's window: a fiftieth of them, 1 to `maxLeaseSize`. Small budgets are counted one by one, and
 * blocks shrink as the budget runs low, so little of it can sit unspent in idle containers.
 */
export function leaseSize(remaining: number): number {
  return Math.max(1, Math.min(maxLeaseSize, Math.floor(remaining / 50)));
}

interface Lease {
  readonly window: string;
  /** Reserved by this container and not yet spent. */
  tokens: number;
  /** The account's unreserved budget when this container last reserved. */
  unreserved: number;
  /** The budget said no: nothing more to get in this window (counts only grow within a window). */
  spent: boolean;
}

/**
 * Counts requests against the account's per-minute budget with leases: a container reserves a small
 * block of the budget in one round trip and spends it locally, so most requests cost no round trip,
 * while the account-wide budget is never exceeded (every block comes out of the shared count). Once the
 * budget says no, requests in the same window are refused without asking again. At most one block per
 * warm container and minute can go unspent, which only ever errs towards refusing early, never late.
 */
export class LeasedRateLimiter implements RateLimiter {
  private readonly leases = new Map<string, Lease>();

  constructor(private readonly budget: RateBudget) {}

  async consume(accountId: string, limit: number, now: Date): Promise<RateDecision> {
    const window = minuteWindow(now);
    const lease = this.leaseFor(`${accountId}#${limit}`, window.name, limit);
    if (lease.tokens === 0 && !lease.spent) {
      const grant = await this.budget.reserve(accountId, window, limit, leaseSize(lease.unreserved));
      lease.tokens += grant.granted;
      lease.unreserved = Math.max(0, limit - grant.used);
      if (grant.granted === 0) lease.spent = true;
    }
    const decision = { limit, resetsInSeconds: window.resetsInSeconds };
    if (lease.tokens === 0) return { ...decision, allowed: false, remaining: 0 };
    lease.tokens -= 1;
    return { ...decision, allowed: true, remaining: lease.unreserved + lease.tokens };
  }

  /** This container's lease in the current window; a new window starts with none. */
  private leaseFor(key: string, window: string, limit: number): Lease {
    const current = this.leases.get(key);
    if (current?.window === window) return current;
    // Leases of past windows are worthless: forget them all rather than let the map grow.
    if (this.leases.size >= 1000) this.leases.clear();
    const lease: Lease = { window, tokens: 0, unreserved: limit, spent: false };
    this.leases.set(key, lease);
    return lease;
  }
}
