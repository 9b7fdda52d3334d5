import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { localCredentials, localSigningRegion } from '../../local/local-credentials.ts';
import type { LocalEndpoints } from '../../local/platform.ts';

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
