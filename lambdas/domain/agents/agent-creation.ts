import { z } from 'zod';
import type { Principal, Role } from '#domain/account';
import { normaliseEmail } from '#domain/contacts/contact-schema';
import { makeAgentSchema } from '#domain/contacts/contact-conversion';
import { ConflictError, ValidationError } from '#domain/errors';
import { RecordLifecycle } from '#domain/records/record-lifecycle';
import type { RecordStore } from '#domain/records/record-store';
import {
  type AgentFields,
  type StoredAgent,
  deriveAgent,
  newAgent,
  updateAgentSchema,
} from './agent-service.ts';
import { requirePermission } from '#domain/roles/permission-check';
import { roleAssignment } from '#domain/roles/role-assignment';
import { roleById } from './roles.ts';

/**
 * POST /api/v2/agents: the fields an agent may be updated with (whatever they are), `email` and
 * `ticket_scope` required as in v2, and v2's `role_ids` beside our `role`.
 */
export const createAgentSchema = z
  .object(updateAgentSchema.shape)
  .extend({ role_ids: makeAgentSchema.shape.role_ids })
  .required({ email: true, ticket_scope: true })
  .strict();

export type CreateAgentInput = z.infer<typeof createAgentSchema>;

/** Refused (409): an agent of the account holds the e-mail address already. */
export class DuplicateAgentEmailError extends ConflictError {
  constructor() {
    super('An agent with this e-mail address exists already.');
    this.name = 'DuplicateAgentEmailError';
  }
}

/** Refused (409): a contact holds the e-mail address; v2's way to make them an agent is make_agent. */
export class ContactHoldsEmailError extends ConflictError {
  constructor(contactId: number) {
    super(
      `A contact holds this e-mail address; make them an agent with PUT /api/v2/contacts/${contactId}/make_agent.`,
    );
    this.name = 'ContactHoldsEmailError';
  }
}

/** The role `role_ids` and `role` name (agent if neither); both must agree when both are sent. */
function roleOf(input: Pick<CreateAgentInput, 'role' | 'role_ids'>): Role {
  const fromIds = input.role_ids?.[0] === undefined ? undefined : roleById.get(input.role_ids[0]);
  // A custom role id (not a fixed one) with `role` names two roles at once.
  const customWithRole = input.role !== undefined && input.role_ids !== undefined && !fromIds;
  if (customWithRole || (fromIds && input.role && fromIds !== input.role)) {
    throw new ValidationError([
      { field: 'role_ids', message: 'It should name the same role as role', code: 'invalid_value' },
    ]);
  }
  return input.role ?? fromIds ?? 'agent';
}

/**
 * Creates agents as v2 does (admins only). An agent's e-mail address is unique among the account's
 * agents (409); one a contact holds is refused too (409), pointing at make_agent, which keeps the
 * contact's id and tickets (docs/api.md). The new agent holds no API key: an administrator issues the
 * first one (POST /api/v2/agents/{id}/api_keys), or the agent signs in with single sign-on.
 */
export class AgentCreation {
  private readonly lifecycle: RecordLifecycle<AgentFields>;

  constructor(private readonly deps: { store: RecordStore; now: () => Date; newId: () => number }) {
    this.lifecycle = new RecordLifecycle(deps, deriveAgent, new DuplicateAgentEmailError().message);
  }

  async create(principal: Principal, input: CreateAgentInput): Promise<StoredAgent> {
    requirePermission(principal, 'admin.agents', 'create an agent');
    const { role_ids: roleIdList, role: _role, ...fields } = input;
    const email = normaliseEmail(input.email);
    // A fixed role by `role` or a fixed id must agree; a custom role id is resolved with the account's roles.
    const role = roleOf(input);
    const granted =
      roleIdList === undefined && input.role === undefined
        ? { role }
        : await roleAssignment(this.deps.store, principal, roleIdList ? { role_ids: roleIdList } : { role });
    await this.refuseTakenEmail(principal.accountId, email);
    const record = newAgent(principal.accountId, this.deps.newId(), this.deps.now().toISOString(), {
      ...fields,
      ...granted,
      // v2 names an agent without a name after their address.
      name: fields.name ?? email.split('@')[0] ?? email,
      role: granted.role ?? role,
    });
    return this.lifecycle.create(principal, record, Object.keys(record.fields));
  }

  private async refuseTakenEmail(accountId: string, email: string): Promise<void> {
    const { store } = this.deps;
    if (await store.findByUniqueValue(accountId, 'agent', 'email', email))
      throw new DuplicateAgentEmailError();
    const contactId = await store.findByUniqueValue(accountId, 'contact', 'email', email);
    if (contactId === undefined) return;
    // A contact made an agent keeps its address: that person is an agent already.
    const contact = await store.get(accountId, { type: 'contact', id: contactId });
    if (contact?.supersededBy?.type === 'agent') throw new DuplicateAgentEmailError();
    throw new ContactHoldsEmailError(contactId);
  }
}
