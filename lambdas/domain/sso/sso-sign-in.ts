import type { CredentialHolder, Role } from '#domain/account';
import { deriveAgent, newAgent, type StoredAgent } from '#domain/agents/agent-service';
import { AuthenticationError, ConflictError } from '#domain/errors';
import { nextChangeAt } from '#domain/records/record-lifecycle';
import type { Actor } from '#domain/records/record';
import type { RecordStore } from '#domain/records/record-store';
import { checkAudience, emailOf, roleFromGroups, UnusableTokenError } from './sso-claims.ts';
import type { SsoSettingsStore } from './sso-settings-store.ts';
import type { SsoSettings } from './sso-settings.ts';
import type { TokenClaims, TokenVerifier } from './token-verifier.ts';

/** Who changes an agent on their sign-in (creation, role from the identity provider's groups). */
export const ssoActor: Actor = { type: 'system', id: 'sso' };

export interface SsoSignInDependencies {
  /** Settings by issuer and client id (the caller may cache them for a short while). */
  readonly settings: Pick<SsoSettingsStore, 'findByClient'>;
  readonly verifier: TokenVerifier;
  readonly store: RecordStore;
  readonly now: () => Date;
  readonly newId: () => number;
  /** Whether this function may write records: without, no JIT creation and no role change (read-only routes). */
  readonly mayWrite: boolean;
}

/**
 * Signs an agent in with an OpenID Connect token: the account is the one that registered the token's
 * issuer and client id in this region (the credential, never the request, names the tenant); the
 * agent is the live agent of that account with the token's e-mail, created on first sign-in when the
 * account allows just-in-time creation. With a group mapping, the token's groups set the agent's role,
 * also for an existing agent (the identity provider is the source of truth for roles; the change is
 * audited, actor `system:sso`); a token whose groups map to nothing leaves the role as it is.
 */
export class SsoSignIn {
  constructor(private readonly deps: SsoSignInDependencies) {}

  async holderOf(token: string): Promise<CredentialHolder> {
    const address = this.deps.verifier.address(token);
    if (!address) throw new AuthenticationError('The token is malformed.');
    const settings = await this.settingsFor(address.issuer, address.clientIds);
    const claims = await this.deps.verifier.verify(token, settings.issuer);
    checkAudience(claims, settings);
    const email = emailOf(claims, settings);
    const role = roleFromGroups(claims, settings);
    const { accountId } = settings;
    const agentId = await this.deps.store.findByUniqueValue(accountId, 'agent', 'email', email);
    if (agentId === undefined) {
      if (!settings.jit || !this.deps.mayWrite) {
        throw new UnusableTokenError('no agent of the account has its e-mail address');
      }
      return {
        accountId,
        agentId: await this.createAgent(settings, claims, email, role ?? settings.jitRole),
      };
    }
    if (role && this.deps.mayWrite) await this.applyRole(accountId, agentId, role);
    return { accountId, agentId };
  }

  private async settingsFor(issuer: string, clientIds: readonly string[]): Promise<SsoSettings> {
    for (const clientId of clientIds.slice(0, 5)) {
      const settings = await this.deps.settings.findByClient(issuer, clientId);
      if (settings) return settings;
    }
    throw new AuthenticationError('No account of this region accepts tokens of this issuer and client.');
  }

  private async createAgent(
    settings: SsoSettings,
    claims: TokenClaims,
    email: string,
    role: Role,
  ): Promise<number> {
    const at = this.deps.now().toISOString();
    const name =
      typeof claims.name === 'string' && claims.name.trim() ? claims.name.trim() : email.split('@')[0];
    const agent = newAgent(settings.accountId, this.deps.newId(), at, {
      name: (name ?? email).slice(0, 255),
      email,
      role,
    });
    try {
      await this.deps.store.create(agent, {
        at,
        actor: ssoActor,
        operation: 'create',
        record: agent.ref,
        changedFields: ['email', 'name', 'role'],
      });
      return agent.ref.id;
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      // A sign-in of the same person at the same moment created them: that agent is the one.
      const existing = await this.deps.store.findByUniqueValue(settings.accountId, 'agent', 'email', email);
      if (existing === undefined) throw error;
      return existing;
    }
  }

  private async applyRole(accountId: string, agentId: number, role: Role): Promise<void> {
    const agent = await this.deps.store.get<StoredAgent['fields']>(accountId, { type: 'agent', id: agentId });
    if (!agent || agent.deletedAt || agent.supersededBy || agent.fields.role === role) return;
    const next = deriveAgent({
      ...agent,
      version: agent.version + 1,
      updatedAt: nextChangeAt(agent, this.deps.now()),
      fields: { ...agent.fields, role },
    });
    try {
      await this.deps.store.replace(agent, next, {
        at: next.updatedAt,
        actor: ssoActor,
        operation: 'update',
        record: agent.ref,
        changedFields: ['role'],
      });
    } catch (error) {
      // Changed meanwhile: the next sign-in applies the role again.
      if (!(error instanceof ConflictError)) throw error;
    }
  }
}
