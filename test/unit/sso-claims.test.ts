import { describe, expect, it } from 'vitest';
import { AuthenticationError } from '../../lambdas/domain/errors.ts';
import { bearerJwt } from '../../lambdas/domain/sso/sso-bearer.ts';
import { checkAudience, emailOf, roleFromGroups } from '../../lambdas/domain/sso/sso-claims.ts';
import { issuerProblem } from '../../lambdas/domain/sso/sso-settings.ts';

describe('which issuers an account may name', () => {
  it('accepts https issuers, with or without a path', () => {
    // Assess
    expect(issuerProblem('https://login.example.com', false)).toBeUndefined();
    expect(
      issuerProblem('https://cognito-idp.eu-central-1.amazonaws.com/eu-central-1_Abc', false),
    ).toBeUndefined();
  });

  it('accepts plain http only for a loopback host, and only where the platform runs locally', () => {
    // Assess
    expect(issuerProblem('http://127.0.0.1:4000', true)).toBeUndefined();
    expect(issuerProblem('http://localhost:4000/realm', true)).toBeUndefined();
    expect(issuerProblem('http://127.0.0.1:4000', false)).toBeDefined();
    expect(issuerProblem('http://idp.example.com', true)).toBeDefined();
    expect(issuerProblem('http://127.0.0.1.example.com', true)).toBeDefined();
  });

  it('refuses what is no plain issuer URL: credentials, query, fragment, other schemes, no URL', () => {
    // Assess
    for (const issuer of [
      'https://user:secret@idp.example.com',
      'https://idp.example.com/?tenant=1',
      'https://idp.example.com/#x',
      'ftp://idp.example.com',
      'javascript:alert(1)',
      'idp.example.com',
    ]) {
      expect(issuerProblem(issuer, true), issuer).toBeDefined();
    }
  });
});

describe("a token's audience", () => {
  const settings = { clientIds: ['client-a', 'client-b'] };

  it("is one of the account's clients in aud (one or several)", () => {
    // Assess
    expect(() => checkAudience({ aud: 'client-b' }, settings)).not.toThrow();
    expect(() => checkAudience({ aud: ['other', 'client-a'] }, settings)).not.toThrow();
    expect(() => checkAudience({ aud: 'other' }, settings)).toThrow(AuthenticationError);
    expect(() => checkAudience({}, settings)).toThrow(AuthenticationError);
  });

  it("is an access token's client_id where aud names none (Cognito), but never an ID token's", () => {
    // Assess
    expect(() => checkAudience({ token_use: 'access', client_id: 'client-a' }, settings)).not.toThrow();
    expect(() => checkAudience({ client_id: 'client-a', aud: 'api://x' }, settings)).not.toThrow();
    expect(() => checkAudience({ token_use: 'id', client_id: 'client-a', aud: 'x' }, settings)).toThrow(
      AuthenticationError,
    );
  });

  it('refuses a token_use other than id or access', () => {
    // Assess
    expect(() => checkAudience({ token_use: 'refresh', aud: 'client-a' }, settings)).toThrow(
      AuthenticationError,
    );
  });
});

describe("a token's e-mail", () => {
  it('is read from the configured claim and normalised as agents e-mails are', () => {
    // Assess
    expect(emailOf({ email: ' Ann@Example.COM ' }, { emailClaim: 'email' })).toBe('ann@example.com');
    expect(emailOf({ upn: 'bob@example.com' }, { emailClaim: 'upn' })).toBe('bob@example.com');
  });

  it('is refused when missing, not an address, or not verified by the identity provider', () => {
    // Assess
    expect(() => emailOf({}, { emailClaim: 'email' })).toThrow(AuthenticationError);
    expect(() => emailOf({ email: 'not an address' }, { emailClaim: 'email' })).toThrow(AuthenticationError);
    expect(() => emailOf({ email: ['a@b.c'] }, { emailClaim: 'email' })).toThrow(AuthenticationError);
    expect(() => emailOf({ email: 'a@b.c', email_verified: false }, { emailClaim: 'email' })).toThrow(
      AuthenticationError,
    );
    expect(() => emailOf({ email: 'a@b.c', email_verified: 'false' }, { emailClaim: 'email' })).toThrow(
      AuthenticationError,
    );
  });

  it('names no value of the token in the refusal', () => {
    // Act
    const refusal = (() => {
      try {
        emailOf({ email: 'secret@example.com', email_verified: false }, { emailClaim: 'email' });
      } catch (error) {
        return (error as Error).message;
      }
    })();

    // Assess
    expect(refusal).not.toContain('secret');
  });
});

describe('the role from groups', () => {
  const settings = {
    groupsClaim: 'groups',
    groupRoles: { staff: 'agent', leads: 'supervisor', it: 'admin' } as const,
  };

  it('is the most powerful role any of the groups maps to', () => {
    // Assess
    expect(roleFromGroups({ groups: ['staff', 'leads'] }, settings)).toBe('supervisor');
    expect(roleFromGroups({ groups: ['it', 'staff'] }, settings)).toBe('admin');
    expect(roleFromGroups({ groups: 'leads' }, settings)).toBe('supervisor');
  });

  it('is none when no group maps, the claim is absent, or the account maps no groups', () => {
    // Assess
    expect(roleFromGroups({ groups: ['visitors'] }, settings)).toBeUndefined();
    expect(roleFromGroups({}, settings)).toBeUndefined();
    expect(roleFromGroups({ groups: ['staff'] }, { groupRoles: {} })).toBeUndefined();
  });
});

describe('telling a JWT from a portal token', () => {
  it('takes three base64url segments, also far longer than a portal token', () => {
    // Prepare
    const long = `eyJhbGciOiJSUzI1NiJ9.${'a'.repeat(3000)}.${'b'.repeat(342)}`;

    // Assess
    expect(bearerJwt(`Bearer ${long}`)).toBe(long);
    expect(bearerJwt('bearer abc.def.')).toBe('abc.def.');
  });

  it('leaves portal tokens, Basic auth and other shapes alone', () => {
    // Assess
    expect(bearerJwt('Bearer hdpt.eea.0f0f.42.2000000000.1.mac')).toBeUndefined();
    expect(bearerJwt('Basic YWJjOlg=')).toBeUndefined();
    expect(bearerJwt('Bearer a.b')).toBeUndefined();
    expect(bearerJwt(undefined)).toBeUndefined();
  });
});
