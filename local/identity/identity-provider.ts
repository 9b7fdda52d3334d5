import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import Provider from 'oidc-provider';
import { createMemoryAdapter } from 'oidc-provider/lib/adapters/memory_adapter.js';
import type { RunningEmulator } from '../emulators/emulator.ts';

/** Someone who can sign in at the local identity provider (a demo or test person; local only). */
export interface LocalIdentityUser {
  readonly email: string;
  readonly password: string;
  readonly name: string;
  readonly groups?: readonly string[];
  /** What the provider says in `email_verified` (default true). */
  readonly emailVerified?: boolean;
}

/** A public client (PKCE, no secret) of the local identity provider. */
export interface LocalIdentityClient {
  readonly clientId: string;
  readonly redirectUri: string;
}

export interface RunningIdentityProvider extends RunningEmulator {
  /** The issuer URL, as its tokens state it in `iss` (http on a loopback port). */
  readonly issuer: string;
}

/** How long the provider's ID and access tokens live. */
export const localTokenSeconds = 3600;

/**
 * A real OpenID Connect provider (`oidc-provider`) on a free loopback port, playing a customer's
 * identity provider: discovery, a JWKS with a fresh RS256 key, the authorization code flow with PKCE
 * (required), and our own small login and consent pages (e-mail + password; no dev interactions, which
 * would let anyone in). ID tokens carry `email`, `email_verified`, `name` and `groups`. Local only:
 * plain http, users and passwords in memory.
 */
export async function startLocalIdentityProvider(options: {
  readonly users: readonly LocalIdentityUser[];
  readonly clients: readonly LocalIdentityClient[];
  /** Its RS256 signing key (a private JWK); default a fresh one. Tests pass theirs to forge tokens. */
  readonly signingKey?: JWK;
}): Promise<RunningIdentityProvider> {
  const users = new Map(options.users.map((user) => [user.email.toLowerCase(), user]));
  // The provider needs its issuer URL, known once the server listens: requests wait for nothing, they get 503 before.
  const ready: { provider?: Provider; serve?: (request: IncomingMessage, response: ServerResponse) => void } =
    {};
  const server = createServer((request, response) => {
    if (!ready.provider || !ready.serve) return void response.writeHead(503).end();
    void interactionOrProvider(ready.provider, ready.serve, users, request, response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const signingKey =
    options.signingKey ??
    (await exportJWK((await generateKeyPair('RS256', { extractable: true })).privateKey));
  const provider = new Provider(issuer, {
    // Sessions and grants in this process's memory, on purpose: a local stand-in for a customer's
    // provider, restarted with the platform. Named explicitly, so the provider does not warn about it.
    adapter: createMemoryAdapter(),
    clients: options.clients.map((client) => ({
      client_id: client.clientId,
      token_endpoint_auth_method: 'none',
      redirect_uris: [client.redirectUri],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      application_type: 'native',
    })),
    jwks: { keys: [{ ...signingKey, alg: 'RS256', use: 'sig', kid: signingKey.kid ?? 'local-1' }] },
    async findAccount(_context: unknown, id: string) {
      const user = users.get(id);
      if (!user) return undefined;
      return {
        accountId: id,
        claims: async () => ({
          sub: id,
          email: user.email,
          email_verified: user.emailVerified ?? true,
          name: user.name,
          groups: [...(user.groups ?? [])],
        }),
      };
    },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'], groups: ['groups'] },
    scopes: ['openid', 'email', 'profile', 'groups'],
    // ID tokens of the code flow carry the scopes' claims (not only the userinfo endpoint).
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    features: { devInteractions: { enabled: false } },
    interactions: {
      url: (_context: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}`,
    },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    ttl: {
      IdToken: localTokenSeconds,
      AccessToken: localTokenSeconds,
      Interaction: 600,
      Session: 3600,
      Grant: 3600,
    },
  });
  Object.assign(ready, { provider, serve: provider.callback() });
  return {
    endpoint: issuer,
    issuer,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Our login (`POST /interaction/<uid>/login`) and consent (`POST …/confirm`) pages; the rest is the provider's. */
async function interactionOrProvider(
  provider: Provider,
  serveProvider: (request: IncomingMessage, response: ServerResponse) => void,
  users: ReadonlyMap<string, LocalIdentityUser>,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const match = /^\/interaction\/([A-Za-z0-9_-]+)(\/login|\/confirm)?$/.exec(
    new URL(request.url ?? '/', 'http://x').pathname,
  );
  if (!match) return serveProvider(request, response);
  try {
    const details = await provider.interactionDetails(request, response);
    if (request.method === 'GET') return page(response, 200, details.prompt.name, details.uid);
    const form = new URLSearchParams(await body(request));
    if (match[2] === '/login' && details.prompt.name === 'login') {
      const email = (form.get('email') ?? '').trim().toLowerCase();
      const user = users.get(email);
      if (!user || user.password !== form.get('password')) {
        return page(response, 401, 'login', details.uid, 'Unknown e-mail or wrong password.');
      }
      return provider.interactionFinished(
        request,
        response,
        { login: { accountId: email } },
        { mergeWithLastSubmission: false },
      );
    }
    if (match[2] === '/confirm' && details.prompt.name === 'consent') {
      const grant = details.grantId
        ? ((await provider.Grant.find(details.grantId)) ?? newGrant(provider, details))
        : newGrant(provider, details);
      const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
      if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
      if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
      return provider.interactionFinished(
        request,
        response,
        { consent: { grantId: await grant.save() } },
        { mergeWithLastSubmission: true },
      );
    }
    return page(response, 400, details.prompt.name, details.uid, 'This step does not take that form.');
  } catch {
    if (!response.headersSent)
      response.writeHead(400, { 'content-type': 'text/plain' }).end('Invalid interaction');
  }
}

const newGrant = (
  provider: Provider,
  details: { session?: { accountId?: string }; params: Record<string, unknown> },
) => new provider.Grant({ accountId: details.session?.accountId, clientId: details.params.client_id });

function page(response: ServerResponse, status: number, prompt: string, uid: string, error?: string) {
  const form =
    prompt === 'login'
      ? `<form method="post" action="/interaction/${uid}/login"><input name="email" type="email"><input name="password" type="password"><button>Sign in</button></form>`
      : `<form method="post" action="/interaction/${uid}/confirm"><button>Allow</button></form>`;
  response
    .writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
    .end(`<!doctype html><title>Local identity provider</title>${error ? `<p>${error}</p>` : ''}${form}`);
}

function body(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      text += chunk;
      if (text.length > 10_000) request.destroy();
    });
    request.on('end', () => resolve(text));
    request.on('error', reject);
  });
}
