import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { LocalEndpoints } from '../local/platform.ts';
import { signInWithPkce } from '../local/identity/oidc-sign-in.ts';

/**
 * `npm run sso-token -- <e-mail>`: signs a demo user in at the local identity provider of `npm start`
 * (authorization code flow with PKCE) and prints their ID token, for
 * `curl -H "Authorization: Bearer $(npm run -s sso-token -- admin@eea.demo.invalid)" …/api/v2/agents/me`.
 */
const endpoints = JSON.parse(
  readFileSync(join(resolve(import.meta.dirname, '..'), '.local', 'endpoints.json'), 'utf8'),
) as LocalEndpoints;
const idp = endpoints.identityProvider;
const email = process.argv[2] ?? idp.users[0]?.email ?? '';
const user = idp.users.find((candidate) => candidate.email === email);
if (!user) {
  console.error(`Unknown local user; one of: ${idp.users.map((candidate) => candidate.email).join(', ')}`);
  process.exit(2);
}
const tokens = await signInWithPkce({
  issuer: idp.issuer,
  clientId: idp.clientId,
  redirectUri: idp.redirectUri,
  email: user.email,
  password: user.password,
});
console.log(tokens.idToken);
