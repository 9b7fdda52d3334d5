import type { AuditEntry, Deadline, RecordRef, StoredRecord } from '#domain/records/record';

/**
 * A record an erasure moved out of the live table, exactly as it was, with what it held in S3; or the
 * pre-image of a contribution an agent's soft erasure anonymised in place (`anonymisedVersion`: the
 * version the anonymisation wrote; the contribution itself stays live).
 */
export interface TrashedRecord {
  readonly record: StoredRecord<object>;
  readonly trashedAt: string;
  readonly anonymisedVersion?: number;
}

/** A trash entry's record, and whether it is an anonymised contribution's pre-image (not a removed record). */
export interface TrashRef extends RecordRef {
  readonly anonymised?: true;
}

/** Whose stored files a request counted: a record it erased, or (`purgeOf`) one it purged from that trash. */
export interface FileCountOf {
  readonly accountId: string;
  readonly requestId: number;
  readonly ref: RecordRef;
  readonly purgeOf?: number;
}

/** A record past a deadline, anywhere in the region (ids only). */
export interface DueRecord {
  readonly accountId: string;
  readonly ref: RecordRef;
  readonly at: string;
}

/**
 * The table side of erasure. Every method writes one transaction: the record's own item, its
 * uniqueness claims, lookups and subject links, and its audit entry move, come back or go together.
 */
export interface ErasureStore {
  /**
   * Moves a record into an erasure request's trash: it leaves every view, list and lookup, and comes
   * back byte for byte on restore. ConflictError if it changed since it was read. An agent's API keys
   * (their key ring and key items) move into the trash with the profile and come back with it.
   */
  moveToTrash(
    record: StoredRecord<object>,
    requestId: number,
    audit: AuditEntry,
    expiresAt: string,
  ): Promise<void>;
  /** The trashed record, if the request's trash holds it. */
  trashed(accountId: string, requestId: number, ref: RecordRef): Promise<TrashedRecord | undefined>;
  /** Puts a trashed record back as it was; ConflictError if its id or a unique value was taken meanwhile. */
  restoreFromTrash(trashed: TrashedRecord, requestId: number, audit: AuditEntry): Promise<void>;
  /**
   * An agent's soft erasure anonymises a contribution: `previous` is replaced by `next` and its exact
   * item kept in the request's trash as the pre-image a restore writes back, in one transaction.
   * ConflictError if the contribution changed since it was read.
   */
  anonymiseIntoTrash(
    previous: StoredRecord<object>,
    next: StoredRecord<object>,
    requestId: number,
    audit: AuditEntry,
    expiresAt: string,
  ): Promise<void>;
  /**
   * Restores an anonymised contribution from its pre-image and deletes the pre-image, in one
   * transaction: `current` is replaced by `next`, or (no `next`) by the pre-image's exact item.
   * ConflictError if the contribution changed since it was read.
   */
  restoreContribution(
    trashed: TrashedRecord,
    requestId: number,
    current: StoredRecord<object>,
    next: StoredRecord<object> | undefined,
    audit: AuditEntry,
  ): Promise<void>;
  /**
   * Keeps a trash entry a legal hold covers past the trash's end: its expiry (the DynamoDB TTL
   * backstop) and that of the file count its erasure kept are removed, so only a purge deletes them.
   * Repeatable; nothing to keep when the entry is gone.
   */
  keepPastTrashEnd(accountId: string, requestId: number, ref: RecordRef): Promise<void>;
  /** Deletes a trashed record for good. */
  purgeFromTrash(trashed: TrashedRecord, requestId: number, audit: AuditEntry): Promise<void>;
  /**
   * Keeps how many stored files the request found on a record before touching them, unless a count is
   * kept already (an earlier attempt's, made before it deleted anything); answers the kept count. So
   * a repeated step counts what the first one found, not what is left. Expires with `expiresAt`.
   */
  keepFileCount(of: FileCountOf, files: number, expiresAt: string): Promise<number>;
  /** The count kept for the record by the request, if any. */
  fileCount(of: FileCountOf): Promise<number | undefined>;
  /**
   * Deletes a live (or soft-deleted) record and everything standing beside it, for good; an agent's
   * API keys with it, in the same transaction. ConflictError if it or (an agent's) keys changed meanwhile.
   */
  deleteForGood(record: StoredRecord<object>, audit: AuditEntry): Promise<void>;
  /** One page of a request's trash, by Query; pass the answered cursor back for the next page. */
  trashPage(
    accountId: string,
    requestId: number,
    page: { limit: number; cursor?: string },
  ): Promise<{ refs: TrashRef[]; cursor?: string }>;
  /** Records of the whole region whose deadline of `kind` is at or before `before`, soonest first. */
  dueRecords(kind: Deadline['kind'], before: string, limit: number): Promise<DueRecord[]>;
}
