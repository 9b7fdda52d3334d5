import { trashPrefixes } from '#lib/residency/index';
import type { StoredRecord } from '#domain/records/record';

/**
 * The buckets whose objects belong to records: a ticket's files, a call's recording, and the staging
 * bucket in another region where a call's recording waits during its hold (EEA accounts: the US).
 */
export type RecordBucket = 'attachments' | 'recordings' | 'recording-staging';

/** An object a record holds, by bucket kind and ids-only key. */
export interface HeldObject {
  readonly bucket: RecordBucket;
  readonly key: string;
}

/** The S3 objects a record holds (an attachment's file, a call's recording), whether uploaded or not. */
export function objectsHeldBy(record: StoredRecord<object>): HeldObject[] {
  const fields = record.fields as { object_key?: unknown; recording_key?: unknown };
  if (record.ref.type === 'attachment' && typeof fields.object_key === 'string') {
    return [{ bucket: 'attachments', key: fields.object_key }];
  }
  if (record.ref.type === 'call' && typeof fields.recording_key === 'string') {
    return [{ bucket: 'recordings', key: fields.recording_key }];
  }
  return [];
}

/**
 * A call's recording as it may still be staged in another region (uploaded, not yet moved home, or
 * uploaded again after it moved). Erasure deletes it with every version whatever the mode: a staged
 * recording is not kept restorable (it would have to stay in the staging region, or reach home
 * without its transfer's verification). Regions that stage nothing find nothing there.
 */
export function stagedObjectsOf(record: StoredRecord<object>): HeldObject[] {
  const fields = record.fields as { recording_key?: unknown };
  if (record.ref.type === 'call' && typeof fields.recording_key === 'string') {
    return [{ bucket: 'recording-staging', key: fields.recording_key }];
  }
  return [];
}

/** Where a soft erasure keeps an object in the trash bucket: request and original key, ids only. */
export const trashKeyOf = (accountId: string, requestId: number, object: HeldObject) =>
  `${trashPrefixes.erasures}${accountId}/${requestId}/${object.bucket}/${object.key}`;

/**
 * Where the trash keeps a copy a legal hold covers past the purge: the same ids under a prefix the
 * trash bucket's 60-day lifecycle rule does not reach, so only the purge (once the hold ends) deletes it.
 */
export const heldTrashKeyOf = (accountId: string, requestId: number, object: HeldObject) =>
  `${trashPrefixes.legalHolds}${accountId}/${requestId}/${object.bucket}/${object.key}`;

/** The object side of erasure; every method may be repeated with the same outcome. */
export interface ErasureObjects {
  /** Whether the object is stored (an attachment's presigned upload may never have completed). */
  exists(object: HeldObject): Promise<boolean>;
  /** Copies the object's current version to the trash key; false when there is no such object. */
  copyToTrash(object: HeldObject, trashKey: string): Promise<boolean>;
  /** Copies the trash copy back to the object's key; false when there is no trash copy. */
  copyBack(trashKey: string, object: HeldObject): Promise<boolean>;
  /** Deletes every version and delete marker of the object; answers how many went. */
  deleteEveryVersion(object: HeldObject): Promise<number>;
  /**
   * Moves a trash copy to another key of the trash bucket (server-side copy, then the old key deleted);
   * answers whether the copy is at `toKey` now (also when an earlier attempt moved it).
   */
  moveTrashCopy(fromKey: string, toKey: string): Promise<boolean>;
  /** Deletes the trash copy (the trash bucket is not versioned). */
  deleteTrashCopy(trashKey: string): Promise<void>;
}
