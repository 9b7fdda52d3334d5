import { NoSuchKey, NotFound } from '@aws-sdk/client-s3';

/** Whether an S3 error says there is no such object (HEAD answers NotFound, GET NoSuchKey). */
export function isMissingObject(error: unknown): boolean {
  const name = (error as { name?: string }).name;
  return (
    error instanceof NotFound || error instanceof NoSuchKey || name === 'NotFound' || name === 'NoSuchKey'
  );
}
