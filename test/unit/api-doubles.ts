import { toItem } from '../../lambdas/adapters/record-items.ts';
import type { Role } from '../../lambdas/domain/account.ts';
import { type AgentFields, newAgent } from '../../lambdas/domain/agents/agent-service.ts';
import type { RateLimiter } from '../../lambdas/domain/rate-limit.ts';
import { AuthenticationError } from '../../lambdas/domain/errors.ts';
import type { SsoDependencies } from '../../lambdas/http/sso-auth.ts';
import { testHasher } from './test-hasher.ts';

/**
 * A rate limit that lets every request through: a test double of the domain's RateLimiter, for unit
 * tests of handlers whose subject is not the budget (the budget has its own tests).
 */
export const unlimitedRate: {
  readonly limiter: RateLimiter;
  readonly perMinute: number;
  readonly now: () => Date;
} = {
  limiter: {
    consume: async (_accountId, limit) => ({ allowed: true, limit, remaining: limit, resetsInSeconds: 60 }),
  },
  perMinute: 1000,
  now: () => new Date('2026-11-23T10:00:00Z'),
};

/** An agent profile as the records table stores it, for a mocked GetItem of the agent's record. */
export function agentProfileItem(
  accountId: string,
  agentId: number,
  role: Role,
  fields: Partial<AgentFields> = {},
): Record<string, unknown> {
  const at = '2026-01-01T00:00:00.000Z';
  const agent = newAgent(accountId, agentId, at, {
    name: 'Agent',
    email: 'agent@example.test',
    role,
    ...fields,
  });
  return { ...toItem(agent, testHasher) };
}

/** An active account's profile item as the records table stores it, for a mocked GetItem of `ACCOUNT#<id>`. */
export function accountProfileItem(accountId: string): Record<string, unknown> {
  return {
    pk: `ACCOUNT#${accountId}`,
    sk: 'PROFILE',
    account_id: accountId,
    name: 'Test account',
    home_region: 'eea',
    products: ['helpdesk'],
    created_at: '2026-01-01T00:00:00.000Z',
  };
}

/**
 * Single sign-on of a region where no account configured it: a double of the domain's settings store
 * (no settings) and token verifier (every token refused), for unit tests whose subject is not SSO.
 */
export const noSso: SsoDependencies = {
  settings: {
    get: async () => undefined,
    findByClient: async () => undefined,
    put: async () => undefined,
    remove: async () => undefined,
  },
  verifier: {
    address: () => undefined,
    verify: async () => {
      throw new AuthenticationError();
    },
  },
  newId: () => 1,
  now: () => new Date('2026-11-23T10:00:00Z'),
  mayWrite: false,
  allowLoopbackHttpIssuers: false,
};
