import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { DynamoErasureStore } from '../lambdas/adapters/dynamo-erasure-store.ts';
import { DynamoRecordStore } from '../lambdas/adapters/dynamo-record-store.ts';
import { DynamoSubjectKeys } from '../lambdas/adapters/dynamo-subject-keys.ts';
import { toItem } from '../lambdas/adapters/record-items.ts';
import { subjectLinkSk, subjectPk } from '../lambdas/adapters/record-keys.ts';
import { S3ErasureObjects } from '../lambdas/adapters/s3-erasure-objects.ts';
import { S3ExportFiles } from '../lambdas/adapters/s3-export-files.ts';
import { notYetAnswered, type PrivacyRequestFields } from '../lambdas/domain/privacy/privacy-request.ts';
import { erasureWorkflowActor, RequestProgress } from '../lambdas/domain/privacy/request-progress.ts';
import { type ErasurePageResult, SubjectErasure } from '../lambdas/domain/privacy/subject-erasure.ts';
import type { StoredRecord, SubjectRef } from '../lambdas/domain/records/record.ts';
import { StoredHolds } from '../lambdas/domain/holds/stored-holds.ts';
import { erasurePageConcurrency } from '../lib/constructs/privacy-erasure-workflow.ts';
import { mapBounded } from '../lambdas/domain/privacy/bounded.ts';
import { alternatingMedians, withBenchEmulators, writeItems } from './bench-emulators.ts';

const at = '2026-11-23T10:00:00.000Z';
const subjectItems = 1_000;
const otherItems = 100_000;

/**
 * Erasure cost against account size (issue: time to erase a subject with 1,000 linked items in an empty
 * account and in one with 100,000 other items; ratio under 1.3). Runs the erasure workflow's steps
 * (index by Query, pages with the workflow's concurrency) in this process against DynamoDB Local and the
 * S3 emulator; the Step Functions hops add the same few calls in both cases.
 */
export async function runErasureBench(): Promise<void> {
  await withBenchEmulators('eea', async ({ dynamo, s3, names }) => {
    const buckets = names.buckets as Record<'attachments' | 'trash' | 'exports', string>;
    const store = new DynamoRecordStore(dynamo, names.table);
    const progress = new RequestProgress({ store, now: () => new Date(), actor: erasureWorkflowActor });
    const erasure = new SubjectErasure({
      store,
      erasure: new DynamoErasureStore(dynamo, names.table),
      objects: new S3ErasureObjects(s3, {
        attachments: buckets.attachments,
        trash: buckets.trash,
      }),
      workFiles: new S3ExportFiles(s3, buckets.trash),
      exports: new S3ExportFiles(s3, buckets.exports),
      progress,
      holds: new StoredHolds(store),
      // The erasure only destroys the subject's key (its tombstone); it never makes or unwraps one.
      keys: new DynamoSubjectKeys(dynamo, names.subjectKeyTable),
      now: () => new Date(),
    });
    let nextId = 1;
    const seed = async (accountId: string, subject: SubjectRef, count: number) => {
      const hasher = await store.hasherFor(accountId);
      const items: Record<string, unknown>[] = [];
      for (let i = 0; i < count; i++) {
        const record: StoredRecord<object> = {
          accountId,
          ref: { type: 'ticket', id: nextId++ },
          version: 1,
          createdAt: at,
          updatedAt: at,
          fields: { subject: `Ticket ${i}`, description: 'x'.repeat(200), requester_id: subject.id },
          subjects: [subject],
          parent: { key: `requester#${subject.id}#ticket` },
        };
        items.push(
          { ...toItem(record, hasher) },
          {
            pk: subjectPk(accountId, subject),
            sk: subjectLinkSk(record.ref),
            item_type: 'subject_link',
            record_type: 'ticket',
            record_id: record.ref.id,
          },
        );
      }
      await writeItems(dynamo, names.table, items);
    };
    const request = async (accountId: string, subject: SubjectRef) => {
      const fields: PrivacyRequestFields = {
        type: 'erasure',
        subject_type: 'contact',
        subject_id: subject.id,
        mode: 'permanent',
        channel: 'email',
        note: null,
        status: 'running',
        requested_by: 1,
        received_at: at,
        due_at: '2026-12-23T10:00:00.000Z',
        ...notYetAnswered,
      };
      const ref = { type: 'privacy_request' as const, id: nextId++ };
      await store.create(
        { accountId, ref, version: 1, createdAt: at, updatedAt: at, fields, subjects: [] },
        { at, actor: { type: 'system', id: 'bench' }, operation: 'create', record: ref, changedFields: [] },
      );
      return ref.id;
    };
    /** Seeds a subject with 1,000 linked items in the account and erases them. */
    const eraseOnce = async (accountId: string) => {
      const subject: SubjectRef = { kind: 'contact', id: nextId++ };
      await seed(accountId, subject, subjectItems);
      const requestId = await request(accountId, subject);
      const t0 = performance.now();
      const { batches } = await erasure.index(accountId, requestId, 'erase');
      await mapBounded(batches, erasurePageConcurrency, (batch) =>
        erasure.processBatch(accountId, requestId, 'erase', batch),
      );
      const ms = performance.now() - t0;
      const results: ErasurePageResult[] = await erasure.pageResults(accountId, requestId, 'erase');
      const erased = results.reduce((sum, page) => sum + (page.erased.ticket ?? 0), 0);
      if (erased !== subjectItems) throw new Error(`erased ${erased} of ${subjectItems} items`);
      return ms;
    };

    console.log(`\nErasure of a subject with ${subjectItems} linked items (permanent, DynamoDB Local)`);
    // Alternating small and large accounts, twice, so both see the same drift in machine load.
    const largeAccount = randomUUID();
    const seeded = performance.now();
    for (let done = 0; done < otherItems; done += 1_000) {
      await seed(largeAccount, { kind: 'contact', id: nextId++ }, Math.min(1_000, otherItems - done));
    }
    console.log(
      `  seeded ${otherItems} other items (100 people) in ${((performance.now() - seeded) / 1000).toFixed(0)} s`,
    );
    const { empty: e, large: l } = await alternatingMedians(
      3,
      () => eraseOnce(randomUUID()),
      () => eraseOnce(largeAccount),
    );
    console.log(
      `  account with no other data:        ${e.toFixed(0)} ms (${((subjectItems / e) * 1000).toFixed(0)} items/s)`,
    );
    console.log(
      `  account with ${otherItems} other items: ${l.toFixed(0)} ms (${((subjectItems / l) * 1000).toFixed(0)} items/s)`,
    );
    const ratio = l / e;
    console.log(`  ratio ${ratio.toFixed(2)} (target < 1.3): ${ratio < 1.3 ? 'met' : 'NOT met'}`);
  });
}
