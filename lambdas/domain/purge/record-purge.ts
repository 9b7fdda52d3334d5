import type { ErasureObjects } from '#domain/privacy/erasure-objects';
import { objectsHeldBy, stagedObjectsOf } from '#domain/privacy/erasure-objects';
import type { ErasureStore } from '#domain/privacy/erasure-store';
import { ConflictError } from '#domain/errors';
import type { Actor, RecordRef, RecordType, StoredRecord } from '#domain/records/record';
import type { RecordStore } from '#domain/records/record-store';
import { descendantPages } from './descendants.ts';
import type { HeldRecords } from './held-records.ts';
import { isPurgeDue } from './purge-due.ts';
import type { DueDeletion, PurgeQueue } from './purge-queue.ts';

/** The actor of the purge's audit entries. */
export const purgeActor: Actor = { type: 'system', id: 'record-purge' };

/** Records purged at once within a page: bounds the load on the table and the buckets. */
const concurrency = 8;

export interface RecordPurgeDependencies {
  readonly store: Pick<RecordStore, 'get' | 'listByParent'>;
  /** Erasure's removal of a record with everything beside it, leaving a tombstone. */
  readonly erasure: Pick<ErasureStore, 'deleteForGood'>;
  /** Erasure's removal of every version and delete marker of a record's objects. */
  readonly objects: Pick<ErasureObjects, 'deleteEveryVersion'>;
  readonly queue: PurgeQueue;
  readonly held: HeldRecords;
}

/** What became of one due record. */
export type PurgeOutcome = 'purged' | 'gone' | 'not_due' | 'held';

type Counts = Partial<Record<RecordType, number>>;

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
    const purged: Counts = {};
    const heldCount = { count: 0 };
    for (let start = 0; start < page.due.length; start += concurrency) {
      const slice = page.due.slice(start, start + concurrency);
      const outcomes = await Promise.all(
        slice.map((due) =>
          held.has(keyOf(due.accountId, due.ref))
            ? ('held' as const)
            : this.purgeOne(due.accountId, due.ref, now, purged, heldCount),
        ),
      );
      heldCount.count += outcomes.filter((outcome) => outcome === 'held').length;
    }
    return { purged, held: heldCount.count, ...(page.cursor && { cursor: page.cursor }) };
  }

  /**
   * Purges one record, with its descendants, if it is still soft-deleted and due at `now`; anything
   * else is left as it is. Adds what it removed to `counts`, per record kind, and the descendants a
   * hold kept to `held.count`: the record then stays too (soft-deleted, due), so its held descendants
   * keep their place and the next day's run asks again.
   */
  async purgeOne(
    accountId: string,
    ref: RecordRef,
    now: string,
    counts: Counts = {},
    held: { count: number } = { count: 0 },
  ): Promise<PurgeOutcome> {
    const record = await this.deps.store.get(accountId, ref);
    if (!record) return 'gone';
    // Restored (or deleted again later) since the page was read: not this run's to purge.
    if (!record.deletedAt || !isPurgeDue(record.deletedAt, now)) return 'not_due';
    return (await this.removeTree(record, now, counts, held)) ? 'purged' : 'held';
  }

  /**
   * Descendants first, each asked of the holds, then the record: a failure leaves the record due, and
   * the retry finishes. False if a held descendant kept the record.
   */
  private async removeTree(
    record: StoredRecord<object>,
    now: string,
    counts: Counts,
    held: { count: number },
  ): Promise<boolean> {
    let complete = true;
    for await (const page of descendantPages(this.deps.store, record)) {
      const children = page.map((child) => child.ref);
      const heldRefs = children.length ? await this.deps.held.heldAmong(record.accountId, children) : [];
      const heldChildren = new Set(heldRefs.map((ref) => keyOf(record.accountId, ref)));
      for (const child of children) {
        if (heldChildren.has(keyOf(record.accountId, child))) {
          held.count += 1;
          complete = false;
          continue;
        }
        const current = await this.deps.store.get(record.accountId, child);
        if (current && !(await this.removeTree(current, now, counts, held))) complete = false;
      }
    }
    if (!complete) return false;
    if (await this.remove(record, now)) counts[record.ref.type] = (counts[record.ref.type] ?? 0) + 1;
    return true;
  }

  /**
   * Every version of the record's objects first, then the record with everything beside it; false if
   * it was purged meanwhile.
   */
  private async remove(record: StoredRecord<object>, now: string): Promise<boolean> {
    for (const object of [...objectsHeldBy(record), ...stagedObjectsOf(record)]) {
      await this.deps.objects.deleteEveryVersion(object);
    }
    try {
      await this.deps.erasure.deleteForGood(record, {
        at: now,
        actor: purgeActor,
        operation: 'purge',
        record: record.ref,
        changedFields: [],
      });
      return true;
    } catch (error) {
      // Purged meanwhile by its own entry (a child due with its parent, in the same page): done.
      if (error instanceof ConflictError && !(await this.deps.store.get(record.accountId, record.ref))) {
        return false;
      }
      throw error;
    }
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
