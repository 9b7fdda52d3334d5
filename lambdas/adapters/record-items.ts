import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '#domain/errors';
import { purgeDueAt, recordPurgeDeadline } from '#domain/purge/purge-due';
import type { LookupHasher } from '#domain/encryption/lookup-hasher';
import { isSearchLookup, lookupNameOf, rangePrefix, searchLookupValues } from '#domain/search/search-lookups';
import {
  type KeyedValues,
  keyedValuesOf,
  keyedPrefixes,
  keyedLookups,
  keyedUniqueValues,
} from './keyed-values.ts';
import type {
  AuditEntry,
  Deadline,
  RecordRef,
  RecordType,
  StoredRecord,
  SubjectRef,
} from '#domain/records/record';
import {
  RECORD_SK,
  UNIQUE_SK,
  auditSk,
  collectionPk,
  collectionSk,
  deadlinePk,
  lookupPk,
  parentPk,
  prefixPk,
  prefixSk,
  rangeLookupPk,
  recordPk,
  shardOf,
  subjectLinkSk,
  subjectPk,
  uniquePk,
} from './record-keys.ts';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** A record as one table item (docs/access-patterns.md). */
export interface RecordItem {
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
  prefix_values?: Record<string, string>;
  superseded_by?: RecordRef;
  deadline?: Deadline;
  gsi1pk?: string;
  gsi1sk?: string;
  gsi2pk?: string;
  gsi2sk?: string;
  gsi3pk?: string;
  gsi3sk?: string;
  gsi4pk?: string;
  gsi4sk?: string;
  secondary_parent_key?: string;
  secondary_parent_by_update?: boolean;
}

/** Unique values a record holds: none while soft-deleted (a deleted contact frees its e-mail). */
export const heldUniqueValues = (record: StoredRecord<object>) =>
  record.deletedAt ? {} : (record.uniqueValues ?? {});

/**
 * Every lookup value of a record: those its kind derives (a contact's phone) and search's, computed
 * here from the fields and timestamps, so that writers which do not derive (a restore, a ticket's
 * stats, an anonymisation) keep them right too.
 */
export function lookupsOf(record: StoredRecord<object>): Record<string, string> {
  return { ...ownLookups(record.lookupValues), ...searchLookupValues(record) };
}

/** The lookup values a record's kind derives, without search's (a record read back holds only these). */
function ownLookups(values: Readonly<Record<string, string>> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(values ?? {}).filter(([key]) => !isSearchLookup(key)));
}

/** Lookup values a record holds: none while soft-deleted or superseded. */
export const liveLookups = (record: StoredRecord<object>) =>
  record.deletedAt || record.supersededBy ? {} : lookupsOf(record);

/** The item of one (keyed) lookup value: by its hash (equality), or in its field's shard by value (range). */
function lookupKey(record: StoredRecord<object>, key: string, value: string) {
  const { accountId, ref } = record;
  return key.startsWith(rangePrefix)
    ? {
        pk: rangeLookupPk(accountId, ref.type, key.slice(rangePrefix.length), shardOf(ref.id)),
        sk: collectionSk(value, ref.id),
      }
    : {
        pk: lookupPk(accountId, ref.type, lookupNameOf(key), value),
        sk: collectionSk(record.createdAt, ref.id),
      };
}

/** Prefix values a record holds: none while soft-deleted or superseded. */
export const livePrefixes = (record: StoredRecord<object>) =>
  record.deletedAt || record.supersededBy ? {} : (record.prefixValues ?? {});

/** What a record holds beside its item while it is what it is (live, deleted, superseded), keyed. */
function heldKeyed(record: StoredRecord<object>, hasher: LookupHasher): KeyedValues {
  return keyedValuesOf(
    { unique: heldUniqueValues(record), lookups: liveLookups(record), prefixes: livePrefixes(record) },
    hasher,
  );
}

const none: KeyedValues = { unique: {}, lookups: {}, prefixes: [] };

/** Whether a record (its item or its companions) holds a keyed value: else its writer needs no key. */
export const holdsKeyedValues = (record: StoredRecord<object>) =>
  Object.keys(record.uniqueValues ?? {}).length > 0 ||
  Object.keys(record.prefixValues ?? {}).length > 0 ||
  Object.keys(lookupsOf(record)).some((key) => !key.startsWith(rangePrefix));

/** The hasher of a write whose records hold no keyed value (a call, a conversation): never asked. */
export const noKeyedValues: LookupHasher = {
  hash: () => {
    throw new Error('A record holding keyed values was written without its lookup key');
  },
};

/**
 * The items that stand beside a record in the table (uniqueness claims, lookups, prefixes, subject
 * links, audit entries), as transaction parts. Every writer of records builds them here, so they cannot
 * drift apart; every value derived from a personal value is in keyed form (`keyed-values.ts`).
 */
export class RecordIndexItems {
  constructor(private readonly tableName: string) {}

  /** The claims, lookups and prefixes `next` holds and `previous` did not (puts), and the reverse (deletes). */
  private keyedChanges(
    record: StoredRecord<object>,
    held: KeyedValues,
    other: KeyedValues,
    action: 'put' | 'delete',
  ): TransactItem[] {
    const { accountId, ref } = record;
    const unique = Object.entries(held.unique).filter(([name, value]) => other.unique[name] !== value);
    const lookups = Object.entries(held.lookups).filter(([name, value]) => other.lookups[name] !== value);
    const otherPrefixes = new Set(other.prefixes.map(({ name, hash }) => `${name}#${hash}`));
    const prefixes = held.prefixes.filter(({ name, hash }) => !otherPrefixes.has(`${name}#${hash}`));
    const keys = [
      ...unique.map(([name, value]) => ({
        key: { pk: uniquePk(accountId, ref.type, name, value), sk: UNIQUE_SK },
        type: 'unique',
      })),
      ...lookups.map(([name, value]) => ({ key: lookupKey(record, name, value), type: 'lookup' })),
      ...prefixes.map(({ name, hash }) => ({
        key: { pk: prefixPk(accountId, ref.type, name, hash), sk: prefixSk(ref.id) },
        type: 'prefix',
      })),
    ];
    return keys.map(({ key, type }) =>
      action === 'put'
        ? {
            Put: {
              TableName: this.tableName,
              Item: { ...key, item_type: type, record_id: ref.id },
              ...(type === 'unique' && { ConditionExpression: 'attribute_not_exists(pk)' }),
            },
          }
        : { Delete: { TableName: this.tableName, Key: key } },
    );
  }

  putLink(record: StoredRecord<object>, subject: SubjectRef): TransactItem {
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

  deleteLink(record: StoredRecord<object>, subject: SubjectRef): TransactItem {
    return {
      Delete: {
        TableName: this.tableName,
        Key: { pk: subjectPk(record.accountId, subject), sk: subjectLinkSk(record.ref) },
      },
    };
  }

  /** Everything a record holds beside its own item: claims, lookups, prefixes and links (for a move or a delete). */
  companionsOf(record: StoredRecord<object>, action: 'put' | 'delete', hasher: LookupHasher): TransactItem[] {
    return [
      ...this.keyedChanges(record, heldKeyed(record, hasher), none, action),
      ...record.subjects.map((subject) =>
        action === 'put' ? this.putLink(record, subject) : this.deleteLink(record, subject),
      ),
    ];
  }

  /**
   * The items creating `record` writes, in this order: the record (only if its id is free), its claims,
   * lookups and subject links, its audit entry. `extra` attributes go on the record item.
   */
  creation(
    record: StoredRecord<object>,
    audit: AuditEntry,
    hasher: LookupHasher,
    extra: Record<string, unknown> = {},
  ): TransactItem[] {
    return [
      {
        Put: {
          TableName: this.tableName,
          Item: { ...toItem(record, hasher), ...extra },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      ...this.companionsOf(record, 'put', hasher),
      this.putAudit(record, audit),
    ];
  }

  /**
   * The items replacing `previous` by `next` (on condition that `previous` is still the stored
   * version): the record item (`item`, by default `next` as an item), claims, lookups and subject
   * links changed to match, and the audit entry.
   */
  replacement(
    previous: StoredRecord<object>,
    next: StoredRecord<object>,
    audit: AuditEntry,
    hasher: LookupHasher,
    item: object = toItem(next, hasher),
  ): TransactItem[] {
    const previousKeys = new Set(previous.subjects.map((s) => `${s.kind}#${s.id}`));
    const nextKeys = new Set(next.subjects.map((s) => `${s.kind}#${s.id}`));
    // Unique, lookup and prefix values are held only while the record is live: a soft-deleted contact
    // frees its e-mail. Both sides are compared keyed (hashing is idempotent: a stored record is keyed).
    const held = heldKeyed(previous, hasher);
    const holding = heldKeyed(next, hasher);
    return [
      {
        Put: {
          TableName: this.tableName,
          Item: item,
          ConditionExpression: 'version = :expected',
          ExpressionAttributeValues: { ':expected': previous.version },
        },
      },
      ...this.keyedChanges(next, holding, held, 'put'),
      ...this.keyedChanges(previous, held, holding, 'delete'),
      ...next.subjects
        .filter((s) => !previousKeys.has(`${s.kind}#${s.id}`))
        .map((s) => this.putLink(next, s)),
      ...previous.subjects
        .filter((s) => !nextKeys.has(`${s.kind}#${s.id}`))
        .map((s) => this.deleteLink(previous, s)),
      this.putAudit(next, audit),
    ];
  }

  putAudit(
    record: Pick<StoredRecord<object>, 'accountId' | 'ref' | 'version'>,
    audit: AuditEntry,
  ): TransactItem {
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
}

export function auditFromItem(item: Record<string, unknown>): AuditEntry {
  return {
    at: item.at as string,
    actor: item.actor as AuditEntry['actor'],
    operation: item.operation as AuditEntry['operation'],
    record: { type: item.record_type as RecordType, id: item.record_id as number },
    changedFields: (item.changed_fields as string[] | undefined) ?? [],
  };
}

export function toItem(record: StoredRecord<object>, hasher: LookupHasher): RecordItem {
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
    secondary_parent_by_update: record.secondaryParent?.byUpdate,
    unique_values: record.uniqueValues ? keyedUniqueValues(record.uniqueValues, hasher) : undefined,
    lookup_values: nonEmpty(keyedLookups(lookupsOf(record), hasher)),
    prefix_values: record.prefixValues ? keyedPrefixes(record.prefixValues, hasher) : undefined,
    superseded_by: record.supersededBy ? { ...record.supersededBy } : undefined,
    deadline: record.deadline ? { ...record.deadline } : undefined,
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
          gsi3sk: collectionSk(
            record.secondaryParent.byUpdate ? record.updatedAt : record.createdAt,
            record.ref.id,
          ),
        }
      : {}),
    // Only a live record's deadline is watched; a soft-deleted one waits for the purge instead.
    ...(record.deadline && !record.deletedAt
      ? {
          gsi4pk: deadlinePk(record.deadline.kind),
          gsi4sk: `${record.deadline.at}#${record.accountId}#${record.ref.type}#${record.ref.id}`,
        }
      : {}),
    ...(record.deletedAt ? purgeEntry(record, record.deletedAt) : {}),
  };
}

const nonEmpty = (values: Record<string, string>) => (Object.keys(values).length ? values : undefined);

/**
 * A soft-deleted record's entry in the region's deadlines index (docs/purge.md): written with the
 * deletion (it is the record item's own gsi4 key, so in the same transaction), gone with a restore or
 * the purge. The daily purge reads the entries due by Query, whatever the account or table size.
 */
function purgeEntry(record: StoredRecord<object>, deletedAt: string) {
  return {
    gsi4pk: deadlinePk(recordPurgeDeadline),
    gsi4sk: `${purgeDueAt(deletedAt)}#${record.accountId}#${record.ref.type}#${record.ref.id}`,
  };
}

export function fromItem<F extends object>(item: RecordItem): StoredRecord<F> {
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
    secondaryParent: item.secondary_parent_key
      ? {
          key: item.secondary_parent_key,
          ...(item.secondary_parent_by_update && { byUpdate: true }),
        }
      : undefined,
    uniqueValues: item.unique_values,
    lookupValues: item.lookup_values && nonEmpty(ownLookups(item.lookup_values)),
    prefixValues: item.prefix_values,
    supersededBy: item.superseded_by,
    deadline: item.deadline,
  };
}

/** Writes record items in one transaction; a failed condition (version, uniqueness) is a ConflictError. */
export async function transactRecords(
  client: DynamoDBDocumentClient,
  items: TransactItem[],
  conflictMessage: string,
): Promise<void> {
  try {
    await client.send(new TransactWriteCommand({ TransactItems: items }));
  } catch (error) {
    const reasons = error instanceof TransactionCanceledException ? (error.CancellationReasons ?? []) : [];
    if (reasons.some((reason) => reason.Code === 'ConditionalCheckFailed')) {
      throw new ConflictError(conflictMessage);
    }
    throw error;
  }
}
