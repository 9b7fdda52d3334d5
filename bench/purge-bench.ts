import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { DynamoErasureStore } from '../lambdas/adapters/dynamo-erasure-store.ts';
import { DynamoPurgeQueue } from '../lambdas/adapters/dynamo-purge-queue.ts';
import { DynamoRecordStore } from '../lambdas/adapters/dynamo-record-store.ts';
import { toItem } from '../lambdas/adapters/record-items.ts';
import { S3ErasureObjects } from '../lambdas/adapters/s3-erasure-objects.ts';
import { nothingHeld } from '../lambdas/domain/purge/held-records.ts';
import { purgeDueAt } from '../lambdas/domain/purge/purge-due.ts';
import { RecordPurge } from '../lambdas/domain/purge/record-purge.ts';
import type { StoredRecord } from '../lambdas/domain/records/record.ts';
import { purgePageSize } from '../lambdas/workflows/record-purge/purge-tasks.ts';
import { alternatingMedians, withBenchEmulators, writeItems } from './bench-emulators.ts';

const at = '2026-01-01T10:00:00.000Z';
const dueItems = 1_000;
const otherItems = 100_000;

/**
 * Purge cost against account size (issue: the purge of 1,000 due items in an account with 100,000 other
 * items, divided by the same purge in an otherwise empty account, at most 1.3). Runs the workflow's
 * page step (RecordPurge.purgePage, the task's page size) in this process against DynamoDB Local.
 */
export async function runPurgeBench(): Promise<void> {
  await withBenchEmulators('eea', async ({ dynamo, s3, names }) => {
    const store = new DynamoRecordStore(dynamo, names.table);
    const purge = new RecordPurge({
      store,
      erasure: new DynamoErasureStore(dynamo, names.table),
      objects: new S3ErasureObjects(s3, { attachments: names.buckets.attachments as string }),
      queue: new DynamoPurgeQueue(dynamo, names.table),
      held: nothingHeld,
    });
    let nextId = 1;
    /** Writes `count` tickets of the account, soft-deleted at `at` if `deleted`. */
    const seed = async (accountId: string, count: number, deleted: boolean) => {
      const hasher = await store.hasherFor(accountId);
      const items = Array.from({ length: count }, (_, i) => {
        const record: StoredRecord<object> = {
          accountId,
          ref: { type: 'ticket', id: nextId++ },
          version: 1,
          createdAt: at,
          updatedAt: at,
          ...(deleted && { deletedAt: at }),
          fields: { subject: `Ticket ${i}`, description: 'x'.repeat(200) },
          subjects: [],
        };
        return toItem(record, hasher);
      });
      await writeItems(dynamo, names.table, items);
    };
    /** Seeds 1,000 due tickets in the account and purges them page by page, as the workflow does. */
    const purgeOnce = async (accountId: string) => {
      await seed(accountId, dueItems, true);
      const t0 = performance.now();
      let purged = 0;
      let cursor: string | undefined;
      do {
        const page = await purge.purgePage(purgeDueAt(at), purgePageSize, cursor);
        purged += page.purged.ticket ?? 0;
        cursor = page.cursor;
      } while (cursor);
      const ms = performance.now() - t0;
      if (purged !== dueItems) throw new Error(`purged ${purged} of ${dueItems} items`);
      return ms;
    };

    console.log(`\nPurge of ${dueItems} due items (DynamoDB Local)`);
    const largeAccount = randomUUID();
    const seeded = performance.now();
    for (let done = 0; done < otherItems; done += 1_000) await seed(largeAccount, 1_000, false);
    console.log(
      `  seeded ${otherItems} other items in ${((performance.now() - seeded) / 1000).toFixed(0)} s`,
    );
    const { empty: e, large: l } = await alternatingMedians(
      3,
      () => purgeOnce(randomUUID()),
      () => purgeOnce(largeAccount),
    );
    console.log(`  account with no other data:        ${e.toFixed(0)} ms`);
    console.log(`  account with ${otherItems} other items: ${l.toFixed(0)} ms`);
    const ratio = l / e;
    console.log(`  ratio ${ratio.toFixed(2)} (target <= 1.3): ${ratio <= 1.3 ? 'met' : 'NOT met'}`);
  });
}
