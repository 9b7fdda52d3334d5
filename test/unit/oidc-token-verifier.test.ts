import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CryptoKey, exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { OidcTokenVerifier } from '../../lambdas/adapters/oidc-token-verifier.ts';
import { AuthenticationError } from '../../lambdas/domain/errors.ts';
import { IdentityProviderUnavailableError } from '../../lambdas/domain/sso/sso-errors.ts';

/** An identity provider's discovery document and key set on a loopback port (no AWS service involved). */
let server: Server;
let issuer: string;
let published: JWK[] = [];
let requests: string[] = [];
let discoveryIssuer: (issuer: string) => string = (own) => own;
const keys = new Map<string, CryptoKey>();

async function newKey(kid: string) {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  keys.set(kid, privateKey);
  return { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
}

const now = new Date('2026-12-07T12:00:00Z');
const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

function sign(claims: Record<string, unknown> = {}, kid = 'k1') {
  return new SignJWT({ email: 'a@example.test', ...claims })
    .setProtectedHeader({ alg: 'RS256', kid })
    .setIssuer(typeof claims.iss === 'string' ? claims.iss : issuer)
    .setAudience('client-a')
    .setIssuedAt(seconds(now) - 5)
    .setExpirationTime(typeof claims.exp === 'number' ? claims.exp : seconds(now) + 300)
    .sign(keys.get(kid) as CryptoKey);
}

const verifier = (clock = () => now, allowLoopbackHttp = true) =>
  new OidcTokenVerifier({ now: clock, allowLoopbackHttp });

beforeAll(async () => {
  server = createServer((request, response) => {
    requests.push(request.url ?? '');
    response.setHeader('content-type', 'application/json');
    if (request.url === '/.well-known/openid-configuration') {
      return response.end(JSON.stringify({ issuer: discoveryIssuer(issuer), jwks_uri: `${issuer}/jwks` }));
    }
    if (request.url === '/jwks') return response.end(JSON.stringify({ keys: published }));
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  published = [await newKey('k1')];
  requests = [];
  discoveryIssuer = (own) => own;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('verifying an OpenID Connect token', () => {
  beforeAll(async () => {
    published = [await newKey('k1')];
  });

  it("answers the claims of a token signed with the issuer's key, reading discovery once", async () => {
    // Prepare
    const tokens = verifier();

    // Act
    const first = await tokens.verify(await sign(), issuer);
    await tokens.verify(await sign(), issuer);

    // Assess
    expect(first.email).toBe('a@example.test');
    expect(requests.filter((url) => url.includes('openid-configuration'))).toHaveLength(1);
    expect(requests.filter((url) => url === '/jwks')).toHaveLength(1);
  });

  it('follows key rotation: a token naming an unknown key id refetches the key set', async () => {
    // Prepare: no cooldown between fetches (30 s deployed, on the real clock).
    const tokens = new OidcTokenVerifier({ now: () => now, allowLoopbackHttp: true, keySetCooldownMs: 0 });
    await tokens.verify(await sign(), issuer);
    published = [await newKey('k2')];

    // Act
    const claims = await tokens.verify(await sign({}, 'k2'), issuer);

    // Assess
    expect(claims.iss).toBe(issuer);
    expect(requests.filter((url) => url === '/jwks')).toHaveLength(2);
  });

  it('refuses expired and not-yet-valid tokens by the injected clock, with 30 s tolerance', async () => {
    // Prepare
    const token = await sign({ exp: seconds(now) + 60 });
    const notYet = await sign({ nbf: seconds(now) + 120 });

    const later = (ms: number) => verifier(() => new Date(now.getTime() + ms)).verify(token, issuer);

    // Act
    const [inTolerance, expired, early] = await Promise.allSettled([
      later(80_000),
      later(91_000),
      verifier().verify(notYet, issuer),
    ]);

    // Assess
    expect(inTolerance.status).toBe('fulfilled');
    expect((expired as PromiseRejectedResult).reason).toBeInstanceOf(AuthenticationError);
    expect((early as PromiseRejectedResult).reason).toBeInstanceOf(AuthenticationError);
  });

  it('refuses a token of another issuer, alg none, HS256 and a bad signature', async () => {
    // Prepare
    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${
      (await sign()).split('.')[1]
    }.`;
    const hmac = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', kid: 'k1' })
      .setIssuer(issuer)
      .setAudience('client-a')
      .setExpirationTime(seconds(now) + 300)
      .sign(new TextEncoder().encode('shared secret'));
    const [head, body] = (await sign()).split('.');
    const forged = `${head}.${body}.${(await sign({ email: 'b@example.test' })).split('.')[2]}`;

    const tokens = [await sign({ iss: 'http://127.0.0.1:9' }), unsigned, hmac, forged, 'a.b.c'];

    // Act
    const outcomes = await Promise.allSettled(tokens.map((token) => verifier().verify(token, issuer)));

    // Assess
    for (const outcome of outcomes) {
      expect(outcome.status).toBe('rejected');
      expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(AuthenticationError);
    }
  });

  it('refuses a discovery document naming another issuer, and plain http unless local', async () => {
    // Prepare
    discoveryIssuer = () => 'https://elsewhere.example.com';

    const token = await sign();

    // Act
    const outcomes = await Promise.allSettled([
      verifier().verify(token, issuer),
      verifier(() => now, false).verify(token, issuer),
    ]);

    // Assess
    for (const outcome of outcomes) {
      expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(AuthenticationError);
    }
  });

  it('answers IdentityProviderUnavailableError (503) when the issuer cannot be reached, and asks again next time', async () => {
    // Prepare
    const tokens = verifier();
    const unreachable = 'http://127.0.0.1:9';

    const token = await sign({ iss: unreachable });

    // Act
    const [first] = await Promise.allSettled([tokens.verify(token, unreachable)]);

    // Assess
    expect((first as PromiseRejectedResult).reason).toBeInstanceOf(IdentityProviderUnavailableError);
    await expect(tokens.verify(await sign(), issuer)).resolves.toBeDefined();
  });
});
