import type { Readable } from 'node:stream';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { MigrationFiles } from '#domain/migrations/migration-files';
import type { PresignedDownload, PresignedUpload, UploadTerms } from '#domain/object-store';
import { S3ExportFiles } from './s3-export-files.ts';
import { S3ObjectStore } from './s3-object-store.ts';

/** Migration files in the region's migrations bucket: streamed reads, bounded-memory writes. */
export class S3MigrationFiles implements MigrationFiles {
  private readonly objects: S3ObjectStore;
  private readonly text: S3ExportFiles;

  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {
    this.objects = new S3ObjectStore(s3);
    this.text = new S3ExportFiles(s3, bucket);
  }

  presignUpload(key: string, terms: UploadTerms, expiresInSeconds: number): Promise<PresignedUpload> {
    return this.objects.presignUpload(this.bucket, key, terms, expiresInSeconds);
  }

  presignDownload(key: string, contentType: string, expiresInSeconds: number): Promise<PresignedDownload> {
    return this.objects.presignDownload(this.bucket, key, contentType, expiresInSeconds);
  }

  exists(key: string): Promise<boolean> {
    return this.objects.exists(this.bucket, key);
  }

  async *bytes(key: string): AsyncIterable<Uint8Array> {
    const object = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    const body = object.Body as Readable | undefined;
    if (body) yield* body as AsyncIterable<Uint8Array>;
  }

  lines(key: string): AsyncIterable<string> {
    return this.text.lines(key);
  }

  write(
    key: string,
    contentType: string,
    chunks: AsyncIterable<string> | Iterable<string>,
  ): Promise<unknown> {
    return this.text.write(key, contentType, chunks);
  }

  deleteUnder(prefix: string): Promise<number> {
    return this.text.deleteUnder(prefix);
  }

  async *list(prefix: string): AsyncIterable<string> {
    let token: string | undefined;
    do {
      const page = await this.s3.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }),
      );
      for (const object of page.Contents ?? []) if (object.Key) yield object.Key;
      token = page.NextContinuationToken;
    } while (token);
  }
}
