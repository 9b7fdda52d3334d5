import { describe, expect, it } from 'vitest';
import { newAgent } from '../../lambdas/domain/agents/agent-service.ts';
import { AuthenticationError, ConflictError } from '../../lambdas/domain/errors.ts';
import type { AuditEntry, StoredRecord } from '../../lambdas/domain/records/record.ts';
import type { RecordStore } from '../../lambdas/domain/records/record-store.ts';
import type { SsoSettings } from '../../lambdas/domain/sso/sso-settings.ts';
import { SsoSignIn } from '../../lambdas/domain/sso/sso-sign-in.ts';
import type { TokenClaims } from '../../lambdas/domain/sso/token-verifier.ts';

const accountId = '0a0b0c0d-0000-4000-8000-000000000001';
const settings: SsoSettings = {
  accountId,
  issuer: 'https://idp.example.com',
  clientIds: ['client-a'],
  emailClaim: 'email',
  groupsClaim: 'groups',
  groupRoles: { leads: 'supervisor' },
  ssoRequired: false,
  jit: true,
  jitRole: 'agent',
  updatedAt: '2026-12-01T00:00:00.000Z',
};

/** Agents by e-mail in our RecordStore interface (a domain double, no AWS service); records writes. */
function agentStore(
  agents: Record<string, StoredRecord<object>>,
  options: { conflictOnCreate?: boolean } = {},
) {
  const writes: { kind: string; record: StoredRecord<object>; audit: AuditEntry }[] = [];
  const store = {
    writes,
    async findByUniqueValue(_account: string, _type: string, _name: string, email: string) {
      return agents[email]?.ref.id;
    },
    async get(_account: string, ref: { id: number }) {
      return Object.values(agents).find((agent) => agent.ref.id === ref.id);
    },
    async create(record: StoredRecord<object>, audit: AuditEntry) {
      if (options.conflictOnCreate) {
        agents[(record.fields as { email: string }).email] = { ...record, ref: { type: 'agent', id: 77 } };
        throw new ConflictError('taken');
      }
      writes.push({ kind: 'create', record, audit });
    },
    async replace(_previous: StoredRecord<object>, record: StoredRecord<object>, audit: AuditEntry) {
      writes.push({ kind: 'replace', record, audit });
    },
  };
  return store;
}

function signIn(
  store: ReturnType<typeof agentStore>,
  claims: TokenClaims,
  overrides: { settings?: Partial<SsoSettings>; mayWrite?: boolean } = {},
) {
  const verifiedWith: string[] = [];
  const service = new SsoSignIn({
    settings: {
      findByClient: async (issuer, clientId) =>
        issuer === 'https://idp.example.com' && clientId === 'client-a'
          ? { ...settings, ...overrides.settings }
          : undefined,
    },
    verifier: {
      address: () => ({ issuer: String(claims.iss), clientIds: [String(claims.aud)] }),
      verify: async (_token, issuer) => {
        verifiedWith.push(issuer);
        return claims;
      },
    },
    store: store as unknown as RecordStore,
    now: () => new Date('2026-12-07T12:00:00.000Z'),
    newId: () => 4242,
    mayWrite: overrides.mayWrite ?? true,
  });
  return { holder: () => service.holderOf('a.b.c'), verifiedWith };
}

const token = (claims: Record<string, unknown>): TokenClaims => ({
  iss: 'https://idp.example.com',
  aud: 'client-a',
  email: 'ann@example.com',
  ...claims,
});
const existing = (role: 'agent' | 'supervisor' = 'agent') =>
  newAgent(accountId, 7, '2026-01-01T00:00:00.000Z', { name: 'Ann', email: 'ann@example.com', role });

describe('signing an agent in with a verified token', () => {
  it("names the live agent with the token's e-mail, verified against the settings' issuer", async () => {
    // Prepare
    const store = agentStore({ 'ann@example.com': existing() });
    const { holder, verifiedWith } = signIn(store, token({ email: 'Ann@Example.com' }));

    // Act
    const found = await holder();

    // Assess
    expect(found).toEqual({ accountId, agentId: 7 });
    expect(verifiedWith).toEqual(['https://idp.example.com']);
    expect(store.writes).toEqual([]);
  });

  it('refuses a token whose issuer and client no account registered', async () => {
    // Prepare
    const { holder } = signIn(agentStore({}), token({ aud: 'other-client' }));

    // Act
    const outcome = holder();

    // Assess
    await expect(outcome).rejects.toThrow(AuthenticationError);
  });

  it('creates an unknown agent (JIT) with the mapped role, audited as system:sso with field names', async () => {
    // Prepare
    const store = agentStore({});
    const { holder } = signIn(store, token({ groups: ['leads'], name: 'Ann Lee' }));

    // Act
    const found = await holder();

    // Assess
    expect(found).toEqual({ accountId, agentId: 4242 });
    const [write] = store.writes;
    expect(write?.kind).toBe('create');
    expect(write?.record.fields).toMatchObject({
      email: 'ann@example.com',
      role: 'supervisor',
      name: 'Ann Lee',
    });
    expect(write?.record.uniqueValues).toEqual({ email: 'ann@example.com' });
    expect(write?.audit).toMatchObject({
      actor: { type: 'system', id: 'sso' },
      changedFields: ['email', 'name', 'role'],
    });
  });

  it('creates with the default role when no group maps, and finds the agent a racing sign-in made', async () => {
    // Prepare
    const plain = agentStore({});
    const racing = agentStore({}, { conflictOnCreate: true });

    // Act
    await signIn(plain, token({}), { settings: { jitRole: 'agent' } }).holder();
    const raced = await signIn(racing, token({})).holder();

    // Assess
    expect(plain.writes[0]?.record.fields).toMatchObject({ role: 'agent' });
    expect(raced).toEqual({ accountId, agentId: 77 });
  });

  it('refuses an unknown agent without JIT, and where the function may not write', async () => {
    // Prepare
    const store = agentStore({});

    // Act
    const outcomes = await Promise.allSettled([
      signIn(store, token({}), { settings: { jit: false } }).holder(),
      signIn(store, token({}), { mayWrite: false }).holder(),
    ]);

    // Assess
    for (const outcome of outcomes) {
      expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(AuthenticationError);
    }
    expect(store.writes).toEqual([]);
  });

  it("sets an existing agent's role from their groups, once, and not where the function may not write", async () => {
    // Prepare
    const store = agentStore({ 'ann@example.com': existing('agent') });
    const readOnly = agentStore({ 'ann@example.com': existing('agent') });
    const same = agentStore({ 'ann@example.com': existing('supervisor') });

    // Act
    await signIn(store, token({ groups: ['leads'] })).holder();
    await signIn(readOnly, token({ groups: ['leads'] }), { mayWrite: false }).holder();
    await signIn(same, token({ groups: ['leads'] })).holder();

    // Assess
    expect(store.writes).toHaveLength(1);
    expect(store.writes[0]?.record.fields).toMatchObject({ role: 'supervisor' });
    expect(store.writes[0]?.audit).toMatchObject({ operation: 'update', changedFields: ['role'] });
    expect(readOnly.writes).toEqual([]);
    expect(same.writes).toEqual([]);
  });

  it('leaves the role alone when no group maps (an IdP without groups never demotes)', async () => {
    // Prepare
    const store = agentStore({ 'ann@example.com': existing('supervisor') });

    // Act
    await signIn(store, token({ groups: ['visitors'] })).holder();
    await signIn(store, token({})).holder();

    // Assess
    expect(store.writes).toEqual([]);
  });
});
