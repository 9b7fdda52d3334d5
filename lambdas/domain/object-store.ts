/** Objects in the region's buckets, reached through short-lived presigned URLs. */
export interface ObjectStore {
  /** A URL the client PUTs the object's bytes to, valid for `expiresInSeconds`. */
  presignUpload(bucket: string, key: string, contentType: string, expiresInSeconds: number): Promise<string>;
  /** A URL the client GETs the object from, valid for `expiresInSeconds`. */
  presignDownload(bucket: string, key: string, expiresInSeconds: number): Promise<string>;
  exists(bucket: string, key: string): Promise<boolean>;
  /** The object's size in bytes, or undefined while there is no such object. */
  sizeOf(bucket: string, key: string): Promise<number | undefined>;
  /** Stores bytes the API received itself (small multipart uploads). */
  put(bucket: string, key: string, bytes: Uint8Array, contentType: string): Promise<void>;
  /** Removes the object (on a versioned bucket: a delete marker; old versions go by lifecycle rule). */
  delete(bucket: string, key: string): Promise<void>;
}
