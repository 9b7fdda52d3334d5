import { createRemoteJWKSet, decodeJwt, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { AuthenticationError } from '#domain/errors';
import { IdentityProviderUnavailableError } from '#domain/sso/sso-errors';
import { issuerProblem } from '#domain/sso/sso-settings';
import type { TokenAddress, TokenClaims, TokenVerifier } from '#domain/sso/token-verifier';

/** Asymmetric signatures only: never `none`, never HS* (a shared secret the API does not hold). */
export const allowedAlgorithms = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
];
/** Clock skew tolerated between the identity provider and the API for `exp` and `nbf`. */
export const clockToleranceSeconds = 30;
/** How long a discovery document or key set request may take before the sign-in is refused (503). */
export const identityProviderTimeoutMs = 3_000;

/** Token faults (401): anything else while verifying means the provider could not be asked (503). */
const tokenFaults = new Set<string>([
  'ERR_JOSE_ALG_NOT_ALLOWED',
  'ERR_JOSE_NOT_SUPPORTED',
  'ERR_JWS_INVALID',
  'ERR_JWT_INVALID',
  'ERR_JWK_INVALID',
  'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
  'ERR_JWT_CLAIM_VALIDATION_FAILED',
  'ERR_JWT_EXPIRED',
  'ERR_JWKS_NO_MATCHING_KEY',
  'ERR_JWKS_MULTIPLE_MATCHING_KEYS',
]);

export interface OidcTokenVerifierOptions {
  /** The injected clock the token's `exp`, `nbf` and `iat` are checked against. */
  readonly now: () => Date;
  /** The platform runs on this machine: loopback issuers may use plain http (never set on AWS). */
  readonly allowLoopbackHttp: boolean;
  readonly fetch?: typeof fetch;
  /** How soon after a key set fetch a token naming an unknown key id may fetch it again (default 30 s). */
  readonly keySetCooldownMs?: number;
}

/**
 * Verifies OpenID Connect tokens with `jose`. Per issuer and container, the discovery document
 * (`/.well-known/openid-configuration`) is read once and the key set of its `jwks_uri` is kept by
 * jose's remote key set: keys cached up to 10 minutes, refetched (at most every 30 s) when a token
 * names a key id it does not know, so the provider's key rotation needs nothing from us. A failed
 * discovery is not remembered: the next request asks again.
 */
export class OidcTokenVerifier implements TokenVerifier {
  private readonly keySets = new Map<string, Promise<JWTVerifyGetKey>>();

  constructor(private readonly options: OidcTokenVerifierOptions) {}

  address(token: string): TokenAddress | undefined {
    let claims: Record<string, unknown>;
    try {
      claims = decodeJwt(token);
    } catch {
      return undefined;
    }
    if (typeof claims.iss !== 'string') return undefined;
    const audiences =
      typeof claims.aud === 'string' ? [claims.aud] : Array.isArray(claims.aud) ? claims.aud : [];
    const clientIds = [...audiences, claims.client_id].filter((id): id is string => typeof id === 'string');
    return { issuer: claims.iss, clientIds: [...new Set(clientIds)] };
  }

  async verify(token: string, issuer: string): Promise<TokenClaims> {
    if (issuerProblem(issuer, this.options.allowLoopbackHttp)) {
      throw new AuthenticationError('The token was issued by an identity provider the API does not accept.');
    }
    try {
      const keys = await this.keySetOf(issuer);
      const { payload } = await jwtVerify(token, keys, {
        issuer,
        algorithms: allowedAlgorithms,
        clockTolerance: clockToleranceSeconds,
        currentDate: this.options.now(),
        requiredClaims: ['exp'],
      });
      return payload;
    } catch (error) {
      if (error instanceof errors.JOSEError && tokenFaults.has(error.code)) {
        throw new AuthenticationError(
          error.code === 'ERR_JWT_EXPIRED' ? 'The token has expired.' : 'The token is invalid.',
        );
      }
      if (error instanceof AuthenticationError) throw error;
      throw new IdentityProviderUnavailableError();
    }
  }

  private keySetOf(issuer: string): Promise<JWTVerifyGetKey> {
    let keySet = this.keySets.get(issuer);
    if (!keySet) {
      keySet = this.discover(issuer);
      if (this.keySets.size >= 100) this.keySets.clear();
      this.keySets.set(issuer, keySet);
      keySet.catch(() => this.keySets.delete(issuer));
    }
    return keySet;
  }

  private async discover(issuer: string): Promise<JWTVerifyGetKey> {
    const fetchDocument = this.options.fetch ?? fetch;
    const response = await fetchDocument(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`, {
      signal: AbortSignal.timeout(identityProviderTimeoutMs),
      redirect: 'error',
    });
    if (!response.ok) throw new Error('discovery document unavailable');
    const document = (await response.json()) as { issuer?: unknown; jwks_uri?: unknown };
    if (document.issuer !== issuer) {
      throw new AuthenticationError(
        'The identity provider names another issuer than the account configured.',
      );
    }
    if (
      typeof document.jwks_uri !== 'string' ||
      issuerProblem(document.jwks_uri, this.options.allowLoopbackHttp)
    ) {
      throw new AuthenticationError("The identity provider's key set is not at an https URL.");
    }
    return createRemoteJWKSet(new URL(document.jwks_uri), {
      timeoutDuration: identityProviderTimeoutMs,
      cooldownDuration: this.options.keySetCooldownMs ?? 30_000,
      cacheMaxAge: 600_000,
    });
  }
}
