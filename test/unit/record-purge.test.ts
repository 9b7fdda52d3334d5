import {
  DeleteObjectsCommand,
  GetBucketVersioningCommand,
  ListObjectVersionsCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { S3ErasureObjects } from '../../lambdas/adapters/s3-erasure-objects.ts';
import { toItem } from '../../lambdas/adapters/record-items.ts';
import { purgeExecutionName, startDailyPurge } from '../../lambdas/domain/purge/daily-purge.ts';
import type { HeldRecords } from '../../lambdas/domain/purge/held-records.ts';
import { nothingHeld } from '../../lambdas/domain/purge/held-records.ts';
import { purgeDueAt } from '../../lambdas/domain/purge/purge-due.ts';
import type { DueDeletion } from '../../lambdas/domain/purge/purge-queue.ts';
import { purgeActor, RecordPurge } from '../../lambdas/domain/purge/record-purge.ts';
import { hidingParentOf } from '../../lambdas/domain/purge/descendants.ts';
import { ConflictError } from '../../lambdas/domain/errors.ts';
import type { AuditEntry, StoredRecord } from '../../lambdas/domain/records/record.ts';
import { testHasher } from './test-hasher.ts';

const s3Client = new S3Client({ region: 'eu-central-1' });
const s3 = mockClient(s3Client);
afterEach(() => {
  s3.reset();
  vi.restoreAllMocks();
});

const accountId = '6eb79ec8-bed9-49be-8269-7438da0ea8dc';
const objectKey = `accounts/${accountId}/attachments/7/file`;
const deletedAt = '2026-01-01T10:00:00.000Z';
/** An attachment record, soft-deleted at `deleted` (`null`: live). */
const attachment = (deleted: string | null = deletedAt): StoredRecord<object> => ({
  accountId,
  ref: { type: 'attachment', id: 7 },
  version: 3,
  createdAt: '2025-12-01T00:00:00.000Z',
  updatedAt: deleted ?? '2025-12-02T00:00:00.000Z',
  ...(deleted && { deletedAt: deleted }),
  fields: { object_key: objectKey, name: 'a.txt' },
  subjects: [],
});

/**
 * A purge over the real S3 adapter (mocked client) and a store holding `records` (due) and `others`
 * (not in the queue: e.g. live children, listed under their parent key).
 */
function purgeOver(
  records: StoredRecord<object>[],
  held: HeldRecords = nothingHeld,
  others: StoredRecord<object>[] = [],
) {
  const stored = new Map([...records, ...others].map((r) => [`${r.ref.type}#${r.ref.id}`, r]));
  const purgedAudits: AuditEntry[] = [];
  const purge = new RecordPurge({
    store: {
      get: async (_account, ref) => stored.get(`${ref.type}#${ref.id}`) as never,
      listByParent: async (_account, key, options) => ({
        records: [...stored.values()].filter(
          (r) => r.parent?.key === key && (options.where?.(r as never) ?? true),
        ) as never,
        hasMore: false,
      }),
    },
    erasure: {
      deleteForGood: async (record, audit) => {
        // As the store's conditional delete: a record purged meanwhile is a conflict.
        if (!stored.delete(`${record.ref.type}#${record.ref.id}`)) throw new ConflictError('gone');
        purgedAudits.push(audit);
      },
    },
    objects: new S3ErasureObjects(s3Client, { attachments: 'attachments-bucket' }),
    queue: {
      duePage: async () => ({
        due: records.map((r): DueDeletion => ({ accountId, ref: r.ref })),
      }),
    },
    held,
  });
  return { purge, purgedAudits, stored };
}

describe('the purge entry of a soft-deleted record', () => {
  it("is the record item's deadlines-index key, due exactly 60 days after the deletion", () => {
    // Prepare
    const item = toItem(attachment(), testHasher);

    // Assess
    expect(purgeDueAt(deletedAt)).toBe('2026-03-02T10:00:00.000Z');
    expect(item).toMatchObject({
      gsi4pk: 'DEADLINE#record-purge',
      gsi4sk: `2026-03-02T10:00:00.000Z#${accountId}#attachment#7`,
    });
  });

  it('is absent while the record is live (a restore removes it)', () => {
    const item = toItem(attachment(null), testHasher);

    expect(item.gsi4pk).toBeUndefined();
    expect(item.gsi4sk).toBeUndefined();
  });
});

describe('RecordPurge', () => {
  it("deletes every version and delete marker of the record's object, then the record, audited as purge", async () => {
    // Prepare: a versioned attachments bucket with two versions and a delete marker of the key.
    s3.on(GetBucketVersioningCommand).resolves({ Status: 'Enabled' });
    s3.on(ListObjectVersionsCommand).resolves({
      Versions: [
        { Key: objectKey, VersionId: 'v2' },
        { Key: objectKey, VersionId: 'v1' },
      ],
      DeleteMarkers: [{ Key: objectKey, VersionId: 'm1' }],
      IsTruncated: false,
    });
    s3.on(DeleteObjectsCommand).resolves({});
    const { purge, purgedAudits, stored } = purgeOver([attachment()]);

    // Act
    const result = await purge.purgePage('2026-03-02T10:00:00.000Z', 100);

    // Assess
    expect(result).toEqual({ purged: { attachment: 1 }, held: 0 });
    expect(s3).toHaveReceivedCommandWith(DeleteObjectsCommand, {
      Bucket: 'attachments-bucket',
      Delete: {
        Objects: [
          { Key: objectKey, VersionId: 'v2' },
          { Key: objectKey, VersionId: 'v1' },
          { Key: objectKey, VersionId: 'm1' },
        ],
        Quiet: true,
      },
    });
    expect(stored.size).toBe(0);
    expect(purgedAudits).toEqual([
      {
        at: '2026-03-02T10:00:00.000Z',
        actor: purgeActor,
        operation: 'purge',
        record: { type: 'attachment', id: 7 },
        changedFields: [],
      },
    ]);
  });

  it('leaves a record not yet due, a restored one and a held one where they are', async () => {
    // Prepare
    const early = { ...attachment('2026-01-01T10:00:00.001Z'), ref: { type: 'ticket' as const, id: 1 } };
    const restored = { ...attachment(null), ref: { type: 'ticket' as const, id: 2 } };
    const held = { ...attachment(), ref: { type: 'ticket' as const, id: 3 } };
    const { purge, stored } = purgeOver([early, restored, held], {
      heldAmong: async (_account, refs) => refs.filter((ref) => ref.id === 3),
    });

    // Act
    const result = await purge.purgePage('2026-03-02T10:00:00.000Z', 100);

    // Assess
    expect(result).toEqual({ purged: {}, held: 1 });
    expect(stored.size).toBe(3);
    expect(s3).not.toHaveReceivedCommand(DeleteObjectsCommand);
  });

  it("purges the live descendants a deleted parent hides: a ticket's conversations", async () => {
    // Prepare
    const ticket = { ...attachment(), ref: { type: 'ticket' as const, id: 1 }, fields: {} };
    const reply: StoredRecord<object> = {
      ...attachment(null),
      ref: { type: 'conversation', id: 2 },
      fields: {},
      parent: { key: 'ticket#1#conversation' },
    };
    const { purge, stored, purgedAudits } = purgeOver([ticket], nothingHeld, [reply]);

    // Act
    const result = await purge.purgePage('2026-03-02T10:00:00.000Z', 100);

    // Assess
    expect(result).toEqual({ purged: { ticket: 1, conversation: 1 }, held: 0 });
    expect(stored.size).toBe(0);
    expect(purgedAudits.map((audit) => audit.record)).toEqual([reply.ref, ticket.ref]);
  });

  it('asks the holds for each descendant: a held one stays, and so does its parent, until released', async () => {
    // Prepare: a deleted ticket with two replies; a hold (e.g. on its author) covers reply 3 only.
    const ticket = { ...attachment(), ref: { type: 'ticket' as const, id: 1 }, fields: {} };
    const reply = (id: number): StoredRecord<object> => ({
      ...attachment(null),
      ref: { type: 'conversation', id },
      fields: {},
      parent: { key: 'ticket#1#conversation' },
    });
    let holding = true;
    const { purge, stored } = purgeOver(
      [ticket],
      { heldAmong: async (_account, refs) => refs.filter((ref) => holding && ref.id === 3) },
      [reply(2), reply(3)],
    );

    // Act
    const whileHeld = await purge.purgePage('2026-03-02T10:00:00.000Z', 100);
    const keptWhileHeld = [...stored.keys()];
    holding = false;
    const released = await purge.purgePage('2026-03-03T10:00:00.000Z', 100);

    // Assess: the unheld reply went at once; the held one and the ticket it hangs on stayed.
    expect(whileHeld).toEqual({ purged: { conversation: 1 }, held: 2 });
    expect(keptWhileHeld.sort()).toEqual(['conversation#3', 'ticket#1']);
    expect(released).toEqual({ purged: { ticket: 1, conversation: 1 }, held: 0 });
  });

  it("purges a solution folder's translations and its articles' with them", async () => {
    // Prepare: a deleted folder with its Dutch name, an article in it and the article's German text.
    const live = attachment(null);
    const folder = { ...attachment(), ref: { type: 'solution_folder' as const, id: 1 }, fields: {} };
    const child = (
      type: StoredRecord['ref']['type'],
      id: number,
      parentKey: string,
    ): StoredRecord<object> => ({
      ...live,
      ref: { type, id },
      fields: {},
      parent: { key: parentKey },
    });
    const folderNl = child('solution_folder_translation', 2, 'solution_folder#1#solution_folder_translation');
    const article = child('solution_article', 3, 'solution_folder#1#solution_article');
    const articleDe = child(
      'solution_article_translation',
      4,
      'solution_article#3#solution_article_translation',
    );
    const { purge, stored } = purgeOver([folder], nothingHeld, [folderNl, article, articleDe]);

    // Act
    const result = await purge.purgePage('2026-03-02T10:00:00.000Z', 100);

    // Assess
    expect(result.purged).toEqual({
      solution_folder: 1,
      solution_folder_translation: 1,
      solution_article: 1,
      solution_article_translation: 1,
    });
    expect(stored.size).toBe(0);
  });

  it("purges a conversation's files with it, not its ticket's or another's, once each; a retried page finds them gone", async () => {
    // Prepare: conversation 5 of ticket 1 deleted with its file 6 (due by its own entry too); its file
    // 7 is live (a conversation deleted before its deletion took files along); the ticket's own file 8
    // and conversation 10's file 9 are live. All files are listed under the ticket.
    s3.on(GetBucketVersioningCommand).resolves({ Status: 'Enabled' });
    s3.on(ListObjectVersionsCommand).resolves({ IsTruncated: false });
    const conversation: StoredRecord<object> = {
      ...attachment(),
      ref: { type: 'conversation', id: 5 },
      fields: { ticket_id: 1 },
      parent: { key: 'ticket#1#conversation' },
    };
    const file = (
      id: number,
      conversationId: number | null,
      deleted: string | null,
    ): StoredRecord<object> => ({
      ...attachment(deleted),
      ref: { type: 'attachment', id },
      fields: { object_key: `${objectKey}-${id}`, ticket_id: 1, conversation_id: conversationId },
      parent: { key: 'ticket#1#attachment' },
    });
    const due = [conversation, file(6, 5, deletedAt)];
    const { purge, stored, purgedAudits } = purgeOver(due, nothingHeld, [
      file(7, 5, null),
      file(8, null, null),
      file(9, 10, null),
    ]);

    // Act
    const result = await purge.purgePage('2026-03-02T10:00:00.000Z', 100);
    const retried = await purge.purgePage('2026-03-02T10:00:00.000Z', 100);

    // Assess
    expect(result).toEqual({ purged: { conversation: 1, attachment: 2 }, held: 0 });
    expect([...stored.keys()].sort()).toEqual(['attachment#8', 'attachment#9']);
    expect(purgedAudits.map((audit) => `${audit.record.type}#${audit.record.id}`).sort()).toEqual([
      'attachment#6',
      'attachment#7',
      'conversation#5',
    ]);
    expect(retried).toEqual({ purged: {}, held: 0 });
  });

  it('finds a record purged already simply gone (a retried page)', async () => {
    const { purge } = purgeOver([]);

    expect(await purge.purgeOne(accountId, { type: 'ticket', id: 9 }, '2026-03-02T10:00:00.000Z')).toBe(
      'gone',
    );
  });
});

describe('the parent a restore asks for (hidingParentOf)', () => {
  it("is a conversation's file's conversation, a ticket's own file's ticket, a conversation's ticket", () => {
    const record = (type: 'attachment' | 'conversation', fields: object, key: string) => ({
      ref: { type, id: 7 },
      fields,
      parent: { key },
    });

    expect(hidingParentOf(record('attachment', { conversation_id: 5 }, 'ticket#1#attachment'))).toEqual({
      type: 'conversation',
      id: 5,
    });
    expect(hidingParentOf(record('attachment', { conversation_id: null }, 'ticket#1#attachment'))).toEqual({
      type: 'ticket',
      id: 1,
    });
    expect(hidingParentOf(record('conversation', {}, 'ticket#1#conversation'))).toEqual({
      type: 'ticket',
      id: 1,
    });
  });
});

describe('the daily start', () => {
  it('names the execution by region and day and gives it the start as its clock', async () => {
    // Prepare
    const start = vi.fn(async () => {});

    // Act
    const name = await startDailyPurge(
      { start, execution: async () => undefined },
      'eea',
      new Date('2026-03-02T03:00:00.000Z'),
    );

    // Assess
    expect(name).toBe('purge-eea-2026-03-02');
    expect(purgeExecutionName('us', new Date('2026-03-02T23:59:59.999Z'))).toBe('purge-us-2026-03-02');
    expect(start).toHaveBeenCalledWith('purge-eea-2026-03-02', {
      day: '2026-03-02',
      before: '2026-03-02T03:00:00.000Z',
    });
  });
});
