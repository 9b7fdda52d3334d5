import { z } from 'zod';
import type { Principal } from '#domain/account';
import { isAdmin, requireAdmin } from '#domain/agents/permissions';
import { requireRankOver } from '#domain/agents/agent-rank';
import { roleById } from '#domain/agents/roles';
import { requirePermission } from '#domain/roles/permission-check';
import {
  type AgentFields,
  type StoredAgent,
  newAgent,
  roleIds,
  ticketScopes,
} from '#domain/agents/agent-service';
import { ConflictError, NotFoundError, ValidationError } from '#domain/errors';
import { RecordLifecycle, actorOf } from '#domain/records/record-lifecycle';
import type { RecordChange, RecordStore } from '#domain/records/record-store';
import type { AuditEntry } from '#domain/records/record';
import type { ContactFields } from './contact-schema.ts';
import { contactRef, deriveContact } from './contact-service.ts';

const conflictMessage =
  'The contact changed while it was being made an agent, or an agent with its id exists. Read it again.';

/** PUT /api/v2/contacts/{id}/make_agent: every property optional, as in v2 (no body: a full-time agent). */
export const makeAgentSchema = z
  .object({
    occasional: z.boolean(),
    signature: z.string().max(10_000).nullable(),
    ticket_scope: z.union(
      ticketScopes.map((scope) => z.literal(scope)) as [z.ZodLiteral<1>, z.ZodLiteral<2>, z.ZodLiteral<3>],
    ),
    // The platform's agents hold one role each.
    role_ids: z
      .array(z.number().int())
      .length(1, 'An agent holds exactly one role')
      .refine((ids) => ids.every((id) => roleById.has(id)), {
        message: `It should be one of these values: ${[...roleById.keys()].join(',')}`,
      }),
    group_ids: z.array(z.number().int().positive()).max(100),
  })
  .partial()
  .strict();

export type MakeAgentInput = z.infer<typeof makeAgentSchema>;

/**
 * Makes a contact an agent, as v2 does: the agent keeps the contact's id and personal fields, and the
 * contact record stays (superseded by the agent) so its tickets keep pointing at the same person and
 * its e-mail stays taken, but it is no longer a contact: not listed, not found by filters, 404 by id.
 * Agent and superseded contact are written in one transaction, each with its audit entry.
 */
export class ContactConversion {
  private readonly contacts: RecordLifecycle<ContactFields>;

  constructor(private readonly deps: { store: RecordStore; now: () => Date }) {
    this.contacts = new RecordLifecycle(deps, deriveContact, conflictMessage);
  }

  async makeAgent(principal: Principal, contactId: number, input: MakeAgentInput): Promise<StoredAgent> {
    requirePermission(principal, 'admin.agents', 'make a contact an agent');
    const contact = await this.contacts.get(principal, contactRef(contactId));
    if (contact.deletedAt)
      throw new NotFoundError('The contact is deleted; restore it before making it an agent.');
    const { name, email, phone, mobile, job_title, language, time_zone } = contact.fields;
    if (!email) {
      throw new ValidationError([
        {
          field: 'email',
          message: 'Only a contact with an e-mail address can become an agent',
          code: 'invalid_value',
        },
      ]);
    }
    const { role_ids, ...settings } = input;
    const role = roleById.get(role_ids?.[0] ?? roleIds.agent) ?? 'agent';
    // A custom role holding `admin.agents` may not make anyone an administrator.
    if (isAdmin({ role })) requireAdmin(principal, 'grant an administrator role');
    requireRankOver(principal, role, 'grant this role');
    const superseded = this.contacts.supersede(principal, contact, { type: 'agent', id: contactId });
    const agent = newAgent(principal.accountId, contactId, superseded.next.updatedAt, {
      name,
      email,
      phone,
      mobile,
      job_title,
      language,
      time_zone,
      role,
      ...settings,
    });
    const agentAudit = {
      at: agent.createdAt,
      actor: actorOf(principal),
      operation: 'create' as const,
      record: agent.ref,
      changedFields: Object.keys(agent.fields).sort(),
    };
    const agentChange = await this.agentOnceMore(principal, agent, agentAudit);
    try {
      await this.deps.store.commit([superseded, agentChange ?? { create: agent, audit: agentAudit }]);
    } catch (error) {
      if (error instanceof ConflictError) {
        throw new ConflictError(conflictMessage);
      }
      throw error;
    }
    return agent;
  }

  /**
   * A person who was an agent before (deleted as v2 does, DELETE /api/v2/agents/{id}) has their agent
   * record still, superseded by this contact: it becomes their agent again, as `agent` says.
   */
  private async agentOnceMore(
    principal: Principal,
    agent: StoredAgent,
    audit: AuditEntry,
  ): Promise<RecordChange | undefined> {
    const former = await this.deps.store.get<AgentFields>(principal.accountId, agent.ref);
    const wasThisContact =
      former?.supersededBy?.type === 'contact' && former.supersededBy.id === agent.ref.id;
    if (!former || !wasThisContact) return undefined;
    const next = { ...agent, createdAt: former.createdAt, version: former.version + 1 };
    return { previous: former, next, audit: { ...audit, operation: 'update' } };
  }
}
