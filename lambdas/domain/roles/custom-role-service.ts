import { recordViewShape } from '#domain/records/record-view-schema';
import { z } from 'zod';
import type { Principal } from '#domain/account';
import { roleIds } from '#domain/agents/role-ids';
import { ConflictError, NotFoundError } from '#domain/errors';
import { everyRecord } from '#domain/records/every-record';
import { RecordLifecycle } from '#domain/records/record-lifecycle';
import type { RecordStore } from '#domain/records/record-store';
import type { RecordRef, StoredRecord } from '#domain/records/record';
import type { Paging } from '#domain/records/paging';
import { type Permission, allPermissions } from './permission-catalogue.ts';

/** The highest id of a fixed role: custom roles count on from here, so ids never meet. */
const lastFixedRoleId = Math.max(...Object.values(roleIds));

export const isFixedRoleId = (id: number) => id >= 1 && id <= lastFixedRoleId;

const permissionSchema = z.enum(allPermissions as [Permission, ...Permission[]], {
  message: `It should be one of the permissions of docs/roles-and-sharing.md`,
});

/** A custom role's fields; an unknown permission is a 400 naming its position. */
export const customRoleFieldsSchema = z
  .object({
    name: z.string().trim().min(1, 'It should not be blank').max(255),
    description: z.string().trim().max(1_000).nullable(),
    permissions: z
      .array(permissionSchema)
      .max(allPermissions.length)
      .refine((list) => new Set(list).size === list.length, 'It should not name a permission twice'),
  })
  .strict();

export type CustomRoleFields = z.infer<typeof customRoleFieldsSchema>;
export type StoredCustomRole = StoredRecord<CustomRoleFields>;
export const createCustomRoleSchema = customRoleFieldsSchema
  .partial()
  .required({ name: true, permissions: true })
  .strict();
export const updateCustomRoleSchema = customRoleFieldsSchema
  .partial()
  .strict()
  .refine((body) => Object.keys(body).length > 0, {
    message: 'The request contains no field to update',
    path: ['body'],
  });

export const customRoleRef = (id: number): RecordRef => ({ type: 'role', id });

const deriveRole = (record: StoredCustomRole): StoredCustomRole => ({
  ...record,
  subjects: [],
  uniqueValues: { name: record.fields.name.trim().toLowerCase() },
});

/** How the custom role an agent holds is stored on their profile. */
export interface CustomRoleHolder {
  readonly custom_role_id?: number | null;
}

/**
 * Custom roles: named permission sets an administrator (admin area `roles`) defines and assigns to
 * agents. A role still held by an agent cannot be deleted (409 naming how many hold it).
 */
export class CustomRoleService {
  private readonly lifecycle: RecordLifecycle<CustomRoleFields>;

  constructor(private readonly deps: { store: RecordStore; now: () => Date }) {
    this.lifecycle = new RecordLifecycle(
      deps,
      deriveRole,
      'A role of that name exists, or it changed since you read it.',
    );
  }

  async create(
    principal: Principal,
    input: z.infer<typeof createCustomRoleSchema>,
  ): Promise<StoredCustomRole> {
    const at = this.deps.now().toISOString();
    const id = lastFixedRoleId + (await this.deps.store.nextSequence(principal.accountId, 'role'));
    const record: StoredCustomRole = {
      accountId: principal.accountId,
      ref: customRoleRef(id),
      version: 1,
      createdAt: at,
      updatedAt: at,
      fields: { description: null, ...input },
      subjects: [],
    };
    return this.lifecycle.create(principal, record, Object.keys(input));
  }

  get(principal: Principal, id: number): Promise<StoredCustomRole> {
    return this.lifecycle.getLive(principal, customRoleRef(id));
  }

  list(principal: Principal, paging: Paging) {
    return this.deps.store.list<CustomRoleFields>(principal.accountId, 'role', paging);
  }

  update(principal: Principal, id: number, changes: Partial<CustomRoleFields>, ifMatch?: string) {
    return this.lifecycle.update(principal, customRoleRef(id), changes, ifMatch);
  }

  async softDelete(principal: Principal, id: number): Promise<void> {
    await this.get(principal, id);
    const holders = await this.countHolders(principal.accountId, id);
    if (holders > 0) {
      throw new ConflictError(
        `The role is assigned to ${holders} agent${holders === 1 ? '' : 's'}; assign them another role first.`,
      );
    }
    await this.lifecycle.softDelete(principal, customRoleRef(id));
  }

  /** How many live agents hold the role: Queries of the account's agents (no Scan). */
  private async countHolders(accountId: string, id: number): Promise<number> {
    const holders = await everyRecord<CustomRoleHolder>(
      this.deps.store,
      accountId,
      'agent',
      (agent) => agent.fields.custom_role_id === id,
    );
    return holders.length;
  }
}

/** A live custom role of the account, or NotFoundError (another account's id is simply unknown). */
export async function readCustomRole(
  store: RecordStore,
  accountId: string,
  id: number,
): Promise<StoredCustomRole | undefined> {
  const role = await store.get<CustomRoleFields>(accountId, customRoleRef(id));
  return role && !role.deletedAt ? role : undefined;
}

export const requireCustomRole = async (store: RecordStore, accountId: string, id: number) => {
  const role = await readCustomRole(store, accountId, id);
  if (!role) throw new NotFoundError();
  return role;
};

/** A role, fixed or custom, as the v2 roles API shows it, with its permissions. */
export const roleViewSchema = customRoleFieldsSchema.extend({ ...recordViewShape, default: z.boolean() });
/** A custom role as the v2 roles API shows roles, with its permissions. */
export function customRoleView(record: StoredCustomRole): z.infer<typeof roleViewSchema> {
  return {
    id: record.ref.id,
    name: record.fields.name,
    description: record.fields.description,
    default: false,
    permissions: record.fields.permissions,
    created_at: record.createdAt,
    updated_at: record.updatedAt,
  };
}
