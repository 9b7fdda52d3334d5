import { getRuntime } from '#adapters/runtime';
import { accountView } from '#domain/account';
import { AuthenticationError, WrongRegionError } from '#domain/errors';
import { type ApiDependencies, authenticatedApi, lazyHandler } from '#http/api-handler';
import { jsonResponse } from '#http/responses';
import { hostingRegion } from '#lib/residency/index';

/** GET /api/v2/account: the calling account's id, name, home region and products. */
export function createAccountHandler(deps: ApiDependencies) {
  return authenticatedApi(deps, async (_event, principal) => {
    const account = await deps.accounts.getAccount(principal.accountId);
    // A key whose account is gone is no credential at all.
    if (!account) throw new AuthenticationError();
    if (account.homeRegion !== deps.homeRegion) {
      throw new WrongRegionError(account.homeRegion, hostingRegion(account.homeRegion).name);
    }
    return jsonResponse(200, accountView(account));
  });
}

export const handler = lazyHandler(() => {
  const runtime = getRuntime('account');
  return createAccountHandler(runtime);
});
