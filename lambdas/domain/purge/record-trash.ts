import type { Principal } from '#domain/account';
import { ConflictError, NotFoundError } from '#domain/errors';
import {
  type ChangeOfRecord,
  type LifecycleDependencies,
  RecordLifecycle,
} from '#domain/records/record-lifecycle';
import type { RecordRef, StoredRecord } from '#domain/records/record';
import { descendantPages, hidingParentOf } from './descendants.ts';

/** Changes per transaction: each writes a record, its audit entry, claims and links (DynamoDB: 100 items). */
const batchSize = 25;

/** Throws unless the caller may delete or restore this record beyond the route's permission. */
export type MayChange = (principal: Principal, record: StoredRecord<object>) => void | Promise<void>;

const sameRef = (a: RecordRef | undefined, b: RecordRef) => a?.type === b.type && a.id === b.id;

/**
 * The trash of every soft-deletable record kind (docs/purge.md): a deletion that takes the record's
 * live descendants along (a chat's messages), and the restore of any kind, bringing back exactly what
 * its deletion took (the descendants marked as deleted with it, not those deleted before), with its
 * unique values and lookups; its purge entry goes with its `deleted_at`.
 */
export class RecordTrash {
  private readonly lifecycle: RecordLifecycle<object>;

  constructor(private readonly deps: LifecycleDependencies) {
    // Deletion and restore keep what derives from the fields as it is stored.
    this.lifecycle = new RecordLifecycle(
      deps,
      (record) => record,
      'It could not be restored: a value it holds (such as its name) belongs to another record now, or it changed meanwhile. Try again, or rename the other record first.',
    );
  }

  /**
   * Soft-deletes the record with its live descendants, the record in the first transaction (from then
   * on they answer 404 through it), the rest in batches. On a deleted record it finishes what an
   * interrupted deletion left, so a retry completes it.
   */
  async deleteWithDescendants(principal: Principal, ref: RecordRef, mayChange?: MayChange): Promise<void> {
    const record = await this.lifecycle.get(principal, ref);
    await mayChange?.(principal, record);
    const own = record.deletedAt ? [] : [this.lifecycle.deletion(principal, record)];
    const parent = { ref, deletedAt: own[0]?.next.deletedAt ?? (record.deletedAt as string) };
    const live = await this.descendants(record, (child) => !child.deletedAt);
    await this.commitInBatches([
      ...own,
      ...live.map((child) => this.lifecycle.deletion(principal, child, parent)),
    ]);
  }

  /**
   * Restores a soft-deleted record of the caller's account with the descendants deleted with it (the
   * record in the last transaction, so they stay hidden until it is back; a retry finishes an
   * interrupted restore). A live record is left as it is; an unknown, another account's or a purged
   * one is not found; one whose parent (or an ancestor) is deleted is a conflict naming the parent's
   * type: restore that first.
   */
  async restore(principal: Principal, ref: RecordRef, mayChange?: MayChange): Promise<void> {
    const record = await this.lifecycle.get(principal, ref);
    await mayChange?.(principal, record);
    await this.requireLiveAncestors(record);
    const takenAlong = await this.descendants(record, (child) => sameRef(child.deletedWith, ref));
    await this.commitInBatches([
      ...takenAlong.map((child) => this.lifecycle.restoration(principal, child)),
      ...(record.deletedAt ? [this.lifecycle.restoration(principal, record)] : []),
    ]);
  }

  private async requireLiveAncestors(record: StoredRecord<object>): Promise<void> {
    for (let ref = hidingParentOf(record); ref;) {
      const parent = await this.deps.store.get(record.accountId, ref);
      if (!parent) throw new NotFoundError();
      if (parent.deletedAt) {
        throw new ConflictError(
          `Its ${ref.type} (${ref.id}) is deleted: restore the ${ref.type} first, which brings back what it hid.`,
        );
      }
      ref = hidingParentOf(parent);
    }
  }

  /** The record's descendants (live or deleted) that `keep` accepts, as stored now (read again consistently). */
  private async descendants(
    record: StoredRecord<object>,
    keep: (child: StoredRecord<object>) => boolean,
  ): Promise<StoredRecord<object>[]> {
    const found: StoredRecord<object>[] = [];
    for await (const page of descendantPages(this.deps.store, record)) {
      const refs = page.filter(keep).map((child) => child.ref);
      const current = await this.deps.store.getMany<object>(record.accountId, refs);
      found.push(...current.filter(keep));
    }
    return found;
  }

  private async commitInBatches(changes: readonly ChangeOfRecord[]): Promise<void> {
    for (let start = 0; start < changes.length; start += batchSize) {
      await this.lifecycle.commit(changes.slice(start, start + batchSize));
    }
  }
}
