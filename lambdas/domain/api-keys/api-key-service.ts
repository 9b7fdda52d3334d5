import { z } from 'zod';
import type { Principal } from '#domain/account';
import { apiKeyIdOf, apiKeyPrefix, generateApiKey, hashApiKey } from '#domain/api-key';
import { requireAdmin } from '#domain/agents/permissions';
import { requireRankOver } from '#domain/agents/agent-rank';
import type { AgentFields } from '#domain/agents/agent-service';
import { NotFoundError } from '#domain/errors';
import { actorOf } from '#domain/records/record-lifecycle';
import type { RecordStore } from '#domain/records/record-store';
import type { AuditEntry } from '#domain/records/record';
import type { HostingRegionKey } from '#lib/residency/index';
import type { ApiKeyInfo, ApiKeyStore } from './api-key-store.ts';
import { type CreateApiKeyInput, checkedExpiry } from './api-key-options.ts';

export interface ApiKeyServiceDependencies {
  readonly keys: ApiKeyStore;
  readonly store: RecordStore;
  readonly homeRegion: HostingRegionKey;
  readonly now: () => Date;
}

/** A key as its list shows it: never the secret nor its hash. */
export const apiKeyViewSchema = z.strictObject({
  id: z.number().int(),
  prefix: z.string().nullable(),
  created_at: z.string(),
  last_used_on: z.string().nullable(),
  expires_at: z.string().nullable(),
  read_only: z.boolean(),
  integration: z.boolean(),
});
/** A key just issued: its secret, in this answer only. */
export const issuedApiKeyViewSchema = apiKeyViewSchema.extend({ api_key: z.string() });
export const apiKeyView = (key: ApiKeyInfo): z.infer<typeof apiKeyViewSchema> => ({
  id: key.keyId,
  prefix: key.prefix ?? null,
  created_at: key.createdAt,
  last_used_on: key.lastUsedOn ?? null,
  expires_at: key.expiresAt ?? null,
  read_only: key.readOnly ?? false,
  integration: key.integration ?? false,
});

/** The audit entry of a key issued or revoked: on the agent, naming `api_keys` (never a key or its id). */
const keysChanged = (principal: Principal, agentId: number, at: string): AuditEntry => ({
  at,
  actor: actorOf(principal),
  operation: 'update',
  record: { type: 'agent', id: agentId },
  changedFields: ['api_keys'],
});

/**
 * Each agent's own API keys (docs/api-keys.md): an agent issues, lists and revokes their own; an
 * administrator those of any agent of the account, and only an administrator issues integration keys.
 */
export class ApiKeyService {
  constructor(private readonly deps: ApiKeyServiceDependencies) {}

  /** Issues a key to the agent; the secret is in this answer only (only its hash is stored). */
  async create(principal: Principal, agentId: number, input: CreateApiKeyInput) {
    await this.requireHolder(principal, agentId, 'issue API keys to another agent');
    if (input.integration) requireAdmin(principal, 'issue an integration key');
    const now = this.deps.now();
    const expiresAt = checkedExpiry(input.expires_at, now);
    const apiKey = generateApiKey(this.deps.homeRegion);
    const apiKeyHash = hashApiKey(apiKey);
    const key = {
      apiKeyHash,
      accountId: principal.accountId,
      agentId,
      prefix: apiKeyPrefix(apiKey),
      ...(principal.rateLimitPerMinute !== undefined && { rateLimitPerMinute: principal.rateLimitPerMinute }),
      ...(expiresAt !== undefined && { expiresAt }),
      ...(input.read_only && { readOnly: true }),
      ...(input.integration && { integration: true }),
    };
    const createdAt = now.toISOString();
    await this.deps.keys.issue(key, createdAt, keysChanged(principal, agentId, createdAt));
    return { ...apiKeyView({ ...key, keyId: apiKeyIdOf(apiKeyHash), createdAt }), api_key: apiKey };
  }

  async list(principal: Principal, agentId: number): Promise<ApiKeyInfo[]> {
    await this.requireHolder(principal, agentId, "list another agent's API keys");
    return this.deps.keys.keysOf(principal.accountId, agentId);
  }

  async revoke(principal: Principal, agentId: number, keyId: number): Promise<void> {
    await this.requireHolder(principal, agentId, "revoke another agent's API keys");
    const audit = keysChanged(principal, agentId, this.deps.now().toISOString());
    if (!(await this.deps.keys.revoke(principal.accountId, agentId, keyId, audit))) throw new NotFoundError();
  }

  /** The caller themselves, or an administrator acting on a live agent of their account (else 403/404). */
  private async requireHolder(principal: Principal, agentId: number, what: string): Promise<void> {
    if (agentId === principal.agentId) return;
    requireAdmin(principal, what);
    const agent = await this.deps.store.get<AgentFields>(principal.accountId, { type: 'agent', id: agentId });
    if (!agent || agent.deletedAt || agent.supersededBy) throw new NotFoundError();
    // A key acts as its agent: none of an agent of a higher role than the caller's.
    requireRankOver(principal, agent.fields.role, what);
  }
}
