import type { RecordStore } from '#domain/records/record-store';
import type { LegalHoldCheck } from './legal-hold-check.ts';
import { retainedTypeOf, retentionMatchPage } from './retention-matches.ts';
import type { RetentionPolicyFields, StoredRetentionPolicy } from './retention-policy.ts';
import { retentionPolicyRef } from './retention-policy.ts';
import { retentionPrincipal, type RetentionTrash } from './retention-trash.ts';

/** An enabled rule as the region's index lists it: where it stands in the index, its account and id. */
export interface EnabledRetentionRule {
  readonly position: string;
  readonly accountId: string;
  readonly policyId: number;
}

/** The region's enabled rules, one after another (see DynamoRetentionRuleDirectory). */
export interface RetentionRuleDirectory {
  next(after?: string): Promise<EnabledRetentionRule | undefined>;
}

/**
 * Where a run stands between two steps: the instant it judges ages at, the rule it is on and the page
 * of its matches to read next, the last rule finished, and counts so far. Ids and counts only.
 */
export interface RetentionRunState {
  readonly at: string;
  readonly rule?: EnabledRetentionRule;
  readonly cursor?: string;
  readonly after?: string;
  /** Records sent to the trash, per record type; `held` counts matches a legal hold covers (skipped). */
  readonly counts: Readonly<Record<string, number>>;
  readonly done: boolean;
}

/** Records read per page of a rule's matches; a step reads at most `pagesPerStep` pages. */
export const retentionPageSize = 25;
export const pagesPerStep = 8;

export interface RetentionRunDependencies {
  readonly store: RecordStore;
  readonly rules: RetentionRuleDirectory;
  readonly trash: RetentionTrash;
  readonly holds: LegalHoldCheck;
}

/**
 * The daily run of a region's retention rules, in steps of bounded work: each step goes on from the
 * state the one before answered (so a retried or failed step resumes there), reads pages of the current
 * rule's matches and sends each to the trash through its normal soft deletion, audited with the rule as
 * actor, skipping records a legal hold covers. A rule disabled or deleted since it was listed is passed.
 */
export class RetentionRun {
  constructor(private readonly deps: RetentionRunDependencies) {}

  async step(state: RetentionRunState): Promise<RetentionRunState> {
    const counts: Record<string, number> = { ...state.counts };
    let { rule, cursor, after } = state;
    for (let pages = 0; pages < pagesPerStep; pages += 1) {
      if (!rule) {
        rule = await this.deps.rules.next(after);
        cursor = undefined;
        if (!rule) return { at: state.at, after, counts, done: true };
      }
      const policy = await this.deps.store.get<RetentionPolicyFields>(
        rule.accountId,
        retentionPolicyRef(rule.policyId),
      );
      const next =
        policy && isRunnable(policy) ? await this.trashPage(policy, state.at, cursor, counts) : undefined;
      if (next) {
        cursor = next;
      } else {
        after = rule.position;
        rule = undefined;
        cursor = undefined;
      }
    }
    return {
      at: state.at,
      ...(rule && { rule }),
      ...(cursor && { cursor }),
      ...(after && { after }),
      counts,
      done: false,
    };
  }

  /** Trashes one page of the rule's matches; answers the cursor of the next page, if any. */
  private async trashPage(
    policy: StoredRetentionPolicy,
    at: string,
    cursor: string | undefined,
    counts: Record<string, number>,
  ): Promise<string | undefined> {
    const { accountId } = policy;
    const page = await retentionMatchPage(this.deps.store, accountId, policy.fields, new Date(at), {
      perPage: retentionPageSize,
      cursor,
    });
    const principal = retentionPrincipal(accountId, policy.ref.id);
    const type = retainedTypeOf[policy.fields.rule];
    for (const record of page.records) {
      if (await this.deps.holds.isHeld(accountId, record.ref)) {
        counts.held = (counts.held ?? 0) + 1;
        continue;
      }
      await this.deps.trash.trash(principal, policy.fields.rule, record);
      counts[type] = (counts[type] ?? 0) + 1;
    }
    return page.next;
  }
}

const isRunnable = (policy: StoredRetentionPolicy) => !policy.deletedAt && policy.fields.enabled;
