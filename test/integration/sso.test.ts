import { exportJWK, generateKeyPair, importJWK, type JWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DynamoAccountStore } from '../../lambdas/adapters/dynamo-account-store.ts';
import { generateApiKey, hashApiKey } from '../../lambdas/domain/api-key.ts';
import {
  type RunningIdentityProvider,
  startLocalIdentityProvider,
} from '../../local/identity/identity-provider.ts';
import { signInWithPkce } from '../../local/identity/oidc-sign-in.ts';
import { localOperatorCredentials } from '../../local/local-credentials.ts';
import { hostingRegion } from '../../lib/residency/index.ts';
import { OperatorClient } from '../../scripts/operator-client.ts';
import { createTestAccount } from './account-fixture.ts';
import { emulatorDocumentClient } from './emulator-clients.ts';
import { basicAuth } from './http-client.ts';

/**
 * Single sign-on on the local platform: agents sign in at a real OpenID Connect provider (the
 * authorization code flow with PKCE, driven here through its login and consent pages) and call the API
 * with the ID token. Role mapping from groups, JIT creation, `sso_required` and every bad token.
 */
const platform = inject('localPlatform');
const { url, table } = platform.regions.eea;
const client = emulatorDocumentClient(platform);
const redirectUri = 'http://127.0.0.1/callback';
const password = 'correct horse battery staple';
const user = (email: string, groups: string[] = [], emailVerified = true) => ({
  email,
  password,
  name: 'Test Person',
  groups,
  emailVerified,
});

let idp: RunningIdentityProvider;
let signingKey: JWK;
/** Account A: known agents only, groups map `leads` to supervisor. Account B: JIT, `helpdesk-admins` → admin. */
let accountA: { id: string; admin: string; agent: string };
let accountB: { id: string; admin: string };

async function api(method: string, path: string, authorization: string, body?: unknown) {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { authorization, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

const signIn = async (email: string, clientId: string) =>
  (await signInWithPkce({ issuer: idp.issuer, clientId, redirectUri, email, password })).idToken;

/** A token signed with the provider's own key (or `key`), stating what the test says. */
async function forged(claims: Record<string, unknown>, options: { key?: JWK; alg?: string } = {}) {
  const now = Math.floor(Date.now() / 1000);
  const key = options.key ?? signingKey;
  return new SignJWT({ email: 'sso-agent@acme.test', email_verified: true, ...claims })
    .setProtectedHeader({ alg: options.alg ?? 'RS256', kid: 'local-1' })
    .setIssuer(typeof claims.iss === 'string' ? claims.iss : idp.issuer)
    .setAudience((claims.aud as string) ?? 'acme-a')
    .setIssuedAt(now - 10)
    .setExpirationTime(typeof claims.exp === 'number' ? claims.exp : now + 600)
    .sign(await importJWK(key, options.alg ?? 'RS256'));
}

beforeAll(async () => {
  signingKey = {
    ...(await exportJWK((await generateKeyPair('RS256', { extractable: true })).privateKey)),
    kid: 'local-1',
  };
  idp = await startLocalIdentityProvider({
    signingKey,
    users: [
      user('sso-agent@acme.test', ['staff']),
      user('sso-lead@acme.test', ['leads']),
      user('unverified@acme.test', [], false),
      user('stranger@acme.test'),
      user('newcomer@acme.test', ['staff']),
      user('boss@acme.test', ['helpdesk-admins']),
    ],
    clients: ['acme-a', 'acme-b', 'acme-s'].map((clientId) => ({ clientId, redirectUri })),
  });
  const a = await createTestAccount(client, table, 'eea', [
    { id: 900, role: 'account_admin' },
    { id: 901, role: 'agent', fields: { email: 'sso-agent@acme.test' } },
    { id: 902, role: 'agent', fields: { email: 'SSO-Lead@acme.test' } },
    { id: 903, role: 'agent', fields: { email: 'unverified@acme.test' } },
  ]);
  accountA = { id: a.id, admin: a.agents[0]?.key ?? '', agent: a.agents[1]?.key ?? '' };
  const b = await createTestAccount(client, table, 'eea', [{ id: 910, role: 'account_admin' }]);
  accountB = { id: b.id, admin: b.agents[0]?.key ?? '' };
  const settingsA = await api('PUT', '/api/v2/admin/sso', basicAuth(accountA.admin), {
    issuer: idp.issuer,
    client_ids: ['acme-a'],
    groups_claim: 'groups',
    group_roles: { leads: 'supervisor' },
  });
  expect(settingsA.status).toBe(200);
  const settingsB = await api('PUT', '/api/v2/admin/sso', basicAuth(accountB.admin), {
    issuer: idp.issuer,
    client_ids: ['acme-b'],
    groups_claim: 'groups',
    group_roles: { 'helpdesk-admins': 'admin' },
    jit: true,
    jit_role: 'agent',
  });
  expect(settingsB.status).toBe(200);
}, 60_000);

afterAll(async () => {
  await idp?.stop();
});

describe('signing in at the identity provider', () => {
  it("lets the local demo admin in with the platform's own identity provider", async () => {
    // Prepare
    const local = platform.identityProvider;
    const demo = local.users.find((candidate) => candidate.email === 'admin@eea.demo.invalid');
    const tokens = await signInWithPkce({
      issuer: local.issuer,
      clientId: local.clientId,
      redirectUri: local.redirectUri,
      email: demo?.email ?? '',
      password: demo?.password ?? '',
    });

    // Act
    const me = await api('GET', '/api/v2/agents/me', `Bearer ${tokens.idToken}`);

    // Assess
    expect(me.status).toBe(200);
    expect(me.body.contact.email).toBe('admin@eea.demo.invalid');
    expect(me.body.role_ids).toEqual([1]);
  });

  it('acts as the agent with the token e-mail, whatever its case', async () => {
    // Prepare
    const token = await signIn('sso-agent@acme.test', 'acme-a');

    // Act
    const me = await api('GET', '/api/v2/agents/me', `Bearer ${token}`);

    // Assess
    expect(me.status).toBe(200);
    expect(me.body.id).toBe(901);
    expect(me.body.role_ids).toEqual([4]);
  });

  it("gives an existing agent the role their groups map to, audited as the SSO's change", async () => {
    // Prepare
    const token = await signIn('sso-lead@acme.test', 'acme-a');

    // Act
    const me = await api('GET', '/api/v2/agents/me', `Bearer ${token}`);
    const trail = await api(
      'GET',
      '/api/v2/audit_log?record_type=agent&record_id=902',
      basicAuth(accountA.admin),
    );

    // Assess
    expect(me.status).toBe(200);
    expect(me.body.id).toBe(902);
    expect(me.body.role_ids).toEqual([3]);
    expect(JSON.stringify(trail.body)).toContain('"sso"');
  });

  it('creates an unknown agent on first sign-in where the account allows JIT, with the default role', async () => {
    // Prepare
    const token = await signIn('newcomer@acme.test', 'acme-b');

    // Act
    const first = await api('GET', '/api/v2/agents/me', `Bearer ${token}`);
    const again = await api('GET', '/api/v2/agents/me', `Bearer ${token}`);
    const seenByAdmin = await api('GET', `/api/v2/agents/${first.body.id}`, basicAuth(accountB.admin));

    // Assess
    expect(first.status).toBe(200);
    expect(first.body.role_ids).toEqual([4]);
    expect(again.body.id).toBe(first.body.id);
    expect(seenByAdmin.status).toBe(200);
    expect(seenByAdmin.body.contact.email).toBe('newcomer@acme.test');
  });

  it('creates a JIT agent with the role their groups map to', async () => {
    // Prepare
    const token = await signIn('boss@acme.test', 'acme-b');

    // Act
    const me = await api('GET', '/api/v2/agents/me', `Bearer ${token}`);

    // Assess
    expect(me.status).toBe(200);
    expect(me.body.role_ids).toEqual([2]);
  });

  it('refuses (401) a person with no agent where the account has no JIT, and an unverified e-mail', async () => {
    // Prepare
    const stranger = await signIn('stranger@acme.test', 'acme-a');
    const unverified = await signIn('unverified@acme.test', 'acme-a');

    // Act
    const answers = [
      await api('GET', '/api/v2/agents/me', `Bearer ${stranger}`),
      await api('GET', '/api/v2/agents/me', `Bearer ${unverified}`),
    ];

    // Assess
    for (const answer of answers) {
      expect(answer.status).toBe(401);
      expect(answer.body.code).toBe('invalid_credentials');
      expect(answer.body.errors[0].code).toBe('invalid_credentials');
    }
  });
});

describe('the SSO settings', () => {
  it("refuses (409) another account's issuer and client id", async () => {
    // Act
    const taken = await api('PUT', '/api/v2/admin/sso', basicAuth(accountB.admin), {
      issuer: idp.issuer,
      client_ids: ['acme-b', 'acme-a'],
    });

    // Assess
    expect(taken.status).toBe(409);
    expect((await api('GET', '/api/v2/admin/sso', basicAuth(accountB.admin))).body.client_ids).toEqual([
      'acme-b',
    ]);
  });

  it('refuses a plain-http issuer that is not on this machine, and an agent (403)', async () => {
    // Act
    const http = await api('PUT', '/api/v2/admin/sso', basicAuth(accountB.admin), {
      issuer: 'http://idp.example.com',
      client_ids: ['x'],
    });
    const byAgent = await api('GET', '/api/v2/admin/sso', basicAuth(accountA.agent));

    // Assess
    expect(http.status).toBe(400);
    expect(http.body.errors[0].field).toBe('issuer');
    expect(byAgent.status).toBe(403);
  });
});

describe('bad tokens', () => {
  it('answers every one with 401 and the API error body, never a 500', async () => {
    // Prepare
    const now = Math.floor(Date.now() / 1000);
    const otherKey = {
      ...(await exportJWK((await generateKeyPair('RS256', { extractable: true })).privateKey)),
      kid: 'local-1',
    };
    const valid = await forged({});
    const [header, payload] = valid.split('.');
    const unsignedPayload = Buffer.from(
      JSON.stringify({ iss: idp.issuer, aud: 'acme-a', exp: now + 600, email: 'sso-agent@acme.test' }),
    ).toString('base64url');
    const tokens: Record<string, string> = {
      expired: await forged({ exp: now - 120 }),
      notYetValid: await forged({ nbf: now + 600 }),
      wrongAudience: await forged({ aud: 'someone-else' }),
      wrongIssuer: await forged({ iss: 'http://127.0.0.1:9/other' }),
      algNone: `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${unsignedPayload}.`,
      hmac: await new SignJWT({ email: 'sso-agent@acme.test' })
        .setProtectedHeader({ alg: 'HS256', kid: 'local-1' })
        .setIssuer(idp.issuer)
        .setAudience('acme-a')
        .setExpirationTime(now + 600)
        .sign(new TextEncoder().encode('a shared secret the API never holds')),
      badSignature: await forged({}, { key: otherKey }),
      tamperedPayload: `${header}.${Buffer.from(JSON.stringify({ iss: idp.issuer, aud: 'acme-a', exp: now + 600, email: 'sso-lead@acme.test' })).toString('base64url')}.${valid.split('.')[2]}`,
      malformed: 'abc.def.ghi',
      malformedJson: `${header}.bm90IGpzb24.${payload}`,
    };

    // Act
    const answers: Record<string, Awaited<ReturnType<typeof api>>> = Object.fromEntries(
      await Promise.all(
        Object.entries(tokens).map(async ([name, token]) => [
          name,
          await api('GET', '/api/v2/agents/me', `Bearer ${token}`),
        ]),
      ),
    );

    // Assess: the valid token of the same key works, so each refusal is the fault named.
    expect((await api('GET', '/api/v2/agents/me', `Bearer ${valid}`)).status).toBe(200);
    for (const [name, answer] of Object.entries(answers)) {
      expect(answer.status, name).toBe(401);
      expect(answer.body.code, name).toBe('invalid_credentials');
      expect(answer.body.errors[0].code, name).toBe('invalid_credentials');
    }
  });

  it('answers 503 (not 500, not a pass) when the identity provider cannot be reached', async () => {
    // Prepare: an account whose identity provider is down before the API ever read its keys.
    const down = await startLocalIdentityProvider({
      users: [user('sso-agent@acme.test')],
      clients: [{ clientId: 'acme-c', redirectUri }],
    });
    const c = await createTestAccount(client, table, 'eea', [
      { id: 920, role: 'account_admin', fields: { email: 'sso-agent@acme.test' } },
    ]);
    const settings = await api('PUT', '/api/v2/admin/sso', basicAuth(c.agents[0]?.key ?? ''), {
      issuer: down.issuer,
      client_ids: ['acme-c'],
    });
    const token = (
      await signInWithPkce({
        issuer: down.issuer,
        clientId: 'acme-c',
        redirectUri,
        email: 'sso-agent@acme.test',
        password,
      })
    ).idToken;
    await down.stop();

    // Act
    const answer = await api('GET', '/api/v2/agents/me', `Bearer ${token}`);

    // Assess
    expect(settings.status).toBe(200);
    expect(answer.status).toBe(503);
    expect(answer.body.code).toBe('identity_provider_unavailable');
  });
});

describe('required single sign-on', () => {
  it("refuses the agents' personal keys (403 sso_required); integration keys and tokens keep working", async () => {
    // Prepare: an integration key of agent 901, made through the store.
    const integrationKey = generateApiKey('eea');
    await new DynamoAccountStore(client, table).addApiKey({
      apiKeyHash: hashApiKey(integrationKey),
      accountId: accountA.id,
      agentId: 901,
      integration: true,
    });
    const before = await api('GET', '/api/v2/agents/me', basicAuth(accountA.agent));
    const required = await api('PUT', '/api/v2/admin/sso', basicAuth(accountA.admin), {
      issuer: idp.issuer,
      client_ids: ['acme-a'],
      groups_claim: 'groups',
      group_roles: { leads: 'supervisor' },
      sso_required: true,
    });
    const token = await signIn('sso-agent@acme.test', 'acme-a');

    // Act
    const personal = await api('GET', '/api/v2/agents/me', basicAuth(accountA.agent));
    const integration = await api('GET', '/api/v2/agents/me', basicAuth(integrationKey));
    const withToken = await api('GET', '/api/v2/agents/me', `Bearer ${token}`);

    // Assess
    expect(before.status).toBe(200);
    expect(required.status).toBe(200);
    expect(required.body.sso_required).toBe(true);
    expect(personal.status).toBe(403);
    expect(personal.body.code).toBe('sso_required');
    expect(integration.status).toBe(200);
    expect(integration.body.id).toBe(901);
    expect(withToken.status).toBe(200);
  });
});

describe('a suspended account', () => {
  it("refuses its agents' SSO tokens with 403 account_suspended until the operator reactivates it", async () => {
    // Prepare: an account whose agent signs in with SSO
    const c = await createTestAccount(client, table, 'eea', [
      { id: 930, role: 'account_admin' },
      { id: 931, role: 'agent', fields: { email: 'newcomer@acme.test' } },
    ]);
    const settings = await api('PUT', '/api/v2/admin/sso', basicAuth(c.agents[0]?.key ?? ''), {
      issuer: idp.issuer,
      client_ids: ['acme-s'],
    });
    expect(settings.status).toBe(200);
    const token = await signIn('newcomer@acme.test', 'acme-s');
    const operator = new OperatorClient(url, localOperatorCredentials, hostingRegion('eea').awsRegion);

    // Act
    const before = await api('GET', '/api/v2/agents/me', `Bearer ${token}`);
    await operator.suspend(c.id);
    const whileSuspended = await api('GET', '/api/v2/agents/me', `Bearer ${token}`);
    await operator.reactivate(c.id);
    const after = await api('GET', '/api/v2/agents/me', `Bearer ${token}`);

    // Assess
    expect(before.status).toBe(200);
    expect(whileSuspended.status).toBe(403);
    expect(whileSuspended.body.code).toBe('account_suspended');
    expect(after.status).toBe(200);
  });
});
