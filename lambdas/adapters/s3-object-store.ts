import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { isMissingObject } from './s3-errors.ts';
import {
  type ObjectStore,
  type PresignedDownload,
  type PresignedUpload,
  presignedUrlMaxSeconds,
  type UploadTerms,
} from '#domain/object-store';

/** Headers the presigner signs into an upload URL (by default it leaves Content-Type out). */
const boundUploadHeaders = new Set(['content-type', 'content-length']);

/**
 * How long a URL signed at `now` can work: what was asked, never past `presignedUrlMaxSeconds`, and
 * never past the signing credentials' expiry when the SDK knows it (S3 refuses the URL after either).
 */
function presignedLifetimeSeconds(requested: number, now: Date, credentialsExpire?: Date): number {
  const credentialSeconds = credentialsExpire
    ? Math.floor((credentialsExpire.getTime() - now.getTime()) / 1000)
    : Infinity;
  return Math.max(1, Math.min(requested, presignedUrlMaxSeconds, credentialSeconds));
}

export class S3ObjectStore implements ObjectStore {
  constructor(
    private readonly s3: S3Client,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async presignUpload(
    bucket: string,
    key: string,
    terms: UploadTerms,
    expiresInSeconds: number,
  ): Promise<PresignedUpload> {
    const command = new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      ContentType: terms.contentType,
      ContentLength: terms.bytes,
    });
    const headers: Record<string, string> = { 'Content-Type': terms.contentType };
    if (terms.bytes !== undefined) headers['Content-Length'] = String(terms.bytes);
    return { ...(await this.presign(command, expiresInSeconds, boundUploadHeaders)), headers };
  }

  /** A GET that answers as a download (`Content-Disposition: attachment`, no file name) of `contentType`. */
  async presignDownload(
    bucket: string,
    key: string,
    contentType: string,
    expiresInSeconds: number,
  ): Promise<PresignedDownload> {
    const command = new GetObjectCommand({
      Bucket: bucket,
      Key: key,
      ResponseContentDisposition: 'attachment',
      ResponseContentType: contentType,
    });
    return this.presign(command, expiresInSeconds);
  }

  async exists(bucket: string, key: string): Promise<boolean> {
    return (await this.sizeOf(bucket, key)) !== undefined;
  }

  async sizeOf(bucket: string, key: string): Promise<number | undefined> {
    try {
      const head = await this.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      return head.ContentLength ?? 0;
    } catch (error) {
      if (isMissingObject(error)) return undefined;
      throw error;
    }
  }

  async put(bucket: string, key: string, bytes: Uint8Array, contentType: string): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes, ContentType: contentType }),
    );
  }

  async delete(bucket: string, key: string): Promise<void> {
    await this.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
  }

  /** Signs `command` now, for a lifetime bounded by the credentials that sign it; answers when it ends. */
  private async presign(
    command: PutObjectCommand | GetObjectCommand,
    requestedSeconds: number,
    signableHeaders?: Set<string>,
  ): Promise<Pick<PresignedUpload, 'url' | 'expiresAt'>> {
    // SigV4 dates have whole seconds: the URL's expiry counts from the second it names.
    const signingDate = new Date(Math.floor(this.now().getTime() / 1000) * 1000);
    const { expiration } = await this.s3.config.credentials();
    const expiresIn = presignedLifetimeSeconds(requestedSeconds, signingDate, expiration);
    const url = await getSignedUrl(this.s3, command, { signingDate, expiresIn, signableHeaders });
    return { url, expiresAt: new Date(signingDate.getTime() + expiresIn * 1000).toISOString() };
  }
}
