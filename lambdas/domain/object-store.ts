/**
 * The longest any presigned URL lives. On AWS a URL also dies with the temporary credentials that
 * signed it (a Lambda role's session: hours, with no figure published and no expiry the function can
 * see), so no URL is signed for longer than this, and each is minted afresh when its resource is read
 * (docs/files-and-urls.md).
 */
export const presignedUrlMaxSeconds = 3600;

/** The largest object one presigned PUT can carry (S3's single-PUT maximum, 5 GiB). */
export const maxPresignedPutBytes = 5 * 1024 ** 3;

/** What a presigned upload binds: the exact media type, and the exact size where it was announced. */
export interface UploadTerms {
  readonly contentType: string;
  /** Announced size in bytes; S3 refuses a body of any other length. */
  readonly bytes?: number;
}

/** A presigned PUT: where to send the bytes, the headers it must carry, and until when it works. */
export interface PresignedUpload {
  readonly url: string;
  /** Signed into the URL: the PUT must carry exactly these (Content-Type, and Content-Length if announced). */
  readonly headers: Readonly<Record<string, string>>;
  /** When the URL stops working: its signed expiry, or earlier if the signing credentials expire first. */
  readonly expiresAt: string;
}

/** A presigned GET answering `Content-Disposition: attachment` with the stored media type. */
export interface PresignedDownload {
  readonly url: string;
  /** When the URL stops working: its signed expiry, or earlier if the signing credentials expire first. */
  readonly expiresAt: string;
}

/** Objects in the region's buckets, reached through short-lived presigned URLs. */
export interface ObjectStore {
  /** A URL the client PUTs the object's bytes to, valid for `expiresInSeconds` at most. */
  presignUpload(
    bucket: string,
    key: string,
    terms: UploadTerms,
    expiresInSeconds: number,
  ): Promise<PresignedUpload>;
  /** A URL the client GETs the object from (as a download of `contentType`), valid for `expiresInSeconds` at most. */
  presignDownload(
    bucket: string,
    key: string,
    contentType: string,
    expiresInSeconds: number,
  ): Promise<PresignedDownload>;
  exists(bucket: string, key: string): Promise<boolean>;
  /** The object's size in bytes, or undefined while there is no such object. */
  sizeOf(bucket: string, key: string): Promise<number | undefined>;
  /** Stores bytes the API received itself (small multipart uploads). */
  put(bucket: string, key: string, bytes: Uint8Array, contentType: string): Promise<void>;
  /** Removes the object (on a versioned bucket: a delete marker; old versions go by lifecycle rule). */
  delete(bucket: string, key: string): Promise<void>;
}
