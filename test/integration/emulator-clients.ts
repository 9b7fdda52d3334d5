import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { localCredentials, localSigningRegion } from '../../local/local-credentials.ts';
import type { LocalEndpoints } from '../../local/platform.ts';
import { type HostingRegionKey, hostingRegions } from '../../lib/residency/index.ts';

/** A DynamoDB document client on the local platform's DynamoDB Local, for tests that look behind the API. */
export function emulatorDocumentClient(platform: LocalEndpoints): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: platform.emulators.dynamodb,
      region: localSigningRegion,
      credentials: localCredentials,
    }),
  );
}

/** An S3 client on the local platform's S3 emulator. */
export function emulatorS3Client(platform: LocalEndpoints): S3Client {
  return new S3Client({
    endpoint: platform.emulators.s3,
    region: localSigningRegion,
    credentials: localCredentials,
    forcePathStyle: true,
  });
}

/** A KMS client on the local KMS endpoint, signing for `region`'s AWS region (where its data key's alias lives). */
export function emulatorKmsClient(platform: LocalEndpoints, region: HostingRegionKey): KMSClient {
  return new KMSClient({
    endpoint: platform.emulators.kms,
    region: hostingRegions[region].awsRegion,
    credentials: localCredentials,
  });
}

/** Whether the S3 emulator holds an object at `key` of `bucket`. */
export async function objectExists(s3: S3Client, bucket: string, key: string): Promise<boolean> {
  try {
    await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return true;
  } catch {
    return false;
  }
}
