import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetBucketVersioningCommand,
  ListObjectVersionsCommand,
  type ObjectIdentifier,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { ObjectVersions } from '#domain/object-versions';
import { S3ObjectStore } from './s3-object-store.ts';

/** Deletes up to 1,000 objects (or versions) in one call; throws if S3 kept any, so a retry finishes. */
export async function deleteObjects(
  client: S3Client,
  bucket: string,
  objects: ObjectIdentifier[],
): Promise<number> {
  if (objects.length === 0) return 0;
  const result = await client.send(
    new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects, Quiet: true } }),
  );
  if (result.Errors?.length) throw new Error(`${result.Errors.length} objects could not be deleted; retry.`);
  return objects.length;
}

/** A bucket that never had versioning enabled (or a store without versioning) has one copy per key. */
async function isVersioned(client: S3Client, bucket: string): Promise<boolean> {
  try {
    const versioning = await client.send(new GetBucketVersioningCommand({ Bucket: bucket }));
    return versioning.Status !== undefined;
  } catch (error) {
    if ((error as { name?: string }).name === 'NotImplemented') return false;
    throw error;
  }
}

/**
 * Deletes every version and delete marker of one key, page by page (other keys sharing the prefix are
 * left alone); answers how many went. Repeating it deletes nothing more.
 */
export async function deleteEveryVersion(client: S3Client, bucket: string, key: string): Promise<number> {
  if (!(await isVersioned(client, bucket))) {
    const existed = await new S3ObjectStore(client).exists(bucket, key);
    await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    return existed ? 1 : 0;
  }
  let deleted = 0;
  let keyMarker: string | undefined;
  let versionIdMarker: string | undefined;
  do {
    const page = await client.send(
      new ListObjectVersionsCommand({
        Bucket: bucket,
        Prefix: key,
        KeyMarker: keyMarker,
        VersionIdMarker: versionIdMarker,
      }),
    );
    const objects: ObjectIdentifier[] = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])]
      .filter((version) => version.Key === key)
      .map((version) => ({ Key: key, VersionId: version.VersionId }));
    deleted += await deleteObjects(client, bucket, objects);
    keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
    versionIdMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
  } while (keyMarker);
  return deleted;
}

/** `ObjectVersions` over one S3 client (e.g. the US staging bucket's, seen from the EEA). */
export class S3ObjectVersions implements ObjectVersions {
  constructor(private readonly client: S3Client) {}

  deleteEveryVersion(bucket: string, key: string): Promise<number> {
    return deleteEveryVersion(this.client, bucket, key);
  }
}
