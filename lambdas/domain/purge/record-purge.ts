import type { ErasureObjects } from '#domain/privacy/erasure-objects';
import { objectsHeldBy, stagedObjectsOf } from '#domain/privacy/erasure-objects';
import type { ErasureStore } from '#domain/privacy/erasure-store';
import type { Actor, RecordRef, RecordType } from '#domain/records/record';
import type { RecordStore } from '#domain/records/record-store';
import type { HeldRecords } from './held-records.ts';
import { isPurgeDue } from './purge-due.ts';
import type { DueDeletion, PurgeQueue } from './purge-queue.ts';

/** The actor of the purge's audit entries. */
export const purgeActor: Actor = { type: 'system', id: 'record-purge' };

/** Records purged at once within a page: bounds the load on the table and the buckets. */
const concurrency = 8;

export interface RecordPurgeDependencies {
  readonly store: Pick<RecordStore, 'get'>;
  /** Erasure's removal of a record with everything beside it, leaving a tombstone. */
  readonly erasure: Pick<ErasureStore, 'deleteForGood'>;
  /** Erasure's removal of every version and delete marker of a record's objects. */
  readonly objects: Pick<ErasureObjects, 'deleteEveryVersion'>;
  readonly queue: PurgeQueue;
  readonly held: HeldRecords;
}

/** What became of one due record. */
export type PurgeOutcome = 'purged' | 'gone' | 'not_due' | 'held';

/** What one page of the purge did: counts per record kind (no ids), and where the next page starts. */
export interface PurgePageResult {
  readonly purged: Partial<Record<RecordType, number>>;
  readonly held: number;
  readonly cursor?: string;
}

/**
 * The 60-day trash purge (docs/purge.md): a record soft-deleted 60 days ago goes for good, with its
 * claims, lookups, subject links and purge entry, and every version of its objects; a tombstone stays
 * (so no migration brings it back), and so do its audit entries, with a `purge` entry added. Every
 * step may be repeated: a record already purged is simply gone.
 */
export class RecordPurge {
  constructor(private readonly deps: RecordPurgeDependencies) {}

  /** Purges one page of the records due at `now` (ISO, the run's clock), after `cursor`. */
  async purgePage(now: string, limit: number, cursor?: string): Promise<PurgePageResult> {
    const page = await this.deps.queue.duePage(now, { limit, cursor });
    const held = await this.heldOf(page.due);
    const purged: Partial<Record<RecordType, number>> = {};
    const outcomes: PurgeOutcome[] = [];
    for (let start = 0; start < page.due.length; start += concurrency) {
      const slice = page.due.slice(start, start + concurrency);
      const results = await Promise.all(
        slice.map((due) =>
          held.has(keyOf(due.accountId, due.ref))
            ? ('held' as const)
            : this.purgeOne(due.accountId, due.ref, now),
        ),
      );
      results.forEach((outcome, index) => {
        outcomes.push(outcome);
        const type = (slice[index] as DueDeletion).ref.type;
        if (outcome === 'purged') purged[type] = (purged[type] ?? 0) + 1;
      });
    }
    return {
      purged,
      held: outcomes.filter((outcome) => outcome === 'held').length,
      ...(page.cursor && { cursor: page.cursor }),
    };
  }

  /** Purges one record if it is still soft-deleted and due at `now`; anything else is left as it is. */
  async purgeOne(accountId: string, ref: RecordRef, now: string): Promise<PurgeOutcome> {
    const record = await this.deps.store.get(accountId, ref);
    if (!record) return 'gone';
    // Restored (or deleted again later) since the page was read: not this run's to purge.
    if (!record.deletedAt || !isPurgeDue(record.deletedAt, now)) return 'not_due';
    // Objects first: a failure leaves the record due, and the retried page deletes what is left.
    for (const object of [...objectsHeldBy(record), ...stagedObjectsOf(record)]) {
      await this.deps.objects.deleteEveryVersion(object);
    }
    await this.deps.erasure.deleteForGood(record, {
      at: now,
      actor: purgeActor,
      operation: 'purge',
      record: ref,
      changedFields: [],
    });
    return 'purged';
  }

  private async heldOf(due: readonly DueDeletion[]): Promise<Set<string>> {
    const byAccount = new Map<string, RecordRef[]>();
    for (const { accountId, ref } of due)
      byAccount.set(accountId, [...(byAccount.get(accountId) ?? []), ref]);
    const held = new Set<string>();
    for (const [accountId, refs] of byAccount) {
      for (const ref of await this.deps.held.heldAmong(accountId, refs)) held.add(keyOf(accountId, ref));
    }
    return held;
  }
}

const keyOf = (accountId: string, ref: RecordRef) => `${accountId}#${ref.type}#${ref.id}`;
