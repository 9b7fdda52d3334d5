import { createHash, randomBytes } from 'node:crypto';

/** The tokens a sign-in ends with. */
export interface SignInTokens {
  readonly idToken: string;
  readonly accessToken: string;
}

export interface SignInOptions {
  readonly issuer: string;
  readonly clientId: string;
  readonly redirectUri: string;
  readonly email: string;
  readonly password: string;
  readonly scope?: string;
}

/** The identity provider refused the sign-in or answered what the flow does not expect. */
export class SignInError extends Error {
  constructor(step: string, status: number) {
    super(`Sign-in failed at ${step} (HTTP ${status})`);
    this.name = 'SignInError';
  }
}

/**
 * Signs a person in at an OpenID Connect provider the way a browser would, with plain HTTP requests:
 * the authorization code flow with PKCE (S256), through the provider's login and consent pages of
 * the local identity provider (local/identity/identity-provider.ts), then the code for tokens at the
 * token endpoint. Used by the acceptance test and by `npm run sso-token`.
 */
export async function signInWithPkce(options: SignInOptions): Promise<SignInTokens> {
  const discovery = (await (await fetch(`${options.issuer}/.well-known/openid-configuration`)).json()) as {
    authorization_endpoint: string;
    token_endpoint: string;
  };
  const verifier = randomBytes(32).toString('base64url');
  const state = randomBytes(16).toString('base64url');
  const authorize = new URL(discovery.authorization_endpoint);
  authorize.search = new URLSearchParams({
    client_id: options.clientId,
    redirect_uri: options.redirectUri,
    response_type: 'code',
    scope: options.scope ?? 'openid email profile groups',
    state,
    nonce: randomBytes(16).toString('base64url'),
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  }).toString();

  const cookies = new Map<string, string>();
  const send = async (url: string, form?: Record<string, string>) => {
    const response = await fetch(url, {
      method: form ? 'POST' : 'GET',
      redirect: 'manual',
      headers: {
        cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; '),
        ...(form && { 'content-type': 'application/x-www-form-urlencoded' }),
      },
      body: form && new URLSearchParams(form).toString(),
    });
    for (const header of response.headers.getSetCookie()) {
      const [pair = ''] = header.split(';');
      const [name = '', value = ''] = pair.split('=');
      if (value && !/expires=Thu, 01 Jan 1970/i.test(header)) cookies.set(name.trim(), value);
      else cookies.delete(name.trim());
    }
    return response;
  };

  let url = authorize.toString();
  let form: Record<string, string> | undefined;
  for (let step = 0; step < 12; step += 1) {
    const response = await send(url, form);
    form = undefined;
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      const next = new URL(location, url);
      if (next.href.startsWith(options.redirectUri)) {
        if (next.searchParams.get('state') !== state || !next.searchParams.get('code')) {
          throw new SignInError('the redirect back to the client', response.status);
        }
        return exchange(discovery.token_endpoint, options, next.searchParams.get('code') ?? '', verifier);
      }
      url = next.href;
      continue;
    }
    const page = await response.text();
    if (response.status !== 200) throw new SignInError(new URL(url).pathname, response.status);
    const action = /action="([^"]+)"/.exec(page)?.[1];
    if (!action) throw new SignInError('a page without a form', response.status);
    url = new URL(action, url).href;
    form = action.endsWith('/login') ? { email: options.email, password: options.password } : {};
  }
  throw new SignInError('too many redirects', 0);
}

async function exchange(
  tokenEndpoint: string,
  options: SignInOptions,
  code: string,
  verifier: string,
): Promise<SignInTokens> {
  const response = await fetch(tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: options.redirectUri,
      client_id: options.clientId,
      code_verifier: verifier,
    }).toString(),
  });
  if (!response.ok) throw new SignInError('the token endpoint', response.status);
  const tokens = (await response.json()) as { id_token?: string; access_token?: string };
  if (!tokens.id_token || !tokens.access_token) throw new SignInError('the token endpoint', response.status);
  return { idToken: tokens.id_token, accessToken: tokens.access_token };
}
