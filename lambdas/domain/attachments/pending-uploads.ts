/**
 * How long after the API starts storing attachment bytes (or hands out an upload URL) the sweep looks
 * at the objects: by then the record's transaction has long committed or failed, and every upload URL
 * (15 minutes) has expired.
 */
export const orphanUploadHours = 24;

/** An attachment whose object is about to be stored: its id and ids-only object key. */
export interface UploadedObject {
  readonly attachmentId: number;
  readonly objectKey: string;
}

/**
 * Objects the API is about to store before the records naming them are committed: the bytes of a
 * multipart request (put before the ticket's or conversation's transaction) or a presigned upload.
 * Written before any byte is, so an object whose record never came (a failed transaction, a crash)
 * or went before its upload arrived (an erasure) is found and removed when the upload is due.
 */
export interface PendingUpload {
  readonly accountId: string;
  /** The files of one request, at least one. */
  readonly objects: readonly UploadedObject[];
  /** When the sweep looks at them (ISO). */
  readonly dueAt: string;
}

export interface PendingUploads {
  /** Records an upload before its bytes are stored (one write, ids only). */
  expect(upload: PendingUpload): Promise<void>;
  /** Uploads due at or before `before`, soonest first, at most `limit`, whatever the account. */
  due(before: string, limit: number): Promise<PendingUpload[]>;
  /** Forgets an upload the sweep has settled. */
  settle(upload: PendingUpload): Promise<void>;
}

/** The pending upload of `objects` starting at `now`, due `orphanUploadHours` later. */
export function pendingUpload(
  accountId: string,
  objects: readonly UploadedObject[],
  now: Date,
): PendingUpload {
  return { accountId, objects, dueAt: new Date(now.getTime() + orphanUploadHours * 3_600_000).toISOString() };
}
