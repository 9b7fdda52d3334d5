import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoErasureStore } from '../lambdas/adapters/dynamo-erasure-store.ts';
import { DynamoPurgeQueue } from '../lambdas/adapters/dynamo-purge-queue.ts';
import { DynamoRecordStore } from '../lambdas/adapters/dynamo-record-store.ts';
import { toItem } from '../lambdas/adapters/record-items.ts';
import { S3ErasureObjects } from '../lambdas/adapters/s3-erasure-objects.ts';
import { mapBounded } from '../lambdas/domain/privacy/bounded.ts';
import { nothingHeld } from '../lambdas/domain/purge/held-records.ts';
import { purgeDueAt } from '../lambdas/domain/purge/purge-due.ts';
import { RecordPurge } from '../lambdas/domain/purge/record-purge.ts';
import type { StoredRecord } from '../lambdas/domain/records/record.ts';
import { purgePageSize } from '../lambdas/workflows/record-purge/purge-tasks.ts';
import { bootstrapRegion } from '../local/bootstrap.ts';
import { startDynamoDbLocal } from '../local/emulators/dynamodb-local.ts';
import { startS3Emulator } from '../local/emulators/s3-emulator.ts';
import { localCredentials, localSigningRegion } from '../local/local-credentials.ts';
import { localResourceNames } from '../local/local-environment.ts';

const at = '2026-01-01T10:00:00.000Z';
const dueItems = 1_000;
const otherItems = 100_000;

/**
 * Purge cost against account size (issue: the purge of 1,000 due items in an account with 100,000 other
 * items, divided by the same purge in an otherwise empty account, at most 1.3). Runs the workflow's
 * page step (RecordPurge.purgePage, the task's page size) in this process against DynamoDB Local.
 */
export async function runPurgeBench(): Promise<void> {
  const stateDir = mkdtempSync(join(tmpdir(), 'helpdesk-purge-bench-'));
  const dynamoEmulator = await startDynamoDbLocal();
  const s3Emulator = await startS3Emulator(join(stateDir, 's3'));
  const region = 'eea';
  await bootstrapRegion(region, { dynamodb: dynamoEmulator.endpoint, s3: s3Emulator.endpoint });
  const names = localResourceNames(region);
  const dynamo = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: dynamoEmulator.endpoint,
      region: localSigningRegion,
      credentials: localCredentials,
    }),
    { marshallOptions: { removeUndefinedValues: true } },
  );
  const s3 = new S3Client({
    endpoint: s3Emulator.endpoint,
    region: localSigningRegion,
    credentials: localCredentials,
    forcePathStyle: true,
  });
  try {
    const purge = new RecordPurge({
      store: new DynamoRecordStore(dynamo, names.table),
      erasure: new DynamoErasureStore(dynamo, names.table),
      objects: new S3ErasureObjects(s3, { attachments: names.buckets.attachments as string }),
      queue: new DynamoPurgeQueue(dynamo, names.table),
      held: nothingHeld,
    });
    let nextId = 1;
    /** Writes `count` tickets of the account, soft-deleted at `at` if `deleted`. */
    const seed = async (accountId: string, count: number, deleted: boolean) => {
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
        return toItem(record);
      });
      const batches = Array.from({ length: Math.ceil(items.length / 25) }, (_, b) =>
        items.slice(b * 25, b * 25 + 25),
      );
      await mapBounded(batches, 8, async (batch) => {
        let pending = batch.map((Item) => ({ PutRequest: { Item } }));
        while (pending.length > 0) {
          const result = await dynamo.send(
            new BatchWriteCommand({ RequestItems: { [names.table]: pending } }),
          );
          pending = (result.UnprocessedItems?.[names.table] ?? []) as typeof pending;
        }
      });
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
    // Alternating, so both see the same drift in machine load.
    const empty: number[] = [];
    const large: number[] = [];
    for (let round = 0; round < 3; round++) {
      empty.push(await purgeOnce(randomUUID()));
      large.push(await purgeOnce(largeAccount));
    }
    const median = (values: number[]) =>
      [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
    const e = median(empty);
    const l = median(large);
    console.log(`  account with no other data:        ${e.toFixed(0)} ms`);
    console.log(`  account with ${otherItems} other items: ${l.toFixed(0)} ms`);
    const ratio = l / e;
    console.log(`  ratio ${ratio.toFixed(2)} (target <= 1.3): ${ratio <= 1.3 ? 'met' : 'NOT met'}`);
  } finally {
    dynamo.destroy();
    s3.destroy();
    await s3Emulator.stop();
    await dynamoEmulator.stop();
    rmSync(stateDir, { recursive: true, force: true });
  }
}
