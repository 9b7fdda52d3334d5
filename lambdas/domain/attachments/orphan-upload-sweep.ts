import type { ObjectStore } from '#domain/object-store';
import type { RecordStore } from '#domain/records/record-store';
import type { AttachmentFields } from './attachment-service.ts';
import type { PendingUploads, UploadedObject } from './pending-uploads.ts';

export interface OrphanUploadSweepDependencies {
  readonly uploads: PendingUploads;
  readonly store: RecordStore;
  readonly objects: Pick<ObjectStore, 'sizeOf' | 'delete'>;
  /** The region's attachments bucket. */
  readonly bucket: string;
  readonly now: () => Date;
}

/** At most this many uploads are settled per run; the next run (hourly) takes the rest. */
const uploadsPerRun = 500;

/**
 * Removes attachment objects no record keeps, once their upload is due (`orphanUploadHours`): an
 * object whose record was never committed or no longer exists (erased, purged), and a presigned
 * upload of another size than announced, which can never show (its URL has expired). Objects of live
 * or trashed records stay. Each due upload is a Query of the region's deadlines index, whatever the
 * number of accounts or objects. On the versioned bucket a removal is a delete marker; the bytes go
 * with the bucket's noncurrent-version rule a day later.
 */
export class OrphanUploadSweep {
  constructor(private readonly deps: OrphanUploadSweepDependencies) {}

  /** Settles the due uploads; answers how many objects it removed. */
  async sweep(): Promise<{ settled: number; removed: number }> {
    const due = await this.deps.uploads.due(this.deps.now().toISOString(), uploadsPerRun);
    let removed = 0;
    for (const upload of due) {
      for (const object of upload.objects) {
        if (await this.removeIfOrphan(upload.accountId, object)) removed += 1;
      }
      await this.deps.uploads.settle(upload);
    }
    return { settled: due.length, removed };
  }

  private async removeIfOrphan(
    accountId: string,
    { attachmentId, objectKey }: UploadedObject,
  ): Promise<boolean> {
    const { store, objects, bucket } = this.deps;
    const size = await objects.sizeOf(bucket, objectKey);
    if (size === undefined) return false;
    const record = await store.get<AttachmentFields>(accountId, { type: 'attachment', id: attachmentId });
    const kept =
      record?.fields.object_key === objectKey &&
      (record.fields.upload === 'direct' || record.fields.size === size);
    if (kept) return false;
    await objects.delete(bucket, objectKey);
    return true;
  }
}
