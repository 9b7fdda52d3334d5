import { type DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { collectionShards } from '#lib/platform/table-design';
import type { Paging } from '#domain/records/paging';
import type {
  CollectionListOptions,
  ImportOutcome,
  LookupEntry,
  ParentListOptions,
  RecordChange,
  RangeListOptions,
  RecordPage,
  RecordStore,
} from '#domain/records/record-store';
import type { AuditEntry, RecordRef, RecordType, StoredRecord, SubjectRef } from '#domain/records/record';
import {
  ERASED_SK,
  RECORD_SK,
  UNIQUE_SK,
  collectionPk,
  lookupPk,
  parentPk,
  prefixPk,
  recordPk,
  shardOf,
  subjectPk,
  uniquePk,
} from './record-keys.ts';
import { type LookupHasher, type LookupKeys, lookupHasherFor } from '#domain/encryption/lookup-hasher';
import { indexedPrefixOf } from '#domain/records/prefix-value';
import type { RecordSealer } from '#domain/encryption/record-sealer';
import { SubjectKeyDestroyedError } from '#domain/encryption/subject-keys';
import { rememberSealed, sealedBefore, sealerBeside } from './record-sealing.ts';
import { DynamoBatches } from './dynamo-batches.ts';
import { lookupKeysOf } from './kms-lookup-keys.ts';
import { DynamoLookupReader } from './dynamo-lookup-reader.ts';
import { DynamoRecordImport, type RecordImportOptions } from './dynamo-record-import.ts';
import { rangeOrderedList } from './range-ordered-list.ts';
import { type MergedPage, MergedListReader } from './merged-list.ts';
import { decodeCursor, encodeCursor } from './query-cursor.ts';
import {
  type RecordItem,
  RecordIndexItems,
  type TransactItem,
  auditFromItem,
  transactRecords,
  fromItem,
  toItem,
  holdsKeyedValues,
  noKeyedValues,
} from './record-items.ts';

/** Prefix items read a page when a term is longer than the indexed prefix (its records are checked). */
const prefixPageSize = 100;
/** At most this many records are checked for one value name of one autocomplete (docs/api.md). */
export const maxPrefixCandidates = 1_000;

export class DynamoRecordStore implements RecordStore {
  private readonly index: RecordIndexItems;
  private readonly batches: DynamoBatches;
  private readonly imports: DynamoRecordImport;
  private readonly lists: MergedListReader;
  private readonly lookupKeys: LookupKeys;

  private readonly sealer: RecordSealer;
  /** Items read and opened (or being opened), for as long as the item itself is kept. */
  private readonly openings = new WeakMap<object, Promise<StoredRecord<object> | undefined>>();

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    options: RecordImportOptions & { readonly lookupKeys?: LookupKeys; readonly sealer?: RecordSealer } = {},
  ) {
    this.lookupKeys = options.lookupKeys ?? lookupKeysOf(client, tableName);
    this.sealer = options.sealer ?? sealerBeside(client, tableName);
    this.index = new RecordIndexItems(tableName);
    this.batches = new DynamoBatches(client, tableName, 4);
    this.imports = new DynamoRecordImport(client, tableName, {
      ...options,
      lookupKeys: this.lookupKeys,
      sealer: this.sealer,
    });
    this.lists = new MergedListReader(client, tableName);
  }

  /**
   * A record item read back, its personal fields opened (docs/encryption.md). A record sealed under a
   * destroyed key belongs to an erased subject: it reads as absent.
   */
  private opened<F extends object>(item: Record<string, unknown>): Promise<StoredRecord<F> | undefined> {
    // A filtered list opens an item to test it, then returns it: opened once, by its item.
    let opening = this.openings.get(item);
    if (!opening) {
      opening = this.open(item);
      this.openings.set(item, opening);
    }
    return opening as Promise<StoredRecord<F> | undefined>;
  }

  private async open(item: Record<string, unknown>): Promise<StoredRecord<object> | undefined> {
    try {
      const stored = fromItem(item as unknown as RecordItem);
      const opened = await this.sealer.open(stored);
      if (opened !== stored) rememberSealed(opened.fields, stored.fields as Record<string, unknown>);
      return opened;
    } catch (error) {
      if (error instanceof SubjectKeyDestroyedError) return undefined;
      throw error;
    }
  }

  private async openedAll<F extends object>(
    items: readonly Record<string, unknown>[],
  ): Promise<StoredRecord<F>[]> {
    const records = await Promise.all(items.map((item) => this.opened<F>(item)));
    return records.filter((record): record is StoredRecord<F> => record !== undefined);
  }

  /** The account's keyed hash of lookup values (docs/encryption.md, "Keyed lookups"). */
  hasherFor(accountId: string): Promise<LookupHasher> {
    return lookupHasherFor(this.lookupKeys, accountId);
  }

  async get<F extends object>(accountId: string, ref: RecordRef): Promise<StoredRecord<F> | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { pk: recordPk(accountId, ref), sk: RECORD_SK },
        ConsistentRead: true,
      }),
    );
    return Item ? this.opened<F>(Item) : undefined;
  }

  async getMany<F extends object>(accountId: string, refs: readonly RecordRef[]): Promise<StoredRecord<F>[]> {
    const items = await this.batches.get(
      refs.map((ref) => ({ pk: recordPk(accountId, ref), sk: RECORD_SK })),
    );
    return this.openedAll<F>(items);
  }

  async erasedAmong(accountId: string, refs: readonly RecordRef[]): Promise<RecordRef[]> {
    const items = await this.batches.get(
      refs.map((ref) => ({ pk: recordPk(accountId, ref), sk: ERASED_SK })),
      'record_type, record_id',
    );
    return items.map((item) => ({ type: item.record_type as RecordType, id: item.record_id as number }));
  }

  importRecords(
    entries: ReadonlyArray<{ record: StoredRecord<object>; audit: AuditEntry }>,
    importedBy: string,
  ): Promise<ImportOutcome[]> {
    return this.imports.importRecords(entries, importedBy);
  }

  async create(record: StoredRecord<object>, audit: AuditEntry): Promise<void> {
    await this.commit([{ create: record, audit }]);
  }

  async createTogether(
    entries: ReadonlyArray<{ record: StoredRecord<object>; audit: AuditEntry }>,
  ): Promise<void> {
    await this.commit(entries.map(({ record, audit }) => ({ create: record, audit })));
  }

  async commit(changes: readonly RecordChange[]): Promise<void> {
    await transactRecords(
      this.client,
      await this.changeItems(changes),
      changes.some((change) => 'previous' in change)
        ? 'The record was changed by someone else, or a unique value is taken. Read it again.'
        : 'A record with this id or a unique value already exists.',
    );
  }

  /** The items storing `changes`, for a transaction that writes them with others. */
  async changeItems(changes: readonly RecordChange[]): Promise<TransactItem[]> {
    const first = changes[0];
    if (!first) return [];
    // The account's key is loaded only for records holding keyed values (not a call's or a note's).
    const records = changes.flatMap((change) =>
      'create' in change ? [change.create] : [change.previous, change.next],
    );
    const hasher = records.some(holdsKeyedValues)
      ? await this.hasherFor('create' in first ? first.create.accountId : first.next.accountId)
      : noKeyedValues;
    // Each record item holds its personal fields sealed; claims and lookups derive from the plain record.
    const sealed = await Promise.all(
      changes.map(async (change) =>
        'create' in change
          ? (await this.sealer.seal(change.create)).fields
          : (await this.sealer.seal(change.next, sealedBefore(change.previous))).fields,
      ),
    );
    return changes.flatMap((change, index) => {
      const accountId = 'create' in change ? change.create.accountId : change.next.accountId;
      if (accountId !== ('create' in first ? first.create : first.next).accountId) {
        throw new Error('One transaction writes the records of one account');
      }
      const fields = sealed[index];
      return 'create' in change
        ? this.index.creation(change.create, change.audit, hasher, { fields })
        : this.index.replacement(change.previous, change.next, change.audit, hasher, {
            ...toItem(change.next, hasher),
            fields,
          });
    });
  }

  async nextSequence(accountId: string, name: string): Promise<number> {
    const { Attributes } = await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pk: `A#${accountId}#SEQUENCE#${name}`, sk: 'SEQUENCE' },
        UpdateExpression: 'ADD next_value :one SET item_type = :type',
        ExpressionAttributeValues: { ':one': 1, ':type': 'sequence' },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Attributes?.next_value as number;
  }

  async replace(
    previous: StoredRecord<object>,
    next: StoredRecord<object>,
    audit: AuditEntry,
  ): Promise<void> {
    await this.commit([{ previous, next, audit }]);
  }

  async findByUniqueValue(
    accountId: string,
    type: RecordType,
    name: string,
    value: string,
  ): Promise<number | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: {
          pk: uniquePk(accountId, type, name, (await this.hasherFor(accountId)).hash(value)),
          sk: UNIQUE_SK,
        },
      }),
    );
    return Item ? (Item.record_id as number) : undefined;
  }

  async listByLookupValue<F extends object>(
    accountId: string,
    type: RecordType,
    name: string,
    value: string,
    paging: Paging,
  ): Promise<RecordPage<F>> {
    const hashed = (await this.hasherFor(accountId)).hash(value);
    const page = await this.lists.read(
      {
        accountId,
        keyName: 'pk',
        sortName: 'sk',
        partitions: [lookupPk(accountId, type, name, hashed)],
        consistentRead: true,
      },
      paging,
    );
    const records = await Promise.all(
      page.items.map((item) => this.get<F>(accountId, { type, id: item.record_id as number })),
    );
    return {
      // The lookup is written with the record, so each names a live record; the filter is a safeguard.
      records: records.filter((r): r is StoredRecord<F> => Boolean(r && !r.deletedAt && !r.supersededBy)),
      hasMore: page.hasMore,
      next: page.next,
    };
  }

  async lookupEntries(
    accountId: string,
    type: RecordType,
    name: string,
    value: string,
    limit: number,
  ): Promise<LookupEntry[]> {
    const entries: LookupEntry[] = [];
    const pk = lookupPk(accountId, type, name, (await this.hasherFor(accountId)).hash(value));
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': pk },
          ProjectionExpression: 'sk, record_id',
          ScanIndexForward: false,
          Limit: limit - entries.length,
          ExclusiveStartKey: startKey,
          ConsistentRead: true,
        }),
      );
      for (const item of page.Items ?? []) {
        const sk = item.sk as string;
        entries.push({ id: item.record_id as number, createdAt: sk.slice(0, sk.lastIndexOf('#')) });
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey && entries.length < limit);
    return entries;
  }

  async listByPrefix<F extends object>(
    accountId: string,
    type: RecordType,
    name: string,
    prefix: string,
    limit: number,
    holds: (record: StoredRecord<F>) => boolean,
  ): Promise<StoredRecord<F>[]> {
    if (prefix === '') return [];
    const hashed = (await this.hasherFor(accountId)).hash(indexedPrefixOf(prefix));
    const found: StoredRecord<F>[] = [];
    let startKey: Record<string, unknown> | undefined;
    let read = 0;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': prefixPk(accountId, type, name, hashed) },
          ProjectionExpression: 'record_id',
          Limit: indexedPrefixOf(prefix) === prefix ? limit : prefixPageSize,
          ExclusiveStartKey: startKey,
        }),
      );
      const items = page.Items ?? [];
      read += items.length;
      const records = await this.getMany<F>(
        accountId,
        items.map((item) => ({ type, id: item.record_id as number })),
      );
      // The prefix item is written with the record, so each names a live record (the filter is a
      // safeguard); a term longer than the indexed prefix keeps the records whose value begins with it.
      found.push(...records.filter((record) => !record.deletedAt && !record.supersededBy && holds(record)));
      startKey = page.LastEvaluatedKey;
    } while (startKey && found.length < limit && read < maxPrefixCandidates);
    return found.slice(0, limit);
  }

  async searchLookups(accountId: string, type: RecordType): Promise<DynamoLookupReader> {
    return new DynamoLookupReader(
      this.client,
      this.tableName,
      accountId,
      type,
      await this.hasherFor(accountId),
    );
  }

  async listByRange<F extends object>(
    accountId: string,
    type: RecordType,
    field: string,
    options: RangeListOptions<F>,
  ): Promise<RecordPage<F>> {
    const list = rangeOrderedList<F>(
      accountId,
      type,
      field,
      options,
      (refs) => this.getMany<F>(accountId, refs),
      await this.hasherFor(accountId),
    );
    const page = await this.lists.read(list.spec, options, list.accept);
    return { records: await list.records(page.items), hasMore: page.hasMore, next: page.next };
  }

  async list<F extends object>(
    accountId: string,
    type: RecordType,
    options: CollectionListOptions<F>,
  ): Promise<RecordPage<F>> {
    // Each shard holds a slice of the collection; the list reads them together, newest first.
    const page = await this.lists.read(
      {
        accountId,
        index: 'gsi1',
        keyName: 'gsi1pk',
        sortName: 'gsi1sk',
        partitions: Array.from({ length: collectionShards }, (_, shard) =>
          collectionPk(accountId, type, shard, options.deleted),
        ),
        range: collectionRange(options),
        oldestFirst: options.oldestFirst,
        belongs: (id, shard, listed) => shardOf(id) === shard && listed === type,
      },
      options,
      this.accepting(options.where),
    );
    return this.recordPage<F>(page);
  }

  async listByParent<F extends object>(
    accountId: string,
    parentKeys: string | readonly string[],
    options: ParentListOptions<F>,
  ): Promise<RecordPage<F>> {
    const index = options.secondary ? 'gsi3' : 'gsi2';
    const page = await this.lists.read(
      {
        accountId,
        index,
        keyName: `${index}pk`,
        sortName: `${index}sk`,
        partitions: (typeof parentKeys === 'string' ? [parentKeys] : parentKeys).map((key) =>
          parentPk(accountId, key),
        ),
        range: options.createdSince ? { from: options.createdSince } : undefined,
        oldestFirst: options.oldestFirst,
        // Filtered in the query, so deleted children never shorten a page of live ones.
        liveOnly: !options.includeDeleted,
      },
      options,
      this.accepting(options.where),
    );
    return this.recordPage<F>(page);
  }

  async subjectLinks(
    accountId: string,
    subject: SubjectRef,
    page: { limit: number; cursor?: string },
  ): Promise<{ refs: RecordRef[]; cursor?: string }> {
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :link)',
        ExpressionAttributeValues: { ':pk': subjectPk(accountId, subject), ':link': 'LINK#' },
        Limit: page.limit,
        ExclusiveStartKey: decodeCursor(page.cursor),
        ConsistentRead: true,
      }),
    );
    return {
      refs: (result.Items ?? []).map((item) => ({
        type: item.record_type as RecordType,
        id: item.record_id as number,
      })),
      cursor: encodeCursor(result.LastEvaluatedKey),
    };
  }

  async auditTrail(accountId: string, ref: RecordRef, limit: number): Promise<AuditEntry[]> {
    const { Items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :audit)',
        ExpressionAttributeValues: { ':pk': recordPk(accountId, ref), ':audit': 'AUDIT#' },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return Items.map(auditFromItem);
  }

  /** A `where` of the domain as a test of the items read: on the record as the domain sees it (opened). */
  private accepting<F extends object>(where?: (record: StoredRecord<F>) => boolean) {
    return (
      where &&
      (async (item: Record<string, unknown>) => {
        const record = await this.opened<F>(item);
        return record !== undefined && where(record);
      })
    );
  }

  private async recordPage<F extends object>(page: MergedPage): Promise<RecordPage<F>> {
    return { records: await this.openedAll<F>(page.items), hasMore: page.hasMore, next: page.next };
  }

  async auditBetween(accountId: string, from: string, to: string, limit: number): Promise<AuditEntry[]> {
    const shards = await Promise.all(
      Array.from({ length: collectionShards }, async (_, shard) => {
        const { Items = [] } = await this.client.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: 'gsi1',
            KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk BETWEEN :from AND :to',
            // '~' sorts after every character of the id suffix, so entries at `to` itself are included.
            ExpressionAttributeValues: {
              ':pk': collectionPk(accountId, 'audit', shard),
              ':from': from,
              ':to': `${to}~`,
            },
            ScanIndexForward: false,
            Limit: limit,
          }),
        );
        return Items;
      }),
    );
    return shards
      .flat()
      .sort((a, b) => (a.gsi1sk < b.gsi1sk ? 1 : a.gsi1sk > b.gsi1sk ? -1 : 0))
      .slice(0, limit)
      .map(auditFromItem);
  }
}

/**
 * The gsi1 sort key range (`<updated_at>#<id>`) of a collection list: updated since an instant, and
 * with `updatedBefore` only before another (BETWEEN is inclusive; `<before>#` sorts below every entry
 * updated at that instant itself).
 */
function collectionRange(
  options: CollectionListOptions<never>,
): { from?: string; before?: string } | undefined {
  if (!options.updatedSince && !options.updatedBefore) return undefined;
  return { from: options.updatedSince, before: options.updatedBefore };
}
