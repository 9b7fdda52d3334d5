import type { RecordRef, StoredRecord } from '#domain/records/record';
import { storedFileName } from './export-keys.ts';

/** The region's buckets a subject's files live in (recordings only where calls are hosted). */
export interface StoredFileBuckets {
  readonly attachments: string;
  readonly recordings?: string;
}

/** Where a linked record's file is: its bucket and key (ids only), and the size a presigned upload announced. */
export interface StoredFileSource {
  readonly record: RecordRef;
  readonly bucket: string;
  readonly key: string;
  readonly announcedBytes?: number;
}

/** A file in the bundle as the manifest lists it: a byte-identical copy of the stored object. */
export interface ExportedStoredFile {
  readonly name: string;
  readonly record: RecordRef;
  readonly content_type: string;
  readonly bytes: number;
  readonly sha256: string;
}

/**
 * The file a live linked record carries, if any: an attachment's object, or a call's recording at home.
 * A recording still staged in another region is not at home yet and is found missing when copied.
 */
export function storedFileSourceOf(
  record: StoredRecord<object>,
  buckets: StoredFileBuckets,
): StoredFileSource | undefined {
  const fields = record.fields as Record<string, unknown>;
  if (record.ref.type === 'attachment' && typeof fields.object_key === 'string') {
    return {
      record: record.ref,
      bucket: buckets.attachments,
      key: fields.object_key,
      ...(fields.upload === 'presigned' &&
        typeof fields.size === 'number' && { announcedBytes: fields.size }),
    };
  }
  if (record.ref.type === 'call' && buckets.recordings && typeof fields.recording_key === 'string') {
    return { record: record.ref, bucket: buckets.recordings, key: fields.recording_key };
  }
  return undefined;
}

export const exportedStoredFile = (
  source: StoredFileSource,
  copy: { bytes: number; sha256: string; contentType: string },
): ExportedStoredFile => ({
  name: storedFileName(source.record),
  record: source.record,
  content_type: copy.contentType,
  bytes: copy.bytes,
  sha256: copy.sha256,
});
