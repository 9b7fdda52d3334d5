import { z } from 'zod';
import type { Principal } from '#domain/account';
import { RecordLifecycle } from '#domain/records/record-lifecycle';
import type { RecordStore } from '#domain/records/record-store';
import type { Paging } from '#domain/records/paging';
import type { LegalHoldCheck } from './legal-hold-check.ts';
import { retainedTypeOf, retentionMatchPage } from './retention-matches.ts';
import {
  type createRetentionPolicySchema,
  checkRetentionRule,
  deriveRetentionPolicy,
  type RetentionPolicyFields,
  retentionPolicyRef,
  type StoredRetentionPolicy,
} from './retention-policy.ts';

/** Most matching records a preview counts; past it the preview says it stopped (`complete: false`). */
export const maxPreviewCount = 10_000;
const previewPage = 100;

/** What POST /api/v2/retention_policies/{id}/preview answers. */
export const retentionPreviewSchema = z.strictObject({
  would_trash: z.record(z.string(), z.number().int()),
  held: z.number().int(),
  complete: z.boolean(),
});
export interface RetentionPreview extends z.infer<typeof retentionPreviewSchema> {
  /** Records the rule would send to the trash now, per record type. */
  readonly would_trash: Readonly<Record<string, number>>;
  /** Matching records a legal hold covers: skipped. */
  readonly held: number;
  /** False when the count stopped at `maxPreviewCount`. */
  readonly complete: boolean;
}

export interface RetentionPolicyDependencies {
  readonly store: RecordStore;
  readonly now: () => Date;
  readonly holds: LegalHoldCheck;
}

/** Retention rules of an account (admin area `retention`): create, view, update, delete, list, preview. */
export class RetentionPolicyService {
  private readonly lifecycle: RecordLifecycle<RetentionPolicyFields>;

  constructor(private readonly deps: RetentionPolicyDependencies) {
    this.lifecycle = new RecordLifecycle(
      deps,
      deriveRetentionPolicy,
      'The retention policy changed since you read it.',
    );
  }

  async create(
    principal: Principal,
    input: z.infer<typeof createRetentionPolicySchema>,
  ): Promise<StoredRetentionPolicy> {
    const fields: RetentionPolicyFields = { months: null, days: null, enabled: true, ...input };
    checkRetentionRule(fields);
    const at = this.deps.now().toISOString();
    const id = await this.deps.store.nextSequence(principal.accountId, 'retention_policy');
    return this.lifecycle.create(
      principal,
      {
        accountId: principal.accountId,
        ref: retentionPolicyRef(id),
        version: 1,
        createdAt: at,
        updatedAt: at,
        fields,
        subjects: [],
      },
      Object.keys(input),
    );
  }

  get(principal: Principal, id: number): Promise<StoredRetentionPolicy> {
    return this.lifecycle.getLive(principal, retentionPolicyRef(id));
  }

  list(principal: Principal, paging: Paging) {
    return this.deps.store.list<RetentionPolicyFields>(principal.accountId, 'retention_policy', paging);
  }

  update(principal: Principal, id: number, changes: Partial<RetentionPolicyFields>, ifMatch?: string) {
    return this.lifecycle.update(
      principal,
      retentionPolicyRef(id),
      (previous) => {
        checkRetentionRule({ ...previous.fields, ...changes });
        return changes;
      },
      ifMatch,
    );
  }

  softDelete(principal: Principal, id: number): Promise<void> {
    return this.lifecycle.softDelete(principal, retentionPolicyRef(id));
  }

  /** What the rule would send to the trash now (enabled or not), counted; nothing changes. */
  async preview(principal: Principal, id: number): Promise<RetentionPreview> {
    const policy = await this.get(principal, id);
    const now = this.deps.now();
    let count = 0;
    let held = 0;
    let cursor: string | undefined;
    do {
      const page = await retentionMatchPage(this.deps.store, principal.accountId, policy.fields, now, {
        perPage: previewPage,
        cursor,
      });
      for (const record of page.records) {
        if (await this.deps.holds.isHeld(principal.accountId, record.ref)) held += 1;
        else count += 1;
      }
      cursor = page.next;
    } while (cursor && count + held < maxPreviewCount);
    return {
      would_trash: { [retainedTypeOf[policy.fields.rule]]: count },
      held,
      complete: cursor === undefined,
    };
  }
}
