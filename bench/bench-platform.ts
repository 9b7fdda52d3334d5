import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { localCredentials, localSigningRegion } from '../local/local-credentials.ts';
import { type LocalEndpoints, type LocalPlatformOptions, startLocalPlatform } from '../local/platform.ts';

/**
 * Runs `bench` on a freshly started local platform, with a document client on its DynamoDB Local for
 * the raw baselines; stops everything afterwards.
 */
export async function withBenchPlatform(
  bench: (endpoints: LocalEndpoints, dynamo: DynamoDBDocumentClient) => Promise<void>,
  options: Pick<LocalPlatformOptions, 'workflowHeapMiB' | 'dynamodbRoundTripMs'> = {},
): Promise<void> {
  const stateDir = mkdtempSync(join(tmpdir(), 'helpdesk-bench-'));
  const platform = await startLocalPlatform({ stateDir, ...options });
  const dynamo = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: platform.endpoints.emulators.dynamodb,
      region: localSigningRegion,
      credentials: localCredentials,
    }),
    { marshallOptions: { removeUndefinedValues: true } },
  );
  try {
    await bench(platform.endpoints, dynamo);
  } finally {
    dynamo.destroy();
    await platform.stop();
    rmSync(stateDir, { recursive: true, force: true });
  }
}
