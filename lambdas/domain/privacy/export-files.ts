/** The objects of export bundles in the region's exports bucket (keys hold ids only). */
export interface ExportFiles {
  /** Writes an object from text chunks in bounded memory; answers its size in bytes and SHA-256 (hex). */
  write(
    key: string,
    contentType: string,
    chunks: AsyncIterable<string> | Iterable<string>,
  ): Promise<{ bytes: number; sha256: string }>;
  /** The lines of a text object, streamed. */
  lines(key: string): AsyncIterable<string>;
  /** A URL that downloads the object, valid for `expiresInSeconds`. */
  presignDownload(key: string, expiresInSeconds: number): Promise<string>;
}
