import { recordViewShape } from '#domain/records/record-view-schema';
import { z } from 'zod';
import type { Principal } from '#domain/account';
import { ValidationError } from '#domain/errors';
import { everyRecord } from '#domain/records/every-record';
import { RecordLifecycle } from '#domain/records/record-lifecycle';
import type { RecordStore } from '#domain/records/record-store';
import type { RecordRef, StoredRecord } from '#domain/records/record';
import type { Paging } from '#domain/records/paging';

/**
 * A sharing rule about the tickets of `group_id`: `share` shows them to the members of
 * `shared_with_group_id` (`read_only` or `read_write`); `hide` hides them from agents with global
 * scope who are not members of `group_id` (administrators always see every ticket).
 */
export const sharingRuleFieldsSchema = z
  .object({
    name: z.string().trim().min(1, 'It should not be blank').max(255),
    group_id: z.number().int().positive(),
    action: z.enum(['share', 'hide']),
    shared_with_group_id: z.number().int().positive().nullable(),
    access: z.enum(['read_only', 'read_write']).nullable(),
  })
  .strict();

export type SharingRuleFields = z.infer<typeof sharingRuleFieldsSchema>;
export type StoredSharingRule = StoredRecord<SharingRuleFields>;

export const createSharingRuleSchema = sharingRuleFieldsSchema
  .partial()
  .required({ name: true, group_id: true, action: true })
  .strict();
export const updateSharingRuleSchema = sharingRuleFieldsSchema
  .partial()
  .strict()
  .refine((body) => Object.keys(body).length > 0, {
    message: 'The request contains no field to update',
    path: ['body'],
  });

const sharingRuleRef = (id: number): RecordRef => ({ type: 'sharing_rule', id });
const deriveRule = (record: StoredSharingRule): StoredSharingRule => ({ ...record, subjects: [] });

/** What a rule's fields must say together: a share names its group and access, a hide neither. */
function ruleProblems(fields: SharingRuleFields): { field: string; message: string }[] {
  if (fields.action === 'hide') {
    return (['shared_with_group_id', 'access'] as const)
      .filter((field) => fields[field] !== null)
      .map((field) => ({ field, message: 'A hide rule takes no such field' }));
  }
  const problems = (['shared_with_group_id', 'access'] as const)
    .filter((field) => fields[field] === null)
    .map((field) => ({ field, message: 'A share rule needs this field' }));
  if (fields.shared_with_group_id === fields.group_id) {
    problems.push({ field: 'shared_with_group_id', message: 'It should be another group than group_id' });
  }
  return problems;
}

/** Sharing rules: administrators (admin area `roles`) widen or narrow who sees a group's tickets. */
export class SharingRuleService {
  private readonly lifecycle: RecordLifecycle<SharingRuleFields>;

  constructor(private readonly deps: { store: RecordStore; now: () => Date }) {
    this.lifecycle = new RecordLifecycle(deps, deriveRule, 'The sharing rule changed since you read it.');
  }

  async create(
    principal: Principal,
    input: z.infer<typeof createSharingRuleSchema>,
  ): Promise<StoredSharingRule> {
    const fields = { shared_with_group_id: null, access: null, ...input };
    await this.check(principal, fields);
    const at = this.deps.now().toISOString();
    const id = await this.deps.store.nextSequence(principal.accountId, 'sharing_rule');
    const record: StoredSharingRule = {
      accountId: principal.accountId,
      ref: sharingRuleRef(id),
      version: 1,
      createdAt: at,
      updatedAt: at,
      fields,
      subjects: [],
    };
    return this.lifecycle.create(principal, record, Object.keys(input));
  }

  get(principal: Principal, id: number): Promise<StoredSharingRule> {
    return this.lifecycle.getLive(principal, sharingRuleRef(id));
  }

  list(principal: Principal, paging: Paging) {
    return this.deps.store.list<SharingRuleFields>(principal.accountId, 'sharing_rule', paging);
  }

  update(principal: Principal, id: number, changes: Partial<SharingRuleFields>, ifMatch?: string) {
    return this.lifecycle.update(
      principal,
      sharingRuleRef(id),
      async (previous) => {
        await this.check(principal, { ...previous.fields, ...changes });
        return changes;
      },
      ifMatch,
    );
  }

  softDelete(principal: Principal, id: number): Promise<void> {
    return this.lifecycle.softDelete(principal, sharingRuleRef(id));
  }

  /** 400 unless the fields agree and name live groups of the caller's account. */
  private async check(principal: Principal, fields: SharingRuleFields): Promise<void> {
    const problems = ruleProblems(fields);
    for (const field of ['group_id', 'shared_with_group_id'] as const) {
      const id = fields[field];
      if (id === null) continue;
      const group = await this.deps.store.get(principal.accountId, { type: 'group', id });
      if (!group || group.deletedAt) problems.push({ field, message: 'There is no group with this id' });
    }
    if (problems.length) {
      throw new ValidationError(problems.map((problem) => ({ ...problem, code: 'invalid_value' })));
    }
  }
}

/** Every live sharing rule of the account: Queries (no Scan); an account has few. */
export async function sharingRulesOf(store: RecordStore, accountId: string): Promise<SharingRuleFields[]> {
  const rules = await everyRecord<SharingRuleFields>(store, accountId, 'sharing_rule');
  return rules.map((rule) => rule.fields);
}

export const sharingRuleViewSchema = sharingRuleFieldsSchema.extend(recordViewShape);
export function sharingRuleView(record: StoredSharingRule): z.infer<typeof sharingRuleViewSchema> {
  return { id: record.ref.id, ...record.fields, created_at: record.createdAt, updated_at: record.updatedAt };
}
