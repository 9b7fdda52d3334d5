import { DynamoSsoSettingsStore } from '#adapters/dynamo-sso-settings-store';
import { ssoSettingsRef } from '#domain/sso/sso-settings-service';
import { type HostingRegionKey, hostingRegionKeys } from '#lib/residency/index';
import { localDocumentClient } from '../local-document-client.ts';
import { type EmulatorEndpoints, localResourceNames } from '../local-environment.ts';
import type { LocalIdentityClient, LocalIdentityUser } from './identity-provider.ts';

/** The demo client every local demo account accepts tokens of. */
export const demoSsoClient: LocalIdentityClient = {
  clientId: 'helpdesk-local',
  redirectUri: 'http://127.0.0.1/callback',
};

/** A local demo password (the local identity provider only; nothing real signs in with it). */
export const demoSsoPassword = 'demo-sso-password';

/** The demo admin of each region (the seeded account owner) can sign in at the local identity provider. */
export const demoSsoUsers: readonly LocalIdentityUser[] = hostingRegionKeys.map((region) => ({
  email: `admin@${region}.demo.invalid`,
  password: demoSsoPassword,
  name: 'Demo Admin',
  groups: ['helpdesk-admins'],
}));

/** What `.local/endpoints.json` says about the local identity provider. */
export interface IdentityProviderEndpoint {
  readonly issuer: string;
  readonly clientId: string;
  readonly redirectUri: string;
  readonly users: readonly { readonly email: string; readonly password: string }[];
}

/**
 * Points a region's demo account at the local identity provider, through the real store: its demo
 * client, e-mail in `email`, SSO optional, no JIT, no group mapping (the demo admin stays account admin).
 */
export async function configureDemoSso(
  region: HostingRegionKey,
  endpoints: EmulatorEndpoints,
  accountId: string,
  issuer: string,
): Promise<void> {
  const client = localDocumentClient(endpoints);
  try {
    const at = new Date().toISOString();
    await new DynamoSsoSettingsStore(client, localResourceNames(region).table).put(
      {
        accountId,
        issuer,
        clientIds: [demoSsoClient.clientId],
        emailClaim: 'email',
        groupRoles: {},
        ssoRequired: false,
        jit: false,
        jitRole: 'agent',
        updatedAt: at,
      },
      undefined,
      {
        at,
        actor: { type: 'system', id: 'seed' },
        operation: 'create',
        record: ssoSettingsRef,
        changedFields: ['clientIds', 'emailClaim', 'issuer'],
      },
    );
  } finally {
    client.destroy();
  }
}
