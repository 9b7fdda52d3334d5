import { DescribeTableCommand, DescribeTimeToLiveCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { subjectKeyTableName } from '../../lib/platform/names.ts';
import { subjectKeyTableDesign } from '../../lib/platform/subject-key-table-design.ts';
import { tableDesign } from '../../lib/platform/table-design.ts';
import { hostingRegionKeys } from '../../lib/residency/index.ts';
import { localCredentials, localSigningRegion } from '../../local/local-credentials.ts';

const platform = inject('localPlatform');
const dynamo = new DynamoDBClient({
  endpoint: platform.emulators.dynamodb,
  region: localSigningRegion,
  credentials: localCredentials,
});
const s3 = new S3Client({
  endpoint: platform.emulators.s3,
  region: localSigningRegion,
  credentials: localCredentials,
  forcePathStyle: true,
});
afterAll(() => {
  dynamo.destroy();
  s3.destroy();
});

describe('local bootstrap from the shared designs', () => {
  it.each(hostingRegionKeys)('creates the %s table with the designed indexes and TTL', async (region) => {
    const tableName = platform.regions[region].table;

    const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: tableName }));
    const ttl = await dynamo.send(new DescribeTimeToLiveCommand({ TableName: tableName }));

    expect(Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName).sort()).toEqual(
      tableDesign.indexes.map((index) => index.name).sort(),
    );
    expect(ttl.TimeToLiveDescription?.AttributeName).toBe(tableDesign.ttlAttribute);
  });

  it.each(hostingRegionKeys)('creates the %s subject-key table with its designed key', async (region) => {
    const tableName = platform.regions[region].subjectKeyTable;

    const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: tableName }));

    expect(tableName).toBe(subjectKeyTableName(region));
    expect(Table?.KeySchema).toEqual([
      { AttributeName: subjectKeyTableDesign.partitionKey, KeyType: 'HASH' },
    ]);
    expect(Table?.GlobalSecondaryIndexes).toBeUndefined();
  });

  it('creates recordings buckets only for US and EEA, and EEA log copies only in the EEA', async () => {
    const { Buckets = [] } = await s3.send(new ListBucketsCommand({}));
    const names = Buckets.map((bucket) => bucket.Name);

    for (const region of hostingRegionKeys) {
      for (const bucket of Object.values(platform.regions[region].buckets)) expect(names).toContain(bucket);
    }
    expect(Object.keys(platform.regions.us.buckets)).toContain('recordings');
    expect(Object.keys(platform.regions.eea.buckets)).toContain('recordings');
    expect(Object.keys(platform.regions.in.buckets)).not.toContain('recordings');
    expect(Object.keys(platform.regions.au.buckets)).not.toContain('recordings');
    expect(Object.keys(platform.regions.eea.buckets)).toContain('eea-log-copies');
    expect(Object.keys(platform.regions.us.buckets)).not.toContain('eea-log-copies');
  });
});
