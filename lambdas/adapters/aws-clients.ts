import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * The one place AWS SDK clients are made. On AWS they use the function's region and role. Locally the
 * runtime sets `AWS_ENDPOINT_URL_DYNAMODB` / `AWS_ENDPOINT_URL_S3` (read by the SDK itself); S3
 * emulators additionally need path-style addressing and checksums only where required.
 */
export interface AwsClients {
  readonly dynamo: DynamoDBDocumentClient;
  readonly s3: S3Client;
}

export function createAwsClients(env: NodeJS.ProcessEnv = process.env): AwsClients {
  const s3Emulated = Boolean(env.AWS_ENDPOINT_URL_S3);
  const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  const s3 = new S3Client(
    s3Emulated
      ? {
          forcePathStyle: true,
          requestChecksumCalculation: 'WHEN_REQUIRED',
          responseChecksumValidation: 'WHEN_REQUIRED',
        }
      : {},
  );
  return { dynamo, s3 };
}
