import { CopyObjectCommand, DeleteObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { ErasureObjects, HeldObject, RecordBucket } from '#domain/privacy/erasure-objects';
import { isMissingObject } from './s3-errors.ts';
import { S3ObjectStore } from './s3-object-store.ts';
import { deleteEveryVersion } from './s3-versions.ts';

/** The region's buckets erasure works on: where records' objects live, and the trash. */
export interface ErasureBuckets {
  readonly attachments: string;
  /** Absent where the region hosts no recordings. */
  readonly recordings?: string;
  /** Absent for the 60-day purge, which only ever deletes. */
  readonly trash?: string;
  /**
   * The bucket in another region where this region's recordings wait during their hold (EEA: the US
   * staging bucket), with a client of that region; absent where the region stages nothing.
   */
  readonly recordingStaging?: { readonly bucket: string; readonly client: S3Client };
}

/**
 * Erasure's object operations as S3 server-side copies and deletes: bytes, content type and metadata
 * travel unchanged (CopyObject keeps them), each destination encrypted by its bucket's own key. Staged
 * recordings are only ever deleted (every version), never copied.
 */
export class S3ErasureObjects implements ErasureObjects {
  private readonly objects: S3ObjectStore;

  constructor(
    private readonly client: S3Client,
    private readonly buckets: ErasureBuckets,
  ) {
    this.objects = new S3ObjectStore(client);
  }

  exists(object: HeldObject): Promise<boolean> {
    return this.objects.exists(this.bucketOf(object.bucket), object.key);
  }

  copyToTrash(object: HeldObject, trashKey: string): Promise<boolean> {
    return this.copy(this.bucketOf(object.bucket), object.key, this.trashBucket(), trashKey);
  }

  copyBack(trashKey: string, object: HeldObject): Promise<boolean> {
    return this.copy(this.trashBucket(), trashKey, this.bucketOf(object.bucket), object.key);
  }

  async deleteEveryVersion(object: HeldObject): Promise<number> {
    if (object.bucket === 'recording-staging') {
      const staging = this.buckets.recordingStaging;
      // A region that stages no recordings has none of them staged anywhere.
      return staging ? deleteEveryVersion(staging.client, staging.bucket, object.key) : 0;
    }
    return deleteEveryVersion(this.client, this.bucketOf(object.bucket), object.key);
  }

  async moveTrashCopy(fromKey: string, toKey: string): Promise<boolean> {
    const trash = this.trashBucket();
    if (!(await this.copy(trash, fromKey, trash, toKey))) return this.objects.exists(trash, toKey);
    await this.deleteTrashCopy(fromKey);
    return true;
  }

  async deleteTrashCopy(trashKey: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.trashBucket(), Key: trashKey }));
  }

  private trashBucket(): string {
    if (!this.buckets.trash) throw new Error('No trash bucket was given: these objects are only deleted');
    return this.buckets.trash;
  }

  private bucketOf(kind: RecordBucket): string {
    if (kind === 'recording-staging') throw new Error('Staged recordings are only deleted, never read');
    const bucket = this.buckets[kind];
    if (!bucket) throw new Error(`This region has no ${kind} bucket`);
    return bucket;
  }

  /** Objects up to 5 GiB (S3's CopyObject limit): attachments stop at 100 MiB, recordings far below. */
  private async copy(fromBucket: string, fromKey: string, toBucket: string, toKey: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: fromBucket, Key: fromKey }));
    } catch (error) {
      if (isMissingObject(error)) return false;
      throw error;
    }
    await this.client.send(
      new CopyObjectCommand({
        Bucket: toBucket,
        Key: toKey,
        CopySource: `${fromBucket}/${fromKey.split('/').map(encodeURIComponent).join('/')}`,
        MetadataDirective: 'COPY',
      }),
    );
    return true;
  }
}
