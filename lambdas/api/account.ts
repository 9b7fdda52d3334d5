import { getRuntime } from '#adapters/runtime';
import { type Account, accountView, helpdeskSettingsView, type Principal } from '#domain/account';
import { AuthenticationError, WrongRegionError } from '#domain/errors';
import { type ApiDependencies, lazyHandler } from '#http/api-handler';
import { jsonResponse } from '#http/responses';
import { routedApi } from '#http/routed-api';
import { hostingRegion } from '#lib/residency/index';

/**
 * GET /api/v2/account: the calling account's id, name, home region and products; GET
 * /api/v2/settings/helpdesk: its languages, as Freshdesk v2 answers them.
 */
export function createAccountHandler(deps: ApiDependencies) {
  const callingAccount = async (principal: Principal): Promise<Account> => {
    const account = await deps.accounts.getAccount(principal.accountId);
    // A key whose account is gone is no credential at all.
    if (!account) throw new AuthenticationError();
    if (account.homeRegion !== deps.homeRegion) {
      throw new WrongRegionError(account.homeRegion, hostingRegion(account.homeRegion).name);
    }
    return account;
  };
  return routedApi(deps, {
    'GET /api/v2/account': async (_event, principal) =>
      jsonResponse(200, accountView(await callingAccount(principal))),
    'GET /api/v2/settings/helpdesk': async (_event, principal) =>
      jsonResponse(200, helpdeskSettingsView(await callingAccount(principal))),
  });
}

export const handler = lazyHandler(() => {
  const runtime = getRuntime('account');
  return createAccountHandler(runtime);
});
