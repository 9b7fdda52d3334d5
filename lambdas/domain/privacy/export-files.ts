import type { PresignedDownload } from '#domain/object-store';

/** The objects of export bundles in the region's exports bucket (keys hold ids only). */
export interface ExportFiles {
  /** Writes an object from text chunks in bounded memory; answers its size in bytes and SHA-256 (hex). */
  write(
    key: string,
    contentType: string,
    chunks: AsyncIterable<string> | Iterable<string>,
  ): Promise<{ bytes: number; sha256: string }>;
  /** Whether an object is there. */
  exists(key: string): Promise<boolean>;
  /** The lines of a text object, streamed. */
  lines(key: string): AsyncIterable<string>;
  /** A URL that downloads the object as `contentType`, valid for `expiresInSeconds` at most. */
  presignDownload(key: string, contentType: string, expiresInSeconds: number): Promise<PresignedDownload>;
  /**
   * Copies an object of another bucket of the region into `key` without passing its bytes through the
   * caller's memory (server-side), and answers what the copy holds: size, SHA-256 and media type.
   * Undefined when the source does not exist, or (with `bytes`) has not that size yet.
   */
  /** Deletes every object under `prefix` (the bucket is not versioned); answers how many went. Repeatable. */
  deleteUnder(prefix: string): Promise<number>;
  copyIn(
    source: { readonly bucket: string; readonly key: string; readonly bytes?: number },
    key: string,
  ): Promise<{ bytes: number; sha256: string; contentType: string } | undefined>;
}
