import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mapBounded } from '../lambdas/domain/privacy/bounded.ts';
import { type HostingRegionKey, hostingRegionKeys, hostingRegions } from '../lib/residency/index.ts';
import { keyAlias } from '../lib/platform/names.ts';
import { bootstrapRegion } from '../local/bootstrap.ts';
import { startDynamoDbLocal } from '../local/emulators/dynamodb-local.ts';
import { startKmsEmulator } from '../local/emulators/kms-emulator.ts';
import { startS3Emulator } from '../local/emulators/s3-emulator.ts';
import { localAwsAccountId, localCredentials, localSigningRegion } from '../local/local-credentials.ts';
import { localResourceNames } from '../local/local-environment.ts';

/** What a bench of workflow steps runs against: one region's table and buckets on the emulators. */
export interface BenchEmulators {
  readonly dynamo: DynamoDBDocumentClient;
  readonly s3: S3Client;
  readonly names: ReturnType<typeof localResourceNames>;
}

/**
 * Runs `bench` against freshly started DynamoDB Local and S3 emulators with `region`'s table and
 * buckets (no API, no workflows: the bench calls the workflow's steps in its own process); stops
 * everything afterwards.
 */
export async function withBenchEmulators(
  region: HostingRegionKey,
  bench: (emulators: BenchEmulators) => Promise<void>,
): Promise<void> {
  const stateDir = mkdtempSync(join(tmpdir(), 'helpdesk-step-bench-'));
  const dynamoEmulator = await startDynamoDbLocal();
  const s3Emulator = await startS3Emulator(join(stateDir, 's3'));
  // Each region's data key: the record store keys lookups with accounts' lookup keys made under it.
  const kmsEmulator = await startKmsEmulator(
    hostingRegionKeys.map((key) => ({
      alias: keyAlias(key, 'data'),
      awsRegion: hostingRegions[key].awsRegion,
    })),
    localAwsAccountId,
  );
  process.env.AWS_ENDPOINT_URL_KMS = kmsEmulator.endpoint;
  const dynamo = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: dynamoEmulator.endpoint,
      region: localSigningRegion,
      credentials: localCredentials,
    }),
    { marshallOptions: { removeUndefinedValues: true } },
  );
  const s3 = new S3Client({
    endpoint: s3Emulator.endpoint,
    region: localSigningRegion,
    credentials: localCredentials,
    forcePathStyle: true,
  });
  try {
    await bootstrapRegion(region, { dynamodb: dynamoEmulator.endpoint, s3: s3Emulator.endpoint });
    await bench({ dynamo, s3, names: localResourceNames(region) });
  } finally {
    dynamo.destroy();
    s3.destroy();
    await s3Emulator.stop();
    await kmsEmulator.stop();
    await dynamoEmulator.stop();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

/** Writes items in batches of 25, eight batches at a time, until DynamoDB has taken every one. */
export async function writeItems(
  dynamo: DynamoDBDocumentClient,
  table: string,
  items: readonly object[],
): Promise<void> {
  const batches = Array.from({ length: Math.ceil(items.length / 25) }, (_, b) =>
    items.slice(b * 25, b * 25 + 25),
  );
  await mapBounded(batches, 8, async (batch) => {
    let pending = batch.map((Item) => ({ PutRequest: { Item } }));
    while (pending.length > 0) {
      const result = await dynamo.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
      pending = (result.UnprocessedItems?.[table] ?? []) as typeof pending;
    }
  });
}

/**
 * Medians of `rounds` timings of the same work in an otherwise empty account and in a large one,
 * alternating, so both see the same drift in machine load.
 */
export async function alternatingMedians(
  rounds: number,
  inEmptyAccount: () => Promise<number>,
  inLargeAccount: () => Promise<number>,
): Promise<{ empty: number; large: number }> {
  const empty: number[] = [];
  const large: number[] = [];
  for (let round = 0; round < rounds; round++) {
    empty.push(await inEmptyAccount());
    large.push(await inLargeAccount());
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
  return { empty: median(empty), large: median(large) };
}
