import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { localCredentials, localSigningRegion } from './local-credentials.ts';
import type { EmulatorEndpoints } from './local-environment.ts';

/** A DynamoDB document client on the local platform's DynamoDB Local (destroy it when done). */
export function localDocumentClient(endpoints: EmulatorEndpoints): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: endpoints.dynamodb,
      region: localSigningRegion,
      credentials: localCredentials,
    }),
  );
}
