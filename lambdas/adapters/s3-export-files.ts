import { createHash } from 'node:crypto';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  PutObjectCommand,
  type S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import type { ExportFiles } from '#domain/privacy/export-files';
import { S3ObjectStore } from './s3-object-store.ts';

/** Bytes buffered before a part is uploaded: S3 parts are at least 5 MiB (the last may be smaller). */
export const exportPartBytes = 8 * 1024 * 1024;

/**
 * Export files in one bucket. Writes buffer at most one part: a small object is one PutObject, a
 * larger one a multipart upload (aborted if anything fails), so memory stays bounded whatever the size.
 */
export class S3ExportFiles implements ExportFiles {
  private readonly objects: S3ObjectStore;

  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly partBytes = exportPartBytes,
  ) {
    this.objects = new S3ObjectStore(s3);
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

  async *lines(key: string): AsyncIterable<string> {
    const object = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    const body = object.Body as Readable | undefined;
    if (!body) return;
    yield* createInterface({ input: body, crlfDelay: Infinity });
  }

  presignDownload(key: string, expiresInSeconds: number): Promise<string> {
    return this.objects.presignDownload(this.bucket, key, expiresInSeconds);
  }
}
