import { collectionShards } from '#lib/platform/table-design';
import type { RecordRef, RecordType, SubjectRef } from '#domain/records/record';

/**
 * Keys of record items (docs/access-patterns.md). Every key starts with the account id, so a query
 * built from a caller's credentials cannot reach another account's items.
 */
export const recordPk = (accountId: string, ref: RecordRef) => `A#${accountId}#${ref.type}#${ref.id}`;
export const RECORD_SK = 'RECORD';
/** Beside an erased record's (former) item: that it was erased, ids only, so no import brings it back. */
export const ERASED_SK = 'ERASED';

/** Which of the collection's write shards a record belongs to: stable, spread evenly by id. */
export const shardOf = (id: number) => id % collectionShards;

export const collectionPk = (accountId: string, type: RecordType | 'audit', shard: number, deleted = false) =>
  `A#${accountId}#${type}${deleted ? '~deleted' : ''}#${shard}`;

/** Sort key of a record in its collection: update time, then id, so equal times still order stably. */
export const collectionSk = (updatedAt: string, id: number) => `${updatedAt}#${String(id).padStart(16, '0')}`;

export const parentPk = (accountId: string, parentKey: string) => `A#${accountId}#PARENT#${parentKey}`;

/**
 * An account's lookup key, wrapped by the region's data key (docs/encryption.md, "Keyed lookups"): an
 * item of the records table, so every backup of the records holds the key that makes them findable.
 */
export const lookupKeyPk = (accountId: string) => `A#${accountId}#LOOKUPKEY`;
export const LOOKUP_KEY_SK = 'KEY';

/** A unique claim, keyed by the value's keyed hash (`LookupHasher`): the key reveals no e-mail address. */
export const uniquePk = (accountId: string, type: RecordType, name: string, hashedValue: string) =>
  `A#${accountId}#UNIQUE#${type}#${name}#${hashedValue}`;
export const UNIQUE_SK = 'UNIQUE';

/** Lookup values (shared by several records, e.g. phone numbers), keyed by their keyed hash too. */
export const lookupPk = (accountId: string, type: RecordType, name: string, hashedValue: string) =>
  `A#${accountId}#LOOKUP#${type}#${name}#${hashedValue}`;

/**
 * Prefix lookups (autocomplete): one partition per account, type, value name and keyed hash of one
 * beginning of the value (docs/access-patterns.md); the record id is the sort key.
 */
export const prefixPk = (accountId: string, type: RecordType, name: string, hashedPrefix: string) =>
  `A#${accountId}#PREFIX#${type}#${name}#${hashedPrefix}`;
export const prefixSk = (id: number) => String(id).padStart(16, '0');

/**
 * Search's range lookups of one field (dates, numbers: docs/search.md), write-sharded like the
 * collection index; the sort key is the sortable value, then the record id (`collectionSk`).
 */
export const rangeLookupPk = (accountId: string, type: RecordType, field: string, shard: number) =>
  `A#${accountId}#RANGE#${type}#${field}#${shard}`;

export const subjectPk = (accountId: string, subject: SubjectRef) =>
  `A#${accountId}#SUBJECT#${subject.kind}#${subject.id}`;
export const subjectLinkSk = (ref: RecordRef) => `LINK#${ref.type}#${ref.id}`;

export const auditSk = (at: string, operation: string, version: number) =>
  `AUDIT#${at}#${String(version).padStart(8, '0')}#${operation}`;

/** Region-wide deadlines of one kind (gsi4): few items, read by the region's scheduled watchers. */
export const deadlinePk = (kind: string) => `DEADLINE#${kind}`;

/** The trash of one erasure request: the records it moved out, restorable until purged. */
export const trashPk = (accountId: string, requestId: number) => `A#${accountId}#TRASH#${requestId}`;
export const trashSk = (ref: RecordRef) => `TRASHED#${ref.type}#${ref.id}`;
/** How many stored files a request found on a record it erased, or purged from another request's trash. */
export const fileCountSk = (ref: RecordRef, purgeOf?: number) =>
  purgeOf === undefined ? `FILES#${ref.type}#${ref.id}` : `FILES#PURGED#${purgeOf}#${ref.type}#${ref.id}`;
