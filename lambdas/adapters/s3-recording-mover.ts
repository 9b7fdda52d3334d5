import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  type S3Client,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { isMissingObject } from './s3-errors.ts';
import { S3ObjectStore } from './s3-object-store.ts';
import { deleteEveryVersion } from './s3-versions.ts';
import type {
  CopiedUpload,
  ObjectFingerprint,
  RecordingMover,
  RecordingSide,
} from '#domain/calls/recording-mover';

export interface BucketSide {
  readonly client: S3Client;
  readonly bucket: string;
}

export interface S3RecordingMoverOptions {
  /** Objects up to this size copy in one CopyObject (S3's limit is 5 GiB); larger ones in parts. */
  readonly singleCopyLimitBytes?: number;
  readonly partSizeBytes?: number;
}

const gib = 1024 ** 3;

/**
 * Moves recordings between two buckets that may live in different AWS regions. Copies are server-side
 * (CopyObject, or UploadPartCopy for large objects) through the home region's client, encrypted with
 * the home key; fingerprints stream the bytes through SHA-256, so memory stays flat whatever the size.
 */
export class S3RecordingMover implements RecordingMover {
  private readonly singleCopyLimit: number;
  private readonly partSize: number;

  constructor(
    private readonly staging: BucketSide,
    private readonly home: BucketSide & { readonly kmsKeyId?: string },
    options: S3RecordingMoverOptions = {},
  ) {
    this.singleCopyLimit = options.singleCopyLimitBytes ?? 5 * gib;
    this.partSize = options.partSizeBytes ?? 512 * 1024 ** 2;
  }

  exists(side: RecordingSide, key: string): Promise<boolean> {
    const { client, bucket } = this.sideOf(side);
    return new S3ObjectStore(client).exists(bucket, key);
  }

  /**
   * Copies the staged object's current version, named by its version id (where the bucket keeps
   * versions), so an upload landing during the copy cannot mix into it and the verification reads the
   * very bytes copied.
   */
  async copyToHome(key: string): Promise<CopiedUpload> {
    const source = await this.staging.client.send(
      new HeadObjectCommand({ Bucket: this.staging.bucket, Key: key }),
    );
    const size = source.ContentLength ?? 0;
    const versionId = source.VersionId;
    // URL-encoded per segment: S3 accepts it, and the slashes stay readable for emulators too.
    const copySource = `${this.staging.bucket}/${key.split('/').map(encodeURIComponent).join('/')}${
      versionId ? `?versionId=${encodeURIComponent(versionId)}` : ''
    }`;
    const encryption = this.home.kmsKeyId
      ? { ServerSideEncryption: 'aws:kms' as const, SSEKMSKeyId: this.home.kmsKeyId, BucketKeyEnabled: true }
      : {};
    if (size <= this.singleCopyLimit) {
      await this.home.client.send(
        new CopyObjectCommand({
          Bucket: this.home.bucket,
          Key: key,
          CopySource: copySource,
          ContentType: source.ContentType,
          MetadataDirective: 'REPLACE',
          ...encryption,
        }),
      );
    } else {
      await this.copyInParts(key, copySource, size, source.ContentType, encryption);
    }
    return versionId ? { versionId } : {};
  }

  async fingerprint(
    side: RecordingSide,
    key: string,
    versionId?: string,
  ): Promise<ObjectFingerprint | undefined> {
    const { client, bucket } = this.sideOf(side);
    let body: Readable;
    try {
      const object = await client.send(
        new GetObjectCommand({ Bucket: bucket, Key: key, ...(versionId && { VersionId: versionId }) }),
      );
      body = object.Body as Readable;
    } catch (error) {
      if (isMissingObject(error)) return undefined;
      throw error;
    }
    const hash = createHash('sha256');
    let size = 0;
    for await (const chunk of body) {
      const bytes = chunk as Buffer;
      size += bytes.length;
      hash.update(bytes);
    }
    return { size, sha256: hash.digest('hex') };
  }

  deleteStaged(key: string): Promise<number> {
    return deleteEveryVersion(this.staging.client, this.staging.bucket, key);
  }

  deleteHome(key: string): Promise<number> {
    return deleteEveryVersion(this.home.client, this.home.bucket, key);
  }

  private async copyInParts(
    key: string,
    copySource: string,
    size: number,
    contentType: string | undefined,
    encryption: object,
  ): Promise<void> {
    const { client, bucket } = this.home;
    const upload = await client.send(
      new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, ContentType: contentType, ...encryption }),
    );
    const uploadId = upload.UploadId;
    try {
      const parts: { ETag?: string; PartNumber: number }[] = [];
      for (let start = 0, partNumber = 1; start < size; start += this.partSize, partNumber += 1) {
        const end = Math.min(start + this.partSize, size) - 1;
        const part = await client.send(
          new UploadPartCopyCommand({
            Bucket: bucket,
            Key: key,
            UploadId: uploadId,
            PartNumber: partNumber,
            CopySource: copySource,
            CopySourceRange: `bytes=${start}-${end}`,
          }),
        );
        parts.push({ ETag: part.CopyPartResult?.ETag, PartNumber: partNumber });
      }
      await client.send(
        new CompleteMultipartUploadCommand({
          Bucket: bucket,
          Key: key,
          UploadId: uploadId,
          MultipartUpload: { Parts: parts },
        }),
      );
    } catch (error) {
      await client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId }));
      throw error;
    }
  }

  private sideOf(side: RecordingSide): BucketSide {
    return side === 'staging' ? this.staging : this.home;
  }
}
