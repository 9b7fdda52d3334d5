import { getRuntime } from '#adapters/runtime';
import { ssoSettingsSchema, ssoSettingsView } from '#domain/sso/sso-settings';
import { SsoSettingsService } from '#domain/sso/sso-settings-service';
import { type ApiDependencies, lazyHandler } from '#http/api-handler';
import { parseJsonBody } from '#http/request';
import { jsonResponse, noContent } from '#http/responses';
import { routedApi } from '#http/routed-api';

/** /api/v2/admin/sso: administrators view, set and remove the account's single sign-on (docs/sso.md). */
export function createSsoHandler(deps: ApiDependencies & { ssoSettings: SsoSettingsService }) {
  return routedApi(deps, {
    'GET /api/v2/admin/sso': async (_event, principal) =>
      jsonResponse(200, ssoSettingsView(await deps.ssoSettings.get(principal))),
    'PUT /api/v2/admin/sso': async (event, principal) => {
      const input = parseJsonBody(event, ssoSettingsSchema);
      return jsonResponse(200, ssoSettingsView(await deps.ssoSettings.put(principal, input)));
    },
    'DELETE /api/v2/admin/sso': async (_event, principal) => {
      await deps.ssoSettings.remove(principal);
      return noContent();
    },
  });
}

export const handler = lazyHandler(() => {
  const runtime = getRuntime('sso');
  return createSsoHandler({
    ...runtime,
    ssoSettings: new SsoSettingsService({
      settings: runtime.sso.settings,
      now: runtime.now,
      allowLoopbackHttpIssuers: runtime.sso.allowLoopbackHttpIssuers,
    }),
  });
});
