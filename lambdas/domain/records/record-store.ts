import type { LookupReader } from '#domain/search/search-executor';
import type { Paging } from './paging.ts';
import type { AuditEntry, RecordRef, RecordType, StoredRecord, SubjectRef } from './record.ts';

/** One change of a transaction that stores several (see RecordStore.commit). */
export type RecordChange =
  | { readonly create: StoredRecord<object>; readonly audit: AuditEntry }
  | {
      readonly previous: StoredRecord<object>;
      readonly next: StoredRecord<object>;
      readonly audit: AuditEntry;
    };

/** Keeps only the records `where` accepts, tested as the list is read: pages stay full. */
export interface ListFilter<F extends object> {
  readonly where?: (record: StoredRecord<F>) => boolean;
}

/**
 * Paging of a collection, optionally only records updated since an instant, or last updated before one
 * (`updatedBefore`: what a retention rule reads, at a cost that follows the old records only), or the
 * soft-deleted ones.
 */
export interface CollectionListOptions<F extends object = object> extends Paging, ListFilter<F> {
  /** Least recently updated first. */
  readonly oldestFirst?: boolean;
  readonly updatedSince?: string;
  readonly updatedBefore?: string;
  readonly deleted?: boolean;
}

/**
 * Paging of a parent list; `secondary` lists under the secondary parent, `createdSince` is a key range,
 * `includeDeleted` lists soft-deleted records too (a parent's cascade).
 */
export interface ParentListOptions<F extends object = object> extends Paging, ListFilter<F> {
  readonly oldestFirst?: boolean;
  readonly secondary?: boolean;
  readonly createdSince?: string;
  readonly includeDeleted?: boolean;
}

/**
 * Paging of live records in the order of one of their search range values (a date or number: search's
 * range lookup items, docs/search.md), ties by id; descending unless `ascending`. `withoutValue` lists
 * the records holding no value of the field too: after the others descending, before them ascending.
 */
export interface RangeListOptions<F extends object = object> extends Paging, ListFilter<F> {
  readonly ascending?: boolean;
  readonly withoutValue?: boolean;
}

/** What became of one record of an import (see RecordStore.importRecords). */
export type ImportOutcome =
  | { readonly ref: RecordRef; readonly result: 'created' }
  /** Stored before; `importedBy` names the import that wrote it, if one did. */
  | { readonly ref: RecordRef; readonly result: 'existed'; readonly importedBy?: string }
  /** A unique value of it (e.g. a contact's e-mail) belongs to another record. */
  | { readonly ref: RecordRef; readonly result: 'conflict' }
  /** The store refused it as it is (e.g. larger than an item may be). */
  | { readonly ref: RecordRef; readonly result: 'rejected' };

/** A record holding a lookup value, and when it was created (to merge several lookups in one order). */
export interface LookupEntry {
  readonly id: number;
  readonly createdAt: string;
}

export interface RecordPage<F extends object> {
  readonly records: StoredRecord<F>[];
  readonly hasMore: boolean;
  /**
   * While there is more: an opaque cursor to pass as `cursor` for the page after this one, read at the
   * cost of one page wherever it is in the list. Absent where a list is short enough to page by number.
   */
  readonly next?: string;
}

/**
 * Persistence of records. Every write stores the record, its audit entry, its subject links and its
 * uniqueness claims in one transaction: all of them or none.
 */
export interface RecordStore {
  get<F extends object>(accountId: string, ref: RecordRef): Promise<StoredRecord<F> | undefined>;
  /** The stored records among `refs` (missing ones left out), read in batches. */
  getMany<F extends object>(accountId: string, refs: readonly RecordRef[]): Promise<StoredRecord<F>[]>;
  /** Those of `refs` whose records a data subject's erasure removed (they keep a tombstone), in batches. */
  erasedAmong(accountId: string, refs: readonly RecordRef[]): Promise<RecordRef[]>;
  /**
   * Creates records that may already be there (a migration, possibly resumed), many at once, each with
   * its audit entry, subject links and claims. A record whose id is taken is left as it is; callers
   * leave out records erased since (`erasedAmong`). A record with unique values is written with its
   * claims atomically; any other record's companions may be
   * stored before the record itself, which becomes readable last (a write cut short leaves links to a
   * record that does not exist yet; writing the same entries again completes it). Answers one outcome
   * per entry; `importedBy` is kept on each record.
   */
  importRecords(
    entries: ReadonlyArray<{ record: StoredRecord<object>; audit: AuditEntry }>,
    importedBy: string,
  ): Promise<ImportOutcome[]>;
  /** Creates a new record; fails with ConflictError if the id or a unique value is taken. */
  create(record: StoredRecord<object>, audit: AuditEntry): Promise<void>;
  /** Creates several records in one transaction (e.g. a ticket and its new requester): all or none. */
  createTogether(entries: ReadonlyArray<{ record: StoredRecord<object>; audit: AuditEntry }>): Promise<void>;
  /** Creates and replaces several records in one transaction (e.g. a contact made an agent): all or none. */
  commit(changes: readonly RecordChange[]): Promise<void>;
  /** The next number of a per-account sequence (Freshdesk's ticket ids count 1, 2, 3, … per account). */
  nextSequence(accountId: string, name: string): Promise<number>;
  /** Replaces `previous` by `next` if `previous` is still the stored version; else ConflictError. */
  replace(previous: StoredRecord<object>, next: StoredRecord<object>, audit: AuditEntry): Promise<void>;
  /** The id of the live record holding a unique value (e.g. the contact with an e-mail), if any. */
  findByUniqueValue(
    accountId: string,
    type: RecordType,
    name: string,
    value: string,
  ): Promise<number | undefined>;
  /** Live records of a type sharing a lookup value (e.g. contacts with a phone number), newest first. */
  listByLookupValue<F extends object>(
    accountId: string,
    type: RecordType,
    name: string,
    value: string,
    paging: Paging,
  ): Promise<RecordPage<F>>;
  /**
   * Which live records of a type hold a lookup value (e.g. a word of published articles), newest first
   * by creation, at most `limit`: ids only, read by Query however large the records are.
   */
  lookupEntries(
    accountId: string,
    type: RecordType,
    name: string,
    value: string,
    limit: number,
  ): Promise<LookupEntry[]>;

  /**
   * At most `limit` live records of a type whose prefix value `name` begins with `prefix` (normalised
   * as `prefixValueOf` does), in the order of their ids: read by the keyed hash of the prefix's first
   * `indexedPrefixLength` characters, kept when `holds` (the record's value begins with the whole
   * prefix; docs/api.md, "Autocomplete").
   */
  listByPrefix<F extends object>(
    accountId: string,
    type: RecordType,
    name: string,
    prefix: string,
    limit: number,
    holds: (record: StoredRecord<F>) => boolean,
  ): Promise<StoredRecord<F>[]>;

  /** Search's lookup items of an account's records of one type, read by Query (docs/search.md). */
  searchLookups(accountId: string, type: RecordType): Promise<LookupReader>;
  /** Live records of a type in the order of a range value `field` (e.g. `created_at`), read by Query. */
  listByRange<F extends object>(
    accountId: string,
    type: RecordType,
    field: string,
    options: RangeListOptions<F>,
  ): Promise<RecordPage<F>>;
  /**
   * Live records of a type, most recently updated first (`oldestFirst`: least recently), optionally
   * only those updated since.
   */
  list<F extends object>(
    accountId: string,
    type: RecordType,
    options: CollectionListOptions<F>,
  ): Promise<RecordPage<F>>;
  /**
   * Records listed under a parent key (e.g. tickets of a requester), newest first, live unless
   * `includeDeleted`; `secondary` for secondary parents. Several keys list their records merged, in one
   * order (each record is under one of them).
   */
  listByParent<F extends object>(
    accountId: string,
    parentKeys: string | readonly string[],
    options: ParentListOptions<F>,
  ): Promise<RecordPage<F>>;
  /**
   * One page of the subject index: the records holding a person's data (live or not), at most `limit`;
   * pass the answered `cursor` back for the next page (none: that was the last).
   */
  subjectLinks(
    accountId: string,
    subject: SubjectRef,
    page: { limit: number; cursor?: string },
  ): Promise<{ refs: RecordRef[]; cursor?: string }>;
  /** Audit entries of one record, newest first. */
  auditTrail(accountId: string, ref: RecordRef, limit: number): Promise<AuditEntry[]>;
  /** Audit entries of the whole account between two instants (inclusive), newest first. */
  auditBetween(accountId: string, from: string, to: string, limit: number): Promise<AuditEntry[]>;
}
