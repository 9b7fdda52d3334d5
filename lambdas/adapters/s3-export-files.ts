import { createHash } from 'node:crypto';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
  UploadPartCommand,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import type { PresignedDownload } from '#domain/object-store';
import type { ExportFiles } from '#domain/privacy/export-files';
import { isMissingObject } from './s3-errors.ts';
import { S3ObjectStore } from './s3-object-store.ts';
import { deleteObjects } from './s3-versions.ts';

/** Bytes buffered before a part is uploaded: S3 parts are at least 5 MiB (the last may be smaller). */
export const exportPartBytes = 8 * 1024 * 1024;

/** The largest object one CopyObject copies (5 GiB); larger ones are copied part by part. */
export const singleCopyMaxBytes = 5 * 1024 ** 3;
/** Bytes per UploadPartCopy: S3 allows 10,000 parts, so 512 MiB parts reach 5 TiB, its largest object. */
export const copyPartBytes = 512 * 1024 ** 2;

export interface S3ExportFilesOptions {
  readonly partBytes?: number;
  readonly singleCopyMaxBytes?: number;
  readonly copyPartBytes?: number;
}

/**
 * Export files in one bucket. Writes buffer at most one part: a small object is one PutObject, a
 * larger one a multipart upload (aborted if anything fails), so memory stays bounded whatever the size.
 */
export class S3ExportFiles implements ExportFiles {
  private readonly objects: S3ObjectStore;
  private readonly partBytes: number;
  private readonly singleCopyMaxBytes: number;
  private readonly copyPartBytes: number;

  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    options: S3ExportFilesOptions = {},
  ) {
    this.objects = new S3ObjectStore(s3);
    this.partBytes = options.partBytes ?? exportPartBytes;
    this.singleCopyMaxBytes = options.singleCopyMaxBytes ?? singleCopyMaxBytes;
    this.copyPartBytes = options.copyPartBytes ?? copyPartBytes;
  }

  async write(
    key: string,
    contentType: string,
    chunks: AsyncIterable<string> | Iterable<string>,
  ): Promise<{ bytes: number; sha256: string }> {
    const hash = createHash('sha256');
    let bytes = 0;
    let buffered: Buffer[] = [];
    let bufferedBytes = 0;
    let uploadId: string | undefined;
    const parts: { ETag?: string; PartNumber: number }[] = [];
    const flush = async () => {
      const body = Buffer.concat(buffered);
      buffered = [];
      bufferedBytes = 0;
      uploadId ??= (
        await this.s3.send(
          new CreateMultipartUploadCommand({ Bucket: this.bucket, Key: key, ContentType: contentType }),
        )
      ).UploadId;
      const PartNumber = parts.length + 1;
      const { ETag } = await this.s3.send(
        new UploadPartCommand({ Bucket: this.bucket, Key: key, UploadId: uploadId, PartNumber, Body: body }),
      );
      parts.push({ ETag, PartNumber });
    };
    try {
      for await (const chunk of chunks) {
        const buffer = Buffer.from(chunk, 'utf8');
        hash.update(buffer);
        bytes += buffer.length;
        buffered.push(buffer);
        bufferedBytes += buffer.length;
        if (bufferedBytes >= this.partBytes) await flush();
      }
      if (uploadId === undefined) {
        await this.s3.send(
          new PutObjectCommand({
            Bucket: this.bucket,
            Key: key,
            Body: Buffer.concat(buffered),
            ContentType: contentType,
          }),
        );
      } else {
        if (bufferedBytes > 0) await flush();
        await this.s3.send(
          new CompleteMultipartUploadCommand({
            Bucket: this.bucket,
            Key: key,
            UploadId: uploadId,
            MultipartUpload: { Parts: parts },
          }),
        );
      }
    } catch (error) {
      if (uploadId !== undefined) {
        await this.s3
          .send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: key, UploadId: uploadId }))
          .catch(() => undefined);
      }
      throw error;
    }
    return { bytes, sha256: hash.digest('hex') };
  }

  exists(key: string): Promise<boolean> {
    return this.objects.exists(this.bucket, key);
  }

  async *lines(key: string): AsyncIterable<string> {
    const object = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    const body = object.Body as Readable | undefined;
    if (!body) return;
    yield* createInterface({ input: body, crlfDelay: Infinity });
  }

  async deleteUnder(prefix: string): Promise<number> {
    let deleted = 0;
    let token: string | undefined;
    do {
      const page = await this.s3.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }),
      );
      const objects = (page.Contents ?? []).flatMap((object) => (object.Key ? [{ Key: object.Key }] : []));
      deleted += await deleteObjects(this.s3, this.bucket, objects);
      token = page.NextContinuationToken;
    } while (token);
    return deleted;
  }

  presignDownload(key: string, contentType: string, expiresInSeconds: number): Promise<PresignedDownload> {
    return this.objects.presignDownload(this.bucket, key, contentType, expiresInSeconds);
  }

  /**
   * CopyObject (UploadPartCopy above 5 GiB) into this bucket, which encrypts the copy with its own
   * default key; then the copy is read once, streamed, for its SHA-256. Repeating it overwrites the
   * same key with the same bytes.
   */
  async copyIn(
    source: { readonly bucket: string; readonly key: string; readonly bytes?: number },
    key: string,
  ): Promise<{ bytes: number; sha256: string; contentType: string } | undefined> {
    let head;
    try {
      head = await this.s3.send(new HeadObjectCommand({ Bucket: source.bucket, Key: source.key }));
    } catch (error) {
      if (isMissingObject(error)) return undefined;
      throw error;
    }
    const size = head.ContentLength ?? 0;
    if (source.bytes !== undefined && size !== source.bytes) return undefined;
    const contentType = head.ContentType ?? 'application/octet-stream';
    const copySource = `${source.bucket}/${source.key.split('/').map(encodeURIComponent).join('/')}`;
    try {
      if (size <= this.singleCopyMaxBytes) {
        await this.s3.send(
          new CopyObjectCommand({
            Bucket: this.bucket,
            Key: key,
            CopySource: copySource,
            CopySourceIfMatch: head.ETag,
          }),
        );
      } else {
        await this.copyInParts(copySource, head.ETag, size, key, contentType);
      }
    } catch (error) {
      // Deleted since the HEAD: left out, as the API no longer shows it either.
      if (isMissingObject(error)) return undefined;
      throw error;
    }
    const copy = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    const hash = createHash('sha256');
    let bytes = 0;
    for await (const chunk of (copy.Body as Readable | undefined) ?? []) {
      hash.update(chunk as Buffer);
      bytes += (chunk as Buffer).length;
    }
    if (bytes !== size) throw new Error(`The copy holds ${bytes} bytes where the source held ${size}`);
    return { bytes, sha256: hash.digest('hex'), contentType };
  }

  private async copyInParts(
    copySource: string,
    etag: string | undefined,
    size: number,
    key: string,
    contentType: string,
  ): Promise<void> {
    const { UploadId } = await this.s3.send(
      new CreateMultipartUploadCommand({ Bucket: this.bucket, Key: key, ContentType: contentType }),
    );
    try {
      const parts: { ETag?: string; PartNumber: number }[] = [];
      for (let start = 0; start < size; start += this.copyPartBytes) {
        const end = Math.min(size, start + this.copyPartBytes) - 1;
        const PartNumber = parts.length + 1;
        const { CopyPartResult } = await this.s3.send(
          new UploadPartCopyCommand({
            Bucket: this.bucket,
            Key: key,
            UploadId,
            PartNumber,
            CopySource: copySource,
            CopySourceIfMatch: etag,
            CopySourceRange: `bytes=${start}-${end}`,
          }),
        );
        parts.push({ ETag: CopyPartResult?.ETag, PartNumber });
      }
      await this.s3.send(
        new CompleteMultipartUploadCommand({
          Bucket: this.bucket,
          Key: key,
          UploadId,
          MultipartUpload: { Parts: parts },
        }),
      );
    } catch (error) {
      await this.s3
        .send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: key, UploadId }))
        .catch(() => undefined);
      throw error;
    }
  }
}
