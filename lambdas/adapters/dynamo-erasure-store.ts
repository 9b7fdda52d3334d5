import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '#domain/errors';
import type {
  DueRecord,
  ErasureStore,
  FileCountOf,
  TrashedRecord,
  TrashRef,
} from '#domain/privacy/erasure-store';
import type { AuditEntry, Deadline, RecordRef, RecordType, StoredRecord } from '#domain/records/record';
import { type LookupHasher, type LookupKeys, lookupHasherFor } from '#domain/encryption/lookup-hasher';
import { AgentApiKeys } from './agent-api-keys.ts';
import { lookupKeysOf } from './kms-lookup-keys.ts';
import type { RecordSealer } from '#domain/encryption/record-sealer';
import { sealedBefore, sealerBeside } from './record-sealing.ts';
import { decodeCursor, encodeCursor } from './query-cursor.ts';
import { dueItems } from './deadline-index.ts';
import { ERASED_SK, RECORD_SK, fileCountSk, recordPk, trashPk, trashSk } from './record-keys.ts';
import {
  type RecordItem,
  RecordIndexItems,
  type TransactItem,
  fromItem,
  toItem,
  transactRecords,
} from './record-items.ts';

/** Beside the request's trash entries (which its trash pages never read: they begin TRASHED#). */
const fileCountKey = ({ accountId, requestId, ref, purgeOf }: FileCountOf) => ({
  pk: trashPk(accountId, requestId),
  sk: fileCountSk(ref, purgeOf),
});

const conflict = 'The record changed while it was being erased; the step is retried.';

/**
 * Erasure's writes on the region's table. A trashed record is kept as its exact item inside a trash
 * entry of the request (`A#<account>#TRASH#<request>`), so a restore writes back the very same item,
 * and the entry expires by TTL at the trash's end as a backstop to the purge.
 */
export class DynamoErasureStore implements ErasureStore {
  private readonly index: RecordIndexItems;
  private readonly keys: AgentApiKeys;
  private readonly lookupKeys: LookupKeys;
  private readonly sealer: RecordSealer;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    options: { readonly lookupKeys?: LookupKeys; readonly sealer?: RecordSealer } = {},
  ) {
    this.index = new RecordIndexItems(tableName);
    this.keys = new AgentApiKeys(client, tableName);
    this.lookupKeys = options.lookupKeys ?? lookupKeysOf(client, tableName);
    this.sealer = options.sealer ?? sealerBeside(client, tableName);
  }

  /** The item a rewritten record is stored as: its personal fields sealed (docs/encryption.md). */
  private async sealedItem(
    record: StoredRecord<object>,
    hasher: LookupHasher,
    previous: StoredRecord<object>,
  ): Promise<object> {
    const { fields } = await this.sealer.seal(record, sealedBefore(previous));
    return { ...toItem(record, hasher), fields };
  }

  /** The account's keyed hash: the companions moved out and back are keyed like the record store's. */
  private hasherFor(accountId: string): Promise<LookupHasher> {
    return lookupHasherFor(this.lookupKeys, accountId);
  }

  async moveToTrash(
    record: StoredRecord<object>,
    requestId: number,
    audit: AuditEntry,
    expiresAt: string,
  ): Promise<void> {
    const Item = await this.recordItem(record);
    if (!Item || Item.version !== record.version) throw new ConflictError(conflict);
    const keys = await this.keysTrashedWith(record);
    const hasher = await this.hasherFor(record.accountId);
    await transactRecords(
      this.client,
      [
        this.deleteRecordItem(record),
        ...this.index.companionsOf(record, 'delete', hasher),
        ...keys.items,
        this.putTombstone(record, audit),
        this.putTrashEntry(record, requestId, audit, expiresAt, {
          record_item: Item,
          ...(keys.kept.length > 0 && { key_items: keys.kept }),
        }),
        this.index.putAudit(record, audit),
      ],
      conflict,
    );
  }

  async anonymiseIntoTrash(
    previous: StoredRecord<object>,
    next: StoredRecord<object>,
    requestId: number,
    audit: AuditEntry,
    expiresAt: string,
  ): Promise<void> {
    const Item = await this.recordItem(previous);
    if (!Item || Item.version !== previous.version) throw new ConflictError(conflict);
    const hasher = await this.hasherFor(previous.accountId);
    await transactRecords(
      this.client,
      [
        ...this.index.replacement(
          previous,
          next,
          audit,
          hasher,
          await this.sealedItem(next, hasher, previous),
        ),
        this.putTrashEntry(previous, requestId, audit, expiresAt, {
          record_item: Item,
          anonymised_version: next.version,
        }),
      ],
      conflict,
    );
  }

  async restoreContribution(
    trashed: TrashedRecord,
    requestId: number,
    current: StoredRecord<object>,
    next: StoredRecord<object> | undefined,
    audit: AuditEntry,
  ): Promise<void> {
    const entry = await this.trashEntry(current.accountId, requestId, current.ref);
    if (!entry) return;
    const hasher = await this.hasherFor(current.accountId);
    const replacement = next
      ? this.index.replacement(current, next, audit, hasher, await this.sealedItem(next, hasher, current))
      : this.index.replacement(current, trashed.record, audit, hasher, entry.record_item as object);
    await transactRecords(this.client, [...replacement, this.deleteTrashEntry(current, requestId)], conflict);
  }

  async trashed(accountId: string, requestId: number, ref: RecordRef): Promise<TrashedRecord | undefined> {
    const entry = await this.trashEntry(accountId, requestId, ref);
    if (!entry) return undefined;
    return {
      // The exact item as it was (sealed), opened: its companions derive from the plain fields.
      record: await this.sealer.open(fromItem(entry.record_item as RecordItem)),
      trashedAt: entry.trashed_at as string,
      ...(typeof entry.anonymised_version === 'number' && { anonymisedVersion: entry.anonymised_version }),
    };
  }

  async restoreFromTrash(trashed: TrashedRecord, requestId: number, audit: AuditEntry): Promise<void> {
    const { record } = trashed;
    const entry = await this.trashEntry(record.accountId, requestId, record.ref);
    if (!entry) return;
    const hasher = await this.hasherFor(record.accountId);
    await transactRecords(
      this.client,
      [
        {
          Put: {
            TableName: this.tableName,
            Item: entry.record_item as Record<string, unknown>,
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        ...this.index.companionsOf(record, 'put', hasher),
        // An agent's API keys, trashed with the profile, come back as they were.
        ...((entry.key_items as Record<string, unknown>[] | undefined) ?? []).map((Item) => ({
          Put: { TableName: this.tableName, Item, ConditionExpression: 'attribute_not_exists(pk)' },
        })),
        this.deleteTrashEntry(record, requestId),
        {
          Delete: {
            TableName: this.tableName,
            Key: { pk: recordPk(record.accountId, record.ref), sk: ERASED_SK },
          },
        },
        this.index.putAudit(record, audit),
      ],
      'The record cannot come back: its id or a unique value it holds is taken.',
    );
  }

  async purgeFromTrash(trashed: TrashedRecord, requestId: number, audit: AuditEntry): Promise<void> {
    await transactRecords(
      this.client,
      [this.deleteTrashEntry(trashed.record, requestId), this.index.putAudit(trashed.record, audit)],
      conflict,
    );
  }

  async keepPastTrashEnd(accountId: string, requestId: number, ref: RecordRef): Promise<void> {
    const keys = [
      { pk: trashPk(accountId, requestId), sk: trashSk(ref) },
      fileCountKey({ accountId, requestId, ref }),
    ];
    for (const Key of keys) {
      try {
        await this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key,
            UpdateExpression: 'REMOVE expires_at',
            ConditionExpression: 'attribute_exists(pk)',
          }),
        );
      } catch (error) {
        // Gone (purged, restored, or no files counted): nothing to keep.
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    }
  }

  async keepFileCount(of: FileCountOf, files: number, expiresAt: string): Promise<number> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...fileCountKey(of),
            item_type: 'erasure_file_count',
            files,
            expires_at: Math.ceil(Date.parse(expiresAt) / 1000),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return files;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      return (await this.fileCount(of)) ?? files;
    }
  }

  async fileCount(of: FileCountOf): Promise<number | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: fileCountKey(of),
        ConsistentRead: true,
      }),
    );
    return Item ? (Item.files as number) : undefined;
  }

  async deleteForGood(record: StoredRecord<object>, audit: AuditEntry): Promise<void> {
    const hasher = await this.hasherFor(record.accountId);
    await transactRecords(
      this.client,
      [
        this.deleteRecordItem(record),
        ...this.index.companionsOf(record, 'delete', hasher),
        ...(await this.keysRevokedWith(record)),
        this.putTombstone(record, audit),
        this.index.putAudit(record, audit),
      ],
      conflict,
    );
  }

  async trashPage(
    accountId: string,
    requestId: number,
    page: { limit: number; cursor?: string },
  ): Promise<{ refs: TrashRef[]; cursor?: string }> {
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :trashed)',
        ExpressionAttributeValues: { ':pk': trashPk(accountId, requestId), ':trashed': 'TRASHED#' },
        ProjectionExpression: 'sk, anonymised_version',
        Limit: page.limit,
        ExclusiveStartKey: decodeCursor(page.cursor),
        ConsistentRead: true,
      }),
    );
    return {
      refs: (result.Items ?? []).map((item) => {
        const [, type, id] = String(item.sk).split('#');
        const ref = { type: type as RecordType, id: Number(id) };
        return item.anonymised_version === undefined ? ref : { ...ref, anonymised: true as const };
      }),
      cursor: encodeCursor(result.LastEvaluatedKey),
    };
  }

  async dueRecords(kind: Deadline['kind'], before: string, limit: number): Promise<DueRecord[]> {
    const items = await dueItems(
      this.client,
      this.tableName,
      kind,
      before,
      limit,
      'account_id, record_type, record_id, deadline',
    );
    return items.map((item) => ({
      accountId: item.account_id as string,
      ref: { type: item.record_type as RecordType, id: item.record_id as number },
      at: (item.deadline as Deadline).at,
    }));
  }

  private async trashEntry(accountId: string, requestId: number, ref: RecordRef) {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { pk: trashPk(accountId, requestId), sk: trashSk(ref) },
        ConsistentRead: true,
      }),
    );
    return Item;
  }

  /**
   * The erased record's tombstone (ids and time only): an import of the same source record, whose id is
   * derived from the source id, finds it and leaves the record erased. A restore removes it.
   */
  private putTombstone(record: StoredRecord<object>, audit: AuditEntry) {
    return {
      Put: {
        TableName: this.tableName,
        Item: {
          pk: recordPk(record.accountId, record.ref),
          sk: ERASED_SK,
          item_type: 'erased_record',
          record_type: record.ref.type,
          record_id: record.ref.id,
          erased_at: audit.at,
        },
      },
    };
  }

  /** An agent's API keys go in the transaction that removes their profile, so no key outlives it. */
  private async keysRevokedWith(record: StoredRecord<object>): Promise<TransactItem[]> {
    if (record.ref.type !== 'agent') return [];
    return (await this.keys.revocation(record.accountId, record.ref.id)).items;
  }

  /**
   * An agent's API keys leave the table in the transaction that trashes their profile, kept (their
   * exact items) in its trash entry: a restore puts them back, the purge deletes them.
   */
  private async keysTrashedWith(
    record: StoredRecord<object>,
  ): Promise<{ items: TransactItem[]; kept: Record<string, unknown>[] }> {
    if (record.ref.type !== 'agent') return { items: [], kept: [] };
    return this.keys.trashing(record.accountId, record.ref.id);
  }

  private async recordItem(record: StoredRecord<object>) {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { pk: recordPk(record.accountId, record.ref), sk: RECORD_SK },
        ConsistentRead: true,
      }),
    );
    return Item;
  }

  private putTrashEntry(
    record: StoredRecord<object>,
    requestId: number,
    audit: AuditEntry,
    expiresAt: string,
    kept: Record<string, unknown>,
  ): TransactItem {
    return {
      Put: {
        TableName: this.tableName,
        Item: {
          pk: trashPk(record.accountId, requestId),
          sk: trashSk(record.ref),
          item_type: 'trash',
          request_id: requestId,
          trashed_at: audit.at,
          expires_at: Math.ceil(Date.parse(expiresAt) / 1000),
          ...kept,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
  }

  private deleteRecordItem(record: StoredRecord<object>) {
    return {
      Delete: {
        TableName: this.tableName,
        Key: { pk: recordPk(record.accountId, record.ref), sk: RECORD_SK },
        ConditionExpression: 'version = :expected',
        ExpressionAttributeValues: { ':expected': record.version },
      },
    };
  }

  private deleteTrashEntry(record: StoredRecord<object>, requestId: number) {
    return {
      Delete: {
        TableName: this.tableName,
        Key: { pk: trashPk(record.accountId, requestId), sk: trashSk(record.ref) },
        ConditionExpression: 'attribute_exists(pk)',
      },
    };
  }
}
