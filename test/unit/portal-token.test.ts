import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  bearerToken,
  isValidPortalToken,
  readPortalToken,
  signPortalToken,
} from '../../lambdas/domain/contacts/portal-token.ts';
import { requesterRoutes } from '../../lambdas/http/requester-routes.ts';
import { apiRoutes, portalTokenFunctions } from '../../lib/platform/api-routes.ts';

const secret = randomBytes(32);
const claims = {
  homeRegion: 'eea' as const,
  accountId: '0f8fad5b-d9cb-469f-a165-70867728950e',
  contactId: 42,
  expiresAt: 2_000_000_000,
  generation: 3,
};

describe('portal tokens', () => {
  it('carry ids, expiry and the secret generation only, and verify until they expire', () => {
    const token = signPortalToken(secret, claims);

    expect(token.split('.').slice(0, -1)).toEqual(['hdpt', 'eea', claims.accountId, '42', '2000000000', '3']);
    expect(readPortalToken(token)).toEqual(claims);
    expect(isValidPortalToken(secret, token, new Date(claims.expiresAt * 1000 - 1))).toBe(true);
    expect(isValidPortalToken(secret, token, new Date(claims.expiresAt * 1000))).toBe(false);
  });

  it('refuse any change to the claims, another secret, and malformed tokens', () => {
    const token = signPortalToken(secret, claims);
    const mac = token.split('.').at(-1);
    const altered = signPortalToken(secret, { ...claims, contactId: 43 })
      .split('.')
      .slice(0, -1);
    const now = new Date(0);

    expect(isValidPortalToken(secret, [...altered, mac].join('.'), now)).toBe(false);
    expect(isValidPortalToken(randomBytes(32), token, now)).toBe(false);
    for (const bad of [
      '',
      'hdpt',
      `${token}.x`,
      token.replace('hdpt', 'HDPT'),
      token.replace('.42.', '.042.'),
      token.replace('.2000000000.3.', '.2000000000.4.'),
      token.replace('.2000000000.3.', '.2000000000.0.'),
      token.replace('.2000000000.3.', '.2000000000.'),
    ]) {
      expect(isValidPortalToken(secret, bad, now)).toBe(false);
    }
  });

  it('are read from a Bearer Authorization header only', () => {
    expect(bearerToken('Bearer abc.def')).toBe('abc.def');
    expect(bearerToken('bearer  abc ')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });
});

describe('requester routes', () => {
  it('are all routes of the API', () => {
    const routes = new Set(apiRoutes.map((route) => `${route.method} ${route.path}`));

    expect([...requesterRoutes].filter((route) => !routes.has(route))).toEqual([]);
  });

  it('are served by exactly the functions that may decrypt portal-token secrets, with the issuing one', () => {
    // Prepare
    const functionOf = new Map(apiRoutes.map((route) => [`${route.method} ${route.path}`, route.function]));
    const issuing = [
      'POST /api/v2/contacts/{id}/portal_token',
      'POST /api/v2/admin/portal_token_secret/rotate',
    ];

    // Act
    const serving = new Set([...requesterRoutes, ...issuing].map((route) => functionOf.get(route)));

    // Assess
    expect([...serving].sort()).toEqual([...portalTokenFunctions].sort());
  });
});
