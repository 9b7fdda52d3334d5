import type { LifecycleDependencies } from '#domain/records/record-lifecycle';
import { type ChangeOfRecord, RecordLifecycle } from '#domain/records/record-lifecycle';
import { pagesUnder } from '#domain/records/parent-pages';
import type { StoredRecord } from '#domain/records/record';

/** Parent keys of what hangs off a ticket and goes with it when it is deleted: huddle and files. */
export const ticketHuddleKey = (ticketId: number) => `ticket#${ticketId}#huddle`;
export const ticketAttachmentsKey = (ticketId: number) => `ticket#${ticketId}#attachment`;

/**
 * Changes per transaction: a child's deletion writes its record and audit entry, so 25 stay well
 * inside DynamoDB's 100 items per transaction whatever else a change may carry.
 */
export const cascadeBatchSize = 25;

/**
 * A ticket's huddle messages and attachments, as its deletion and restore take them along. Changes
 * go in transactions of `batchSize`; a child is read again (consistently) before it is changed, as the
 * parent index it is found through may lag.
 */
export class TicketChildren {
  readonly lifecycle: RecordLifecycle<object>;

  constructor(
    private readonly deps: LifecycleDependencies,
    private readonly batchSize = cascadeBatchSize,
  ) {
    this.lifecycle = new RecordLifecycle(
      deps,
      (record) => record,
      'The ticket or one of its huddle messages or attachments changed meanwhile; try again.',
    );
  }

  /** The ticket's children (live or deleted) that `keep` accepts, as stored now. */
  async matching(
    accountId: string,
    ticketId: number,
    keep: (child: StoredRecord<object>) => boolean,
  ): Promise<StoredRecord<object>[]> {
    const found: StoredRecord<object>[] = [];
    const keys = [ticketHuddleKey(ticketId), ticketAttachmentsKey(ticketId)];
    for await (const page of pagesUnder(this.deps.store, accountId, keys)) {
      const current = await Promise.all(
        page.filter(keep).map((child) => this.deps.store.get<object>(accountId, child.ref)),
      );
      found.push(...current.filter((child): child is StoredRecord<object> => Boolean(child && keep(child))));
    }
    return found;
  }

  /** Stores the changes in order, one transaction per batch: each batch all or nothing. */
  async commitInBatches(changes: readonly ChangeOfRecord[]): Promise<void> {
    for (let start = 0; start < changes.length; start += this.batchSize) {
      await this.lifecycle.commit(changes.slice(start, start + this.batchSize));
    }
  }
}
