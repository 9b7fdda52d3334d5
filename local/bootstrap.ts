import {
  type AttributeDefinition,
  CreateTableCommand,
  DynamoDBClient,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { subjectKeyTableDesign } from '#lib/platform/subject-key-table-design';
import { tableDesign } from '#lib/platform/table-design';
import type { HostingRegionKey } from '#lib/residency/index';
import { localCredentials, localSigningRegion } from './local-credentials.ts';
import { type EmulatorEndpoints, localResourceNames } from './local-environment.ts';

/**
 * Creates a region's tables (records, subject keys) and buckets on the emulators from the same designs
 * the CDK constructs read. Lifecycle rules, encryption and PITR are AWS-side settings the emulators do not model; the
 * infrastructure tests prove them on the synthesized templates.
 */
export async function bootstrapRegion(region: HostingRegionKey, endpoints: EmulatorEndpoints): Promise<void> {
  const names = localResourceNames(region);
  const dynamo = new DynamoDBClient({
    endpoint: endpoints.dynamodb,
    region: localSigningRegion,
    credentials: localCredentials,
  });
  const s3 = new S3Client({
    endpoint: endpoints.s3,
    region: localSigningRegion,
    credentials: localCredentials,
    forcePathStyle: true,
  });
  try {
    await createTable(dynamo, names.table);
    await createSubjectKeyTable(dynamo, names.subjectKeyTable);
    for (const bucket of Object.values(names.buckets)) {
      await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    }
  } finally {
    dynamo.destroy();
    s3.destroy();
  }
}

/** A records table of the table design (key schema, indexes, TTL); one that exists is left as it is. */
export async function createTable(dynamo: DynamoDBClient, tableName: string): Promise<void> {
  const keyNames = [
    tableDesign.partitionKey,
    tableDesign.sortKey,
    ...tableDesign.indexes.flatMap((index) => [index.partitionKey, index.sortKey]),
  ];
  const attributeDefinitions: AttributeDefinition[] = keyNames.map((name) => ({
    AttributeName: name,
    AttributeType: 'S',
  }));
  try {
    await dynamo.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: attributeDefinitions,
        KeySchema: [
          { AttributeName: tableDesign.partitionKey, KeyType: 'HASH' },
          { AttributeName: tableDesign.sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: tableDesign.indexes.map((index) => ({
          IndexName: index.name,
          KeySchema: [
            { AttributeName: index.partitionKey, KeyType: 'HASH' },
            { AttributeName: index.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        })),
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  await dynamo
    .send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: tableDesign.ttlAttribute, Enabled: true },
      }),
    )
    .catch((error: Error) => {
      // Already enabled on a re-bootstrap: nothing to do.
      if (!/already enabled/i.test(error.message)) throw error;
    });
}

/** A subject-key table of its design (one string partition key); one that exists is left as it is. */
export async function createSubjectKeyTable(dynamo: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await dynamo.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: subjectKeyTableDesign.partitionKey, AttributeType: 'S' }],
        KeySchema: [{ AttributeName: subjectKeyTableDesign.partitionKey, KeyType: 'HASH' }],
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
}
