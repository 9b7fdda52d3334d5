import { type Role, roles } from '#domain/account';
import { normaliseEmail } from '#domain/contacts/contact-schema';
import { AuthenticationError } from '#domain/errors';
import type { SsoSettings } from './sso-settings.ts';
import type { TokenClaims } from './token-verifier.ts';

/** Why a verified token still names nobody; the message names no value of the token. */
export class UnusableTokenError extends AuthenticationError {
  constructor(reason: string) {
    super(`The token cannot sign in an agent: ${reason}.`);
    this.name = 'UnusableTokenError';
  }
}

const strings = (value: unknown): string[] =>
  typeof value === 'string'
    ? [value]
    : Array.isArray(value)
      ? value.filter((v) => typeof v === 'string')
      : [];

/**
 * The token was issued for one of the account's clients: an ID token names it in `aud`; an access
 * token in `aud` or, where the identity provider puts something else there or nothing (Cognito), in
 * `client_id`. Cognito's `token_use`, where present, must say `id` or `access`.
 */
export function checkAudience(claims: TokenClaims, settings: Pick<SsoSettings, 'clientIds'>): void {
  const tokenUse = claims.token_use;
  if (tokenUse !== undefined && tokenUse !== 'id' && tokenUse !== 'access') {
    throw new UnusableTokenError('it is neither an ID token nor an access token');
  }
  const audiences = [...strings(claims.aud), ...(tokenUse === 'id' ? [] : strings(claims.client_id))];
  if (!audiences.some((audience) => settings.clientIds.includes(audience))) {
    throw new UnusableTokenError("it was issued for another client than the account's");
  }
}

/** The agent's e-mail the token states in the account's e-mail claim, normalised as agents' e-mails are. */
export function emailOf(claims: TokenClaims, settings: Pick<SsoSettings, 'emailClaim'>): string {
  const email = claims[settings.emailClaim];
  if (typeof email !== 'string' || !/^[^\s@]{1,64}@[^\s@]{1,190}$/.test(email.trim())) {
    throw new UnusableTokenError('it states no e-mail address in the configured claim');
  }
  if (claims.email_verified === false || claims.email_verified === 'false') {
    throw new UnusableTokenError('the identity provider has not verified the e-mail address');
  }
  return normaliseEmail(email);
}

/**
 * The role the token's groups give, the most powerful one when several groups map; undefined when the
 * account maps no groups or none of the token's groups maps.
 */
export function roleFromGroups(
  claims: TokenClaims,
  settings: Pick<SsoSettings, 'groupsClaim' | 'groupRoles'>,
): Role | undefined {
  if (!settings.groupsClaim) return undefined;
  const mapped = new Set(strings(claims[settings.groupsClaim]).map((group) => settings.groupRoles[group]));
  // `roles` lists the most powerful role first.
  return roles.find((role) => mapped.has(role));
}
