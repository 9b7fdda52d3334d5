import { recordViewSchema } from '#domain/records/record-view-schema';
import { z } from 'zod';
import type { Principal } from '#domain/account';
import { roles } from '#domain/account';
import { AccessDeniedError } from '#domain/errors';
import { normaliseEmail } from '#domain/contacts/contact-schema';
import { roleIds } from './role-ids.ts';
import type { CustomRoleHolder } from '#domain/roles/custom-role-service';
import { roleAssignment } from '#domain/roles/role-assignment';
import { requireRankOver } from './agent-rank.ts';
import { hasPermission } from '#domain/roles/permission-check';
import { RecordLifecycle } from '#domain/records/record-lifecycle';
import type { RecordStore } from '#domain/records/record-store';
import type { RecordRef, StoredRecord } from '#domain/records/record';
import type { Paging } from '#domain/records/paging';
import type { PersonalFieldDeclaration } from '#domain/encryption/personal-field-declaration';

/** Freshdesk v2 ticket scopes: 1 global, 2 group, 3 restricted (own tickets only). */
export const ticketScopes = [1, 2, 3] as const;

export { roleIds } from './role-ids.ts';

const text = (max: number) => z.string().trim().max(max);

/** Agent fields a client may change, Freshdesk v2 names. */
export const updateAgentSchema = z
  .object({
    name: text(255).min(1),
    email: z.string().trim().max(254).email('It should be a valid email address'),
    phone: text(255).nullable(),
    mobile: text(255).nullable(),
    job_title: text(255).nullable(),
    language: text(10),
    time_zone: text(64),
    signature: z.string().max(10_000).nullable(),
    occasional: z.boolean(),
    ticket_scope: z.union(
      ticketScopes.map((scope) => z.literal(scope)) as [z.ZodLiteral<1>, z.ZodLiteral<2>, z.ZodLiteral<3>],
    ),
    role: z.enum(roles),
    /** v2: the agent's role, one id, fixed (1–4) or custom (docs/roles-and-sharing.md). */
    role_ids: z.array(z.number().int().positive()).length(1, 'It should name exactly one role'),
    group_ids: z.array(z.number().int().positive()).max(100),
  })
  .partial()
  .strict()
  .refine((body) => Object.keys(body).length > 0, {
    message: 'The request contains no field to update',
    path: ['body'],
  })
  .refine((body) => body.role === undefined || body.role_ids === undefined, {
    message: 'Give role or role_ids, not both',
    path: ['role_ids'],
  });

export type AgentChanges = z.infer<typeof updateAgentSchema>;
/** An agent profile as stored: `role_ids` is stored as the base `role` and `custom_role_id`. */
export type AgentFields = Required<Omit<AgentChanges, 'role_ids'>> & CustomRoleHolder;
export type StoredAgent = StoredRecord<AgentFields>;

/** Which agent fields are personal (sealed under the agent's key; docs/encryption.md). */
export const agentPersonalFields: PersonalFieldDeclaration<AgentFields> = {
  name: 'personal',
  email: 'personal',
  phone: 'personal',
  mobile: 'personal',
  job_title: 'personal',
  language: 'plain',
  time_zone: 'plain',
  signature: 'personal',
  occasional: 'plain',
  ticket_scope: 'plain',
  role: 'plain',
  group_ids: 'plain',
  custom_role_id: 'plain',
};

/** Fields only an administrator (admin area `agents`) may change, even on their own profile. */
const adminOnlyFields: readonly (keyof AgentChanges)[] = [
  'role',
  'role_ids',
  'ticket_scope',
  'group_ids',
  'occasional',
];
const agentRef = (id: number): RecordRef => ({ type: 'agent', id });

/**
 * An agent is the subject of their own profile and holds their e-mail address uniquely among the
 * account's agents (normalised as a contact's is), until they live on as a contact.
 */
export const deriveAgent = (record: StoredAgent): StoredAgent => ({
  ...record,
  subjects: [{ kind: 'agent', id: record.ref.id }],
  // An imported agent may come without an address (migrations): it then claims none.
  uniqueValues:
    record.supersededBy || !record.fields.email ? undefined : { email: normaliseEmail(record.fields.email) },
});

/** What an agent has unless said otherwise. */
export const agentDefaults = {
  phone: null,
  mobile: null,
  job_title: null,
  language: 'en',
  time_zone: 'UTC',
  signature: null,
  occasional: false,
  ticket_scope: 1,
  group_ids: [],
} as const satisfies Partial<AgentFields>;

export function newAgent(
  accountId: string,
  id: number,
  at: string,
  fields: Pick<AgentFields, 'name' | 'email' | 'role'> & Partial<AgentFields>,
): StoredAgent {
  return deriveAgent({
    accountId,
    ref: agentRef(id),
    version: 1,
    createdAt: at,
    updatedAt: at,
    fields: { ...agentDefaults, ...fields },
    subjects: [],
  });
}

/** Agents: view, list, update (admins: anyone; agents: their own profile, not their role or scope). */
export class AgentService {
  private readonly lifecycle: RecordLifecycle<AgentFields>;

  constructor(private readonly deps: { store: RecordStore; now: () => Date }) {
    this.lifecycle = new RecordLifecycle(deps, deriveAgent, 'The agent changed since you read it.');
  }

  get(principal: Principal, id: number): Promise<StoredAgent> {
    return this.lifecycle.getLive(principal, agentRef(id));
  }

  list(principal: Principal, paging: Paging) {
    return this.deps.store.list<AgentFields>(principal.accountId, 'agent', paging);
  }

  async update(
    principal: Principal,
    id: number,
    changes: AgentChanges,
    ifMatch?: string,
  ): Promise<StoredAgent> {
    if (!hasPermission(principal, 'admin.agents')) {
      if (id !== principal.agentId) throw new AccessDeniedError('Agents may edit only their own profile.');
      const forbidden = adminOnlyFields.filter((field) => field in changes);
      if (forbidden.length)
        throw new AccessDeniedError(`Only an administrator may change: ${forbidden.join(', ')}.`);
    } else if (id !== principal.agentId) {
      requireRankOver(principal, (await this.get(principal, id)).fields.role, 'change this agent');
    }
    const fields = await roleAssignment(this.deps.store, principal, changes);
    return this.lifecycle.update(principal, agentRef(id), fields, ifMatch);
  }
}

/** An agent as Freshdesk v2 shows it: agent settings on top, the person under `contact`. */
export const agentViewSchema = recordViewSchema({
  available: z.boolean(),
  occasional: z.boolean(),
  signature: z.string().nullable(),
  ticket_scope: z.number().int(),
  group_ids: z.array(z.number().int()),
  role_ids: z.array(z.number().int()),
  type: z.literal('support_agent'),
  contact: z.strictObject({
    active: z.boolean(),
    name: z.string(),
    email: z.string(),
    phone: z.string().nullable(),
    mobile: z.string().nullable(),
    job_title: z.string().nullable(),
    language: z.string(),
    time_zone: z.string(),
  }),
});
export function agentView(record: StoredAgent): z.infer<typeof agentViewSchema> {
  const { name, email, phone, mobile, job_title, language, time_zone, role, ...agent } = record.fields;
  return {
    id: record.ref.id,
    available: true,
    occasional: agent.occasional,
    signature: agent.signature,
    ticket_scope: agent.ticket_scope,
    group_ids: agent.group_ids,
    role_ids: [agent.custom_role_id ?? roleIds[role]],
    type: 'support_agent',
    contact: { active: true, name, email, phone, mobile, job_title, language, time_zone },
    created_at: record.createdAt,
    updated_at: record.updatedAt,
  };
}
