import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * The one place AWS SDK clients are made. On AWS they use the function's region and role. Locally the
 * runtime sets `AWS_ENDPOINT_URL_DYNAMODB`, `AWS_ENDPOINT_URL_S3` and `AWS_ENDPOINT_URL_KMS` (read by
 * the SDK itself); S3 emulators additionally need path-style addressing.
 *
 * Every S3 client, on AWS as locally, computes checksums only where an operation requires one. With
 * the SDK's default (`WHEN_SUPPORTED`, client-s3 ≥ 3.729) a presigned PUT carries the CRC32 of an
 * empty body (`x-amz-checksum-crc32=AAAAAA==`), which strict S3-compatible stores hold against the
 * real upload and refuse; a presigned GET carries `x-amz-checksum-mode`. The SDK's own uploads lose
 * nothing: their buffered bodies are still signed by SHA-256 (`x-amz-content-sha256`), which S3 checks.
 */
export interface AwsClients {
  readonly dynamo: DynamoDBDocumentClient;
  readonly s3: S3Client;
  /** Step Functions of this region (locally `AWS_ENDPOINT_URL_SFN` points at the local runner). */
  readonly sfn: SFNClient;
  /** KMS of this region, for what is encrypted directly (locally `AWS_ENDPOINT_URL_KMS`: our KMS endpoint). */
  readonly kms: KMSClient;
  /** S3 of another AWS region (e.g. the US staging bucket seen from the EEA). */
  readonly s3In: (awsRegion: string) => S3Client;
  /** DynamoDB of another AWS region (e.g. the EEA table written by the US transfer workflow). */
  readonly dynamoIn: (awsRegion: string) => DynamoDBDocumentClient;
}

export function createAwsClients(env: NodeJS.ProcessEnv = process.env): AwsClients {
  const s3Emulated = Boolean(env.AWS_ENDPOINT_URL_S3);
  const dynamoIn = (region?: string) =>
    DynamoDBDocumentClient.from(new DynamoDBClient(region ? { region } : {}), {
      marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    });
  const s3In = (region?: string) =>
    new S3Client({
      ...(region && { region }),
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      ...(s3Emulated && { forcePathStyle: true }),
    });
  return { dynamo: dynamoIn(), s3: s3In(), sfn: new SFNClient({}), kms: new KMSClient({}), s3In, dynamoIn };
}

/**
 * KMS of a records table's AWS region with a DynamoDB client's credentials (locally the emulators'
 * credentials, the endpoint from `AWS_ENDPOINT_URL_KMS`): a table's lookup keys are wrapped by the data
 * key of the table's own region.
 */
export const kmsBeside = (dynamo: DynamoDBDocumentClient, awsRegion: string): KMSClient =>
  new KMSClient({ region: awsRegion, credentials: dynamo.config.credentials });
