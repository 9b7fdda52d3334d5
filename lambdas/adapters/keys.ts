import { recordPk } from './record-keys.ts';

/**
 * Primary keys of the items the platform stores (see docs/access-patterns.md). Every record of an
 * account lives under a key that starts with the account id, so no query can reach another account.
 */
export const accountKey = (accountId: string) => ({ pk: `ACCOUNT#${accountId}`, sk: 'PROFILE' });

/** API keys are found by the hash of the secret; the secret itself is never stored. */
export const apiKeyKey = (apiKeyHash: string) => ({ pk: `APIKEY#${apiKeyHash}`, sk: 'APIKEY' });

/** The hashes of every API key an agent holds: one item in the agent's own partition, beside its profile. */
export const apiKeyRingKey = (accountId: string, agentId: number) => ({
  pk: recordPk(accountId, { type: 'agent', id: agentId }),
  sk: 'APIKEYS',
});

/** The account's portal-token signing secret (one per account, created on first use). */
export const portalSecretKey = (accountId: string) => ({ pk: `A#${accountId}#PORTAL_SECRET`, sk: 'SECRET' });

/** The region's directory of accounts (operators list it): one item per account, oldest first. */
export const ACCOUNT_DIRECTORY_PK = 'DIRECTORY#ACCOUNTS';
export const accountDirectoryKey = (createdAt: string, accountId: string) => ({
  pk: ACCOUNT_DIRECTORY_PK,
  sk: `${createdAt}#${accountId}`,
});

/** The region's operator audit: one item per operator action, by time. */
export const OPERATOR_AUDIT_PK = 'OPERATOR_AUDIT';
export const operatorAuditKey = (at: string, accountId: string, version: number) => ({
  pk: OPERATOR_AUDIT_PK,
  sk: `${at}#${accountId}#${String(version).padStart(8, '0')}`,
});

/** The account's single sign-on settings (one per account). */
export const ssoSettingsKey = (accountId: string) => ({ pk: `A#${accountId}#SSO`, sk: 'SETTINGS' });

/**
 * The claim of one issuer + client id pair by the account that registered it: at most one account
 * of the region holds a pair, so a token finds its account by `iss` and `aud` alone. Hashed to bound
 * the key's length (the issuer is a URL of the customer's identity provider, not personal data).
 */
export const ssoClientKey = (issuerAndClientHash: string) => ({
  pk: `SSO#${issuerAndClientHash}`,
  sk: 'CLIENT',
});
