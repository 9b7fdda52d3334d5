import type { Principal } from '#domain/account';
import type { ApiKeyStore } from '#domain/api-keys/api-key-store';
import type { ContactFields } from '#domain/contacts/contact-schema';
import { type StoredContact, contactRef, deriveContact, newContact } from '#domain/contacts/contact-service';
import { ConflictError } from '#domain/errors';
import { RecordLifecycle, actorOf, nextChangeAt } from '#domain/records/record-lifecycle';
import type { RecordChange, RecordStore } from '#domain/records/record-store';
import { changedFieldNames } from '#domain/records/record';
import { type AgentFields, type StoredAgent, deriveAgent } from './agent-service.ts';
import { requirePermission } from '#domain/roles/permission-check';
import { requireRankOver } from './agent-rank.ts';

const conflictMessage = 'The agent, their contact record or their API keys changed meanwhile; try again.';

/** The person's own details, which go with them from agent to contact. */
const personalFields = (agent: AgentFields) => ({
  name: agent.name,
  email: agent.email,
  phone: agent.phone,
  mobile: agent.mobile,
  job_title: agent.job_title,
  language: agent.language,
  time_zone: agent.time_zone,
});

/**
 * DELETE /api/v2/agents/{id} as v2 does it: the agent becomes a contact, and nothing is erased (that
 * takes a verified privacy request). The inverse of make_agent: the contact keeps the agent's id, so
 * tickets they requested stay theirs and tickets assigned to them keep `responder_id`; the agent
 * record stays, superseded by the contact (no longer listed, 404 by id, its e-mail freed among agents).
 * A contact the agent was made from comes back with the person's current details; otherwise one is
 * created. Every API key the agent holds is revoked in the same transaction.
 */
export class AgentRetirement {
  private readonly agents: RecordLifecycle<AgentFields>;

  constructor(private readonly deps: { store: RecordStore; keys: ApiKeyStore; now: () => Date }) {
    this.agents = new RecordLifecycle(deps, deriveAgent, conflictMessage);
  }

  /** Makes the agent a contact; answers the contact. */
  async makeContact(principal: Principal, agentId: number): Promise<StoredContact> {
    requirePermission(principal, 'admin.agents', 'delete an agent');
    if (agentId === principal.agentId) {
      throw new ConflictError('An admin cannot delete themselves; ask another admin.');
    }
    const agent: StoredAgent = await this.agents.getLive(principal, { type: 'agent', id: agentId });
    requireRankOver(principal, agent.fields.role, 'delete this agent');
    const superseded = this.agents.supersede(principal, agent, contactRef(agentId));
    const contact = await this.contactChange(principal, agent, superseded.next.updatedAt);
    try {
      await this.deps.keys.commitRevokingKeys([superseded, contact], principal.accountId, agentId);
    } catch (error) {
      if (error instanceof ConflictError) throw new ConflictError(conflictMessage);
      throw error;
    }
    return ('create' in contact ? contact.create : contact.next) as StoredContact;
  }

  /** The contact the agent becomes: the one they were made from, back again, or a new one. */
  private async contactChange(principal: Principal, agent: StoredAgent, at: string): Promise<RecordChange> {
    const ref = contactRef(agent.ref.id);
    const actor = actorOf(principal);
    const former = await this.deps.store.get<ContactFields>(principal.accountId, ref);
    if (!former) {
      const created = newContact(principal.accountId, ref.id, at, personalFields(agent.fields));
      const changedFields = Object.keys(created.fields).sort();
      return { create: created, audit: { at, actor, operation: 'create', record: ref, changedFields } };
    }
    const wasThisAgent = former.supersededBy?.type === 'agent' && former.supersededBy.id === agent.ref.id;
    if (!wasThisAgent) throw new ConflictError(conflictMessage);
    const { supersededBy: _agent, ...contact } = former;
    const next = deriveContact({
      ...contact,
      version: former.version + 1,
      updatedAt: nextChangeAt(former, this.deps.now()),
      fields: { ...former.fields, ...personalFields(agent.fields) },
    });
    const changedFields = [...changedFieldNames(former.fields, next.fields), 'superseded_by'].sort();
    return {
      previous: former,
      next,
      audit: { at: next.updatedAt, actor, operation: 'update', record: ref, changedFields },
    };
  }
}
