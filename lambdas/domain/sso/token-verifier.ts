/** A token's claims after its signature, issuer and lifetime were checked. */
export type TokenClaims = Readonly<Record<string, unknown>>;

/** Who a token says issued it and for which clients, before any check: only to find the account. */
export interface TokenAddress {
  readonly issuer: string;
  /** `aud` (one or several) and, for access tokens that carry it, `client_id`. */
  readonly clientIds: readonly string[];
}

/** Checks OpenID Connect tokens against their issuer's published keys (lambdas/adapters/oidc-token-verifier.ts). */
export interface TokenVerifier {
  /** The issuer and audiences a token states, unverified; undefined when it is no JWT. */
  address(token: string): TokenAddress | undefined;
  /**
   * The claims of a token signed with a key `issuer` publishes, with an allowed asymmetric algorithm,
   * stating `iss` = `issuer`, unexpired and valid now. AuthenticationError when it is not;
   * IdentityProviderUnavailableError when the issuer's discovery document or keys cannot be read.
   */
  verify(token: string, issuer: string): Promise<TokenClaims>;
}
