import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { collectionShards } from '#lib/platform/table-design';
import { ConflictError } from '#domain/errors';
import type { ParentListOptions, RecordChange, RecordPage, RecordStore } from '#domain/records/record-store';
import type { AuditEntry, RecordRef, RecordType, StoredRecord, SubjectRef } from '#domain/records/record';
import {
  RECORD_SK,
  UNIQUE_SK,
  auditSk,
  collectionPk,
  collectionSk,
  lookupPk,
  parentPk,
  recordPk,
  shardOf,
  subjectLinkSk,
  subjectPk,
  uniquePk,
} from './record-keys.ts';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

interface RecordItem {
  pk: string;
  sk: string;
  item_type: 'record';
  account_id: string;
  record_type: RecordType;
  record_id: number;
  version: number;
  created_at: string;
  updated_at: string;
  deleted_at?: string;
  deleted_with?: RecordRef;
  fields: Record<string, unknown>;
  subjects: SubjectRef[];
  parent_key?: string;
  unique_values?: Record<string, string>;
  lookup_values?: Record<string, string>;
  superseded_by?: RecordRef;
  gsi1pk?: string;
  gsi1sk?: string;
  gsi2pk?: string;
  gsi2sk?: string;
  gsi3pk?: string;
  gsi3sk?: string;
  secondary_parent_key?: string;
}

export class DynamoRecordStore implements RecordStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get<F extends object>(accountId: string, ref: RecordRef): Promise<StoredRecord<F> | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { pk: recordPk(accountId, ref), sk: RECORD_SK },
        ConsistentRead: true,
      }),
    );
    return Item ? fromItem<F>(Item as RecordItem) : undefined;
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
    const items = changes.flatMap((change) =>
      'create' in change
        ? this.createItems(change.create, change.audit)
        : this.replaceItems(change.previous, change.next, change.audit),
    );
    await this.transact(
      items,
      changes.some((change) => 'previous' in change)
        ? 'The record was changed by someone else, or a unique value is taken. Read it again.'
        : 'A record with this id or a unique value already exists.',
    );
  }

  private createItems(record: StoredRecord<object>, audit: AuditEntry): TransactItem[] {
    return [
      {
        Put: {
          TableName: this.tableName,
          Item: toItem(record),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      ...this.claimUniqueValues(record, {}),
      ...this.putLookups(record, {}),
      ...record.subjects.map((subject) => this.putLink(record, subject)),
      this.putAudit(record, audit),
    ];
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

  private replaceItems(
    previous: StoredRecord<object>,
    next: StoredRecord<object>,
    audit: AuditEntry,
  ): TransactItem[] {
    const previousKeys = new Set(previous.subjects.map((s) => `${s.kind}#${s.id}`));
    const nextKeys = new Set(next.subjects.map((s) => `${s.kind}#${s.id}`));
    // Unique and lookup values are held only while the record is live: a soft-deleted contact frees its e-mail.
    const previousUnique = previous.deletedAt ? {} : (previous.uniqueValues ?? {});
    const nextUnique = next.deletedAt ? {} : (next.uniqueValues ?? {});
    const previousLookups = liveLookups(previous);
    const nextLookups = liveLookups(next);
    return [
      {
        Put: {
          TableName: this.tableName,
          Item: toItem(next),
          ConditionExpression: 'version = :expected',
          ExpressionAttributeValues: { ':expected': previous.version },
        },
      },
      ...this.claimUniqueValues({ ...next, uniqueValues: nextUnique }, previousUnique),
      ...this.releaseUniqueValues({ ...previous, uniqueValues: previousUnique }, nextUnique),
      ...this.putLookups({ ...next, lookupValues: nextLookups }, previousLookups),
      ...this.deleteLookups({ ...previous, lookupValues: previousLookups }, nextLookups),
      ...next.subjects
        .filter((s) => !previousKeys.has(`${s.kind}#${s.id}`))
        .map((s) => this.putLink(next, s)),
      ...previous.subjects
        .filter((s) => !nextKeys.has(`${s.kind}#${s.id}`))
        .map((s) => ({
          Delete: {
            TableName: this.tableName,
            Key: { pk: subjectPk(previous.accountId, s), sk: subjectLinkSk(previous.ref) },
          },
        })),
      this.putAudit(next, audit),
    ];
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
        Key: { pk: uniquePk(accountId, type, name, value), sk: UNIQUE_SK },
      }),
    );
    return Item ? (Item.record_id as number) : undefined;
  }

  async listByLookupValue<F extends object>(
    accountId: string,
    type: RecordType,
    name: string,
    value: string,
    paging: { page: number; perPage: number },
  ): Promise<RecordPage<F>> {
    const wanted = paging.page * paging.perPage + 1;
    const items: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': lookupPk(accountId, type, name, value) },
          ScanIndexForward: false,
          Limit: wanted - items.length,
          ExclusiveStartKey: startKey,
          ConsistentRead: true,
        }),
      );
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey && items.length < wanted);
    const start = (paging.page - 1) * paging.perPage;
    const records = await Promise.all(
      items
        .slice(start, start + paging.perPage)
        .map((item) => this.get<F>(accountId, { type, id: item.record_id as number })),
    );
    return {
      // The lookup is written with the record, so each names a live record; the filter is a safeguard.
      records: records.filter((r): r is StoredRecord<F> => Boolean(r && !r.deletedAt && !r.supersededBy)),
      hasMore: items.length > start + paging.perPage,
    };
  }

  async list<F extends object>(
    accountId: string,
    type: RecordType,
    options: { page: number; perPage: number; updatedSince?: string; deleted?: boolean },
  ): Promise<RecordPage<F>> {
    const wanted = options.page * options.perPage + 1;
    // Each shard holds a slice of the collection; the newest `wanted` of each, merged, hold the page.
    const shards = await Promise.all(
      Array.from({ length: collectionShards }, (_, shard) =>
        this.queryNewest(
          'gsi1',
          'gsi1pk',
          collectionPk(accountId, type, shard, options.deleted),
          wanted,
          options.updatedSince ? { name: 'gsi1sk', from: options.updatedSince } : undefined,
        ),
      ),
    );
    const sortKey = (item: RecordItem) => item.gsi1sk ?? '';
    const merged = shards
      .flat()
      .sort((a, b) => (sortKey(a) < sortKey(b) ? 1 : sortKey(a) > sortKey(b) ? -1 : 0));
    return slicePage<F>(merged, options);
  }

  async listByParent<F extends object>(
    accountId: string,
    parentKey: string,
    options: ParentListOptions,
  ): Promise<RecordPage<F>> {
    const items = await this.queryNewest(
      options.secondary ? 'gsi3' : 'gsi2',
      options.secondary ? 'gsi3pk' : 'gsi2pk',
      parentPk(accountId, parentKey),
      options.page * options.perPage + 1,
      options.createdSince
        ? { name: options.secondary ? 'gsi3sk' : 'gsi2sk', from: options.createdSince }
        : undefined,
      options.oldestFirst,
      !options.includeDeleted,
    );
    return slicePage<F>(items, options);
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
        ExclusiveStartKey: page.cursor
          ? (JSON.parse(Buffer.from(page.cursor, 'base64url').toString('utf8')) as Record<string, unknown>)
          : undefined,
        ConsistentRead: true,
      }),
    );
    return {
      refs: (result.Items ?? []).map((item) => ({
        type: item.record_type as RecordType,
        id: item.record_id as number,
      })),
      cursor: result.LastEvaluatedKey
        ? Buffer.from(JSON.stringify(result.LastEvaluatedKey), 'utf8').toString('base64url')
        : undefined,
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

  private async queryNewest(
    index: string,
    keyName: string,
    keyValue: string,
    limit: number,
    range?: { name: string; from: string },
    oldestFirst = false,
    liveOnly = false,
  ): Promise<RecordItem[]> {
    const items: RecordItem[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: index,
          KeyConditionExpression: range
            ? `${keyName} = :key AND ${range.name} >= :from`
            : `${keyName} = :key`,
          ExpressionAttributeValues: range ? { ':key': keyValue, ':from': range.from } : { ':key': keyValue },
          // Filtered in the query (Limit counts before the filter; the loop reads on), so deleted
          // children never shorten a page of live ones.
          ...(liveOnly && { FilterExpression: 'attribute_not_exists(deleted_at)' }),
          ScanIndexForward: oldestFirst,
          Limit: limit - items.length,
          ExclusiveStartKey: startKey,
        }),
      );
      items.push(...((page.Items ?? []) as RecordItem[]));
      startKey = page.LastEvaluatedKey;
    } while (startKey && items.length < limit);
    return items;
  }

  private claimUniqueValues(
    record: StoredRecord<object>,
    alreadyHeld: Readonly<Record<string, string>>,
  ): TransactItem[] {
    return Object.entries(record.uniqueValues ?? {})
      .filter(([name, value]) => alreadyHeld[name] !== value)
      .map(([name, value]) => ({
        Put: {
          TableName: this.tableName,
          Item: {
            pk: uniquePk(record.accountId, record.ref.type, name, value),
            sk: UNIQUE_SK,
            item_type: 'unique',
            record_id: record.ref.id,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      }));
  }

  private releaseUniqueValues(
    record: StoredRecord<object>,
    stillHeld: Readonly<Record<string, string>>,
  ): TransactItem[] {
    return Object.entries(record.uniqueValues ?? {})
      .filter(([name, value]) => stillHeld[name] !== value)
      .map(([name, value]) => ({
        Delete: {
          TableName: this.tableName,
          Key: { pk: uniquePk(record.accountId, record.ref.type, name, value), sk: UNIQUE_SK },
        },
      }));
  }

  private putLookups(
    record: StoredRecord<object>,
    alreadyHeld: Readonly<Record<string, string>>,
  ): TransactItem[] {
    return Object.entries(record.lookupValues ?? {})
      .filter(([name, value]) => alreadyHeld[name] !== value)
      .map(([name, value]) => ({
        Put: {
          TableName: this.tableName,
          Item: {
            pk: lookupPk(record.accountId, record.ref.type, name, value),
            sk: collectionSk(record.createdAt, record.ref.id),
            item_type: 'lookup',
            record_id: record.ref.id,
          },
        },
      }));
  }

  private deleteLookups(
    record: StoredRecord<object>,
    stillHeld: Readonly<Record<string, string>>,
  ): TransactItem[] {
    return Object.entries(record.lookupValues ?? {})
      .filter(([name, value]) => stillHeld[name] !== value)
      .map(([name, value]) => ({
        Delete: {
          TableName: this.tableName,
          Key: {
            pk: lookupPk(record.accountId, record.ref.type, name, value),
            sk: collectionSk(record.createdAt, record.ref.id),
          },
        },
      }));
  }

  private putLink(record: StoredRecord<object>, subject: SubjectRef): TransactItem {
    return {
      Put: {
        TableName: this.tableName,
        Item: {
          pk: subjectPk(record.accountId, subject),
          sk: subjectLinkSk(record.ref),
          item_type: 'subject_link',
          record_type: record.ref.type,
          record_id: record.ref.id,
        },
      },
    };
  }

  private putAudit(record: StoredRecord<object>, audit: AuditEntry): TransactItem {
    return {
      Put: {
        TableName: this.tableName,
        Item: {
          pk: recordPk(record.accountId, record.ref),
          sk: auditSk(audit.at, audit.operation, record.version),
          item_type: 'audit',
          at: audit.at,
          actor: audit.actor,
          operation: audit.operation,
          record_type: audit.record.type,
          record_id: audit.record.id,
          changed_fields: [...audit.changedFields],
          // The account-wide audit log by time: sharded like every collection.
          gsi1pk: collectionPk(record.accountId, 'audit', shardOf(record.ref.id)),
          gsi1sk: `${audit.at}#${record.ref.type}#${record.ref.id}#${record.version}`,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
  }

  private async transact(items: TransactItem[], conflictMessage: string): Promise<void> {
    try {
      await this.client.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      const reasons = error instanceof TransactionCanceledException ? (error.CancellationReasons ?? []) : [];
      if (reasons.some((reason) => reason.Code === 'ConditionalCheckFailed')) {
        throw new ConflictError(conflictMessage);
      }
      throw error;
    }
  }
}

/** Lookup values a record holds: none while soft-deleted or superseded. */
const liveLookups = (record: StoredRecord<object>) =>
  record.deletedAt || record.supersededBy ? {} : (record.lookupValues ?? {});

function auditFromItem(item: Record<string, unknown>): AuditEntry {
  return {
    at: item.at as string,
    actor: item.actor as AuditEntry['actor'],
    operation: item.operation as AuditEntry['operation'],
    record: { type: item.record_type as RecordType, id: item.record_id as number },
    changedFields: (item.changed_fields as string[] | undefined) ?? [],
  };
}

function toItem(record: StoredRecord<object>): RecordItem {
  const shard = shardOf(record.ref.id);
  return {
    pk: recordPk(record.accountId, record.ref),
    sk: RECORD_SK,
    item_type: 'record',
    account_id: record.accountId,
    record_type: record.ref.type,
    record_id: record.ref.id,
    version: record.version,
    created_at: record.createdAt,
    updated_at: record.updatedAt,
    deleted_at: record.deletedAt,
    deleted_with: record.deletedWith ? { ...record.deletedWith } : undefined,
    fields: record.fields as Record<string, unknown>,
    subjects: [...record.subjects],
    parent_key: record.parent?.key,
    secondary_parent_key: record.secondaryParent?.key,
    unique_values: record.uniqueValues ? { ...record.uniqueValues } : undefined,
    lookup_values: record.lookupValues ? { ...record.lookupValues } : undefined,
    superseded_by: record.supersededBy ? { ...record.supersededBy } : undefined,
    // A superseded record leaves its type's collection (gsi1 is sparse): it is no longer listed.
    ...(record.supersededBy
      ? {}
      : {
          gsi1pk: collectionPk(record.accountId, record.ref.type, shard, Boolean(record.deletedAt)),
          gsi1sk: collectionSk(record.updatedAt, record.ref.id),
        }),
    ...(record.parent
      ? {
          gsi2pk: parentPk(record.accountId, record.parent.key),
          gsi2sk: collectionSk(record.createdAt, record.ref.id),
        }
      : {}),
    ...(record.secondaryParent
      ? {
          gsi3pk: parentPk(record.accountId, record.secondaryParent.key),
          gsi3sk: collectionSk(record.createdAt, record.ref.id),
        }
      : {}),
  };
}

function fromItem<F extends object>(item: RecordItem): StoredRecord<F> {
  return {
    accountId: item.account_id,
    ref: { type: item.record_type, id: item.record_id },
    version: item.version,
    createdAt: item.created_at,
    updatedAt: item.updated_at,
    deletedAt: item.deleted_at,
    deletedWith: item.deleted_with,
    fields: item.fields as F,
    subjects: item.subjects ?? [],
    parent: item.parent_key ? { key: item.parent_key } : undefined,
    secondaryParent: item.secondary_parent_key ? { key: item.secondary_parent_key } : undefined,
    uniqueValues: item.unique_values,
    lookupValues: item.lookup_values,
    supersededBy: item.superseded_by,
  };
}

function slicePage<F extends object>(
  items: RecordItem[],
  options: { page: number; perPage: number },
): RecordPage<F> {
  const start = (options.page - 1) * options.perPage;
  return {
    records: items.slice(start, start + options.perPage).map((item) => fromItem<F>(item)),
    hasMore: items.length > start + options.perPage,
  };
}
