import { recordViewShape } from '#domain/records/record-view-schema';
import { z } from 'zod';
import type { Principal } from '#domain/account';
import { requirePermission } from '#domain/roles/permission-check';
import { RecordTrash } from '#domain/purge/record-trash';
import { RecordLifecycle } from '#domain/records/record-lifecycle';
import type { RecordStore } from '#domain/records/record-store';
import type { RecordRef, StoredRecord } from '#domain/records/record';
import type { Paging } from '#domain/records/paging';

/** Group fields, Freshdesk API v2 names. */
export const groupFieldsSchema = z
  .object({
    name: z.string().trim().min(1, 'It should not be blank').max(255),
    description: z.string().max(10_000).nullable(),
    agent_ids: z.array(z.number().int().positive()).max(500),
    escalate_to: z.number().int().positive().nullable(),
    unassigned_for: z.enum(['30m', '1h', '2h', '4h', '8h', '12h', '1d', '2d', '3d']).nullable(),
    auto_ticket_assign: z.boolean(),
  })
  .strict();

export type GroupFields = z.infer<typeof groupFieldsSchema>;
export const createGroupSchema = groupFieldsSchema.partial().required({ name: true }).strict();
export const updateGroupSchema = groupFieldsSchema
  .partial()
  .strict()
  .refine((body) => Object.keys(body).length > 0, {
    message: 'The request contains no field to update',
    path: ['body'],
  });

const groupRef = (id: number): RecordRef => ({ type: 'group', id });
export type StoredGroup = StoredRecord<GroupFields>;

const deriveGroup = (record: StoredGroup): StoredGroup => ({
  ...record,
  subjects: [],
  uniqueValues: { name: record.fields.name.trim().toLowerCase() },
});

const requireGroupAdmin = (principal: Principal) =>
  requirePermission(principal, 'admin.groups', 'change groups');

/** Groups of agents: admins create, change and delete them; every agent may read them. */
export class GroupService {
  private readonly lifecycle: RecordLifecycle<GroupFields>;
  private readonly trash: RecordTrash;

  constructor(private readonly deps: { store: RecordStore; now: () => Date; newId: () => number }) {
    this.lifecycle = new RecordLifecycle(
      deps,
      deriveGroup,
      'A group of that name exists, or it changed since you read it.',
    );
    this.trash = new RecordTrash(deps);
  }

  create(principal: Principal, input: Partial<GroupFields> & { name: string }): Promise<StoredGroup> {
    requireGroupAdmin(principal);
    const at = this.deps.now().toISOString();
    const record: StoredGroup = {
      accountId: principal.accountId,
      ref: groupRef(this.deps.newId()),
      version: 1,
      createdAt: at,
      updatedAt: at,
      fields: {
        description: null,
        agent_ids: [],
        escalate_to: null,
        unassigned_for: null,
        auto_ticket_assign: false,
        ...input,
      },
      subjects: [],
    };
    return this.lifecycle.create(principal, record, Object.keys(input));
  }

  get = (principal: Principal, id: number) => this.lifecycle.getLive(principal, groupRef(id));
  list = (principal: Principal, paging: Paging) =>
    this.deps.store.list<GroupFields>(principal.accountId, 'group', paging);

  update(principal: Principal, id: number, changes: Partial<GroupFields>, ifMatch?: string) {
    requireGroupAdmin(principal);
    return this.lifecycle.update(principal, groupRef(id), changes, ifMatch);
  }

  softDelete(principal: Principal, id: number) {
    requireGroupAdmin(principal);
    return this.lifecycle.softDelete(principal, groupRef(id));
  }

  restore(principal: Principal, id: number) {
    requireGroupAdmin(principal);
    return this.trash.restore(principal, groupRef(id));
  }
}

export const groupViewSchema = groupFieldsSchema.extend(recordViewShape);
export function groupView(record: StoredGroup): z.infer<typeof groupViewSchema> {
  return { id: record.ref.id, ...record.fields, created_at: record.createdAt, updated_at: record.updatedAt };
}
