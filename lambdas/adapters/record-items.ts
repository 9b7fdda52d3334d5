import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '#domain/errors';
import { purgeDueAt, recordPurgeDeadline } from '#domain/purge/purge-due';
import { isSearchLookup, lookupNameOf, rangePrefix, searchLookupValues } from '#domain/search/search-lookups';
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

/** The item of one lookup value: hashed by value (equality), or in its field's shard by value (range). */
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

/**
 * The items that stand beside a record in the table (uniqueness claims, lookups, subject links, audit
 * entries), as transaction parts. Every writer of records builds them here, so they cannot drift apart.
 */
export class RecordIndexItems {
  constructor(private readonly tableName: string) {}

  claimUniqueValues(
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

  releaseUniqueValues(
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

  putLookups(record: StoredRecord<object>, alreadyHeld: Readonly<Record<string, string>>): TransactItem[] {
    return Object.entries(record.lookupValues ?? {})
      .filter(([name, value]) => alreadyHeld[name] !== value)
      .map(([name, value]) => ({
        Put: {
          TableName: this.tableName,
          Item: {
            ...lookupKey(record, name, value),
            item_type: 'lookup',
            record_id: record.ref.id,
          },
        },
      }));
  }

  deleteLookups(record: StoredRecord<object>, stillHeld: Readonly<Record<string, string>>): TransactItem[] {
    return Object.entries(record.lookupValues ?? {})
      .filter(([name, value]) => stillHeld[name] !== value)
      .map(([name, value]) => ({
        Delete: {
          TableName: this.tableName,
          Key: lookupKey(record, name, value),
        },
      }));
  }

  putPrefixes(record: StoredRecord<object>, alreadyHeld: Readonly<Record<string, string>>): TransactItem[] {
    return Object.entries(livePrefixes(record))
      .filter(([name, value]) => alreadyHeld[name] !== value && value !== '')
      .map(([name, value]) => ({
        Put: {
          TableName: this.tableName,
          Item: {
            pk: prefixPk(record.accountId, record.ref.type, name, value),
            sk: prefixSk(value, record.ref.id),
            item_type: 'prefix',
            record_id: record.ref.id,
          },
        },
      }));
  }

  deletePrefixes(record: StoredRecord<object>, stillHeld: Readonly<Record<string, string>>): TransactItem[] {
    return Object.entries(livePrefixes(record))
      .filter(([name, value]) => stillHeld[name] !== value && value !== '')
      .map(([name, value]) => ({
        Delete: {
          TableName: this.tableName,
          Key: {
            pk: prefixPk(record.accountId, record.ref.type, name, value),
            sk: prefixSk(value, record.ref.id),
          },
        },
      }));
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

  /** Everything a live record holds beside its own item: claims, lookups and links (for a move or a delete). */
  companionsOf(record: StoredRecord<object>, action: 'put' | 'delete'): TransactItem[] {
    if (action === 'put') {
      return [
        ...this.claimUniqueValues({ ...record, uniqueValues: heldUniqueValues(record) }, {}),
        ...this.putLookups({ ...record, lookupValues: liveLookups(record) }, {}),
        ...this.putPrefixes(record, {}),
        ...record.subjects.map((subject) => this.putLink(record, subject)),
      ];
    }
    return [
      ...this.releaseUniqueValues({ ...record, uniqueValues: heldUniqueValues(record) }, {}),
      ...this.deleteLookups({ ...record, lookupValues: liveLookups(record) }, {}),
      ...this.deletePrefixes(record, {}),
      ...record.subjects.map((subject) => this.deleteLink(record, subject)),
    ];
  }

  /**
   * The items creating `record` writes, in this order: the record (only if its id is free), its claims,
   * lookups and subject links, its audit entry. `extra` attributes go on the record item.
   */
  creation(
    record: StoredRecord<object>,
    audit: AuditEntry,
    extra: Record<string, unknown> = {},
  ): TransactItem[] {
    return [
      {
        Put: {
          TableName: this.tableName,
          Item: { ...toItem(record), ...extra },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      ...this.companionsOf(record, 'put'),
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
    item: object = toItem(next),
  ): TransactItem[] {
    const previousKeys = new Set(previous.subjects.map((s) => `${s.kind}#${s.id}`));
    const nextKeys = new Set(next.subjects.map((s) => `${s.kind}#${s.id}`));
    // Unique and lookup values are held only while the record is live: a soft-deleted contact frees its e-mail.
    const previousUnique = heldUniqueValues(previous);
    const nextUnique = heldUniqueValues(next);
    const previousLookups = liveLookups(previous);
    const nextLookups = liveLookups(next);
    return [
      {
        Put: {
          TableName: this.tableName,
          Item: item,
          ConditionExpression: 'version = :expected',
          ExpressionAttributeValues: { ':expected': previous.version },
        },
      },
      ...this.claimUniqueValues({ ...next, uniqueValues: nextUnique }, previousUnique),
      ...this.releaseUniqueValues({ ...previous, uniqueValues: previousUnique }, nextUnique),
      ...this.putLookups({ ...next, lookupValues: nextLookups }, previousLookups),
      ...this.deleteLookups({ ...previous, lookupValues: previousLookups }, nextLookups),
      ...this.putPrefixes(next, livePrefixes(previous)),
      ...this.deletePrefixes(previous, livePrefixes(next)),
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

export function toItem(record: StoredRecord<object>): RecordItem {
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
    unique_values: record.uniqueValues ? { ...record.uniqueValues } : undefined,
    lookup_values: nonEmpty(lookupsOf(record)),
    prefix_values: record.prefixValues ? { ...record.prefixValues } : undefined,
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
