import type { RecordStore } from '#domain/records/record-store';
import type { StoredRecord } from '#domain/records/record';
import type { LegalHoldCheck } from './legal-hold-check.ts';
import { matchesRetentionRule, retainedTypeOf, retentionMatchPage } from './retention-matches.ts';
import type { RetentionPolicyFields, StoredRetentionPolicy } from './retention-policy.ts';
import { retentionCutoff, retentionPolicyRef } from './retention-policy.ts';
import { retentionActorId, retentionPrincipal, type RetentionTrash } from './retention-trash.ts';

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

/** Matches of one rule read by a step, for the next step to send to the trash: ids only. */
export interface PendingMatches {
  readonly rule: EnabledRetentionRule;
  readonly ids: readonly number[];
}

/**
 * Where a run stands between two steps: the instant it judges ages at, the rule it reads and the page
 * of its matches to read next, the matches read but not trashed yet, the last rule finished, and
 * counts so far. Ids and counts only.
 */
export interface RetentionRunState {
  readonly at: string;
  readonly rule?: EnabledRetentionRule;
  readonly cursor?: string;
  readonly pending?: PendingMatches;
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
 * The daily run of a region's retention rules, in steps of bounded work. Each step first sends to the
 * trash the matches the step before read (`pending`), then reads the next pages of matches (of one
 * rule) and hands them on. A retried step gets the same input, so it works through the same matches:
 * one its failed attempt already trashed (soft-deleted by this rule during this run, or an inactive
 * contact whose erasure this rule filed) counts as trashed again, and nothing is counted twice or left
 * out. Each deletion goes through the record's normal soft deletion, audited with the rule as actor;
 * records a legal hold covers are skipped. A rule disabled or deleted since it was listed is passed.
 */
export class RetentionRun {
  constructor(private readonly deps: RetentionRunDependencies) {}

  async step(state: RetentionRunState): Promise<RetentionRunState> {
    const counts: Record<string, number> = { ...state.counts };
    if (state.pending) await this.trashPending(state.pending, state.at, counts);
    let { rule, cursor, after } = state;
    let pending: PendingMatches | undefined;
    for (let pages = 0; pages < pagesPerStep; pages += 1) {
      if (!rule) {
        // What was read belongs to the rule just finished: the next rule waits for the next step.
        if (pending) break;
        rule = await this.deps.rules.next(after);
        cursor = undefined;
        if (!rule) return { at: state.at, ...(after && { after }), counts, done: true };
      }
      const policy = await this.runnablePolicy(rule);
      const page = policy
        ? await retentionMatchPage(this.deps.store, rule.accountId, policy.fields, new Date(state.at), {
            perPage: retentionPageSize,
            cursor,
          })
        : { records: [] };
      if (page.records.length) {
        pending = { rule, ids: [...(pending?.ids ?? []), ...page.records.map((record) => record.ref.id)] };
      }
      if (page.next) {
        cursor = page.next;
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
      ...(pending && { pending }),
      ...(after && { after }),
      counts,
      done: false,
    };
  }

  private async runnablePolicy(rule: EnabledRetentionRule): Promise<StoredRetentionPolicy | undefined> {
    const policy = await this.deps.store.get<RetentionPolicyFields>(
      rule.accountId,
      retentionPolicyRef(rule.policyId),
    );
    return policy && !policy.deletedAt && policy.fields.enabled ? policy : undefined;
  }

  /** Sends the matches read by the step before to the trash, each checked again as it stands now. */
  private async trashPending(pending: PendingMatches, at: string, counts: Record<string, number>) {
    const policy = await this.runnablePolicy(pending.rule);
    if (!policy) return;
    const { accountId } = policy;
    const kind = policy.fields.rule;
    const type = retainedTypeOf[kind];
    const principal = retentionPrincipal(accountId, policy.ref.id);
    const cutoff = retentionCutoff(policy.fields, new Date(at)).toISOString();
    const found = await this.deps.store.getMany<object>(
      accountId,
      pending.ids.map((id) => ({ type, id })),
    );
    const byId = new Map(found.map((record) => [record.ref.id, record]));
    const count = (name: string) => (counts[name] = (counts[name] ?? 0) + 1);
    for (const id of pending.ids) {
      const record = byId.get(id);
      const live = record && !record.deletedAt;
      if (live && !matchesRetentionRule(kind, record, cutoff)) continue;
      if (live && (await this.deps.holds.isHeld(accountId, record.ref))) {
        count('held');
      } else if (kind === 'inactive_contacts') {
        // Also for a contact gone since: the erasure this rule filed for it counts.
        const outcome = await this.deps.trash.eraseContact(principal, policy.ref.id, id, at);
        if (outcome === 'filed') count(type);
      } else if (live) {
        await this.deps.trash.trash(principal, kind, record);
        count(type);
      } else if (record && (await this.trashedByRuleSince(record, policy.ref.id, at))) {
        // The failed attempt's deletion: finish what it cut off (a chat's messages), count it once.
        await this.deps.trash.finish(principal, kind, record);
        count(type);
      }
    }
  }

  /** Whether the record's last change is its deletion by this rule at or after the run's instant. */
  private async trashedByRuleSince(record: StoredRecord<object>, policyId: number, at: string) {
    const [last] = await this.deps.store.auditTrail(record.accountId, record.ref, 1);
    return last?.operation === 'delete' && last.actor.id === retentionActorId(policyId) && last.at >= at;
  }
}
