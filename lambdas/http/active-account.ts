import type { AccountStatus, AccountStore } from '#domain/account';
import { AccountSuspendedError, AuthenticationError } from '#domain/errors';
import { expiringCache } from './expiring-cache.ts';

/**
 * The one check that a caller's account may use the API, whatever credential named it (API key, portal
 * token, single sign-on token): a suspended account is refused with 403 `account_suspended`, an account
 * that is gone with 401. The status is read once per account and `cacheMs` per container, so a
 * suspension or reactivation shows after at most `cacheMs` (the agent profile cache time).
 */
export function activeAccountCheck(
  accounts: Pick<AccountStore, 'getAccount'>,
  cacheMs: number,
  clock: () => number,
): (accountId: string) => Promise<void> {
  const statuses = expiringCache<AccountStatus | undefined>(cacheMs, clock);
  return async (accountId) => {
    const status = await statuses(
      accountId,
      async () => {
        const account = await accounts.getAccount(accountId);
        return account && (account.status ?? 'active');
      },
      (found) => found !== undefined,
    );
    if (status === undefined) throw new AuthenticationError();
    if (status === 'suspended') throw new AccountSuspendedError();
  };
}
