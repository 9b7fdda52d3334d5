/**
 * The single DynamoDB table of a hosting region, described once and read by the CDK construct and by
 * the local bootstrap, so both create the same key schema, indexes and TTL attribute.
 * The access patterns behind each index are listed in docs/access-patterns.md.
 */
export interface IndexDesign {
  readonly name: string;
  readonly partitionKey: string;
  readonly sortKey: string;
  readonly purpose: string;
}

export const tableDesign = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Epoch seconds; items carrying it (e.g. purged trash markers, idempotency records) expire. */
  ttlAttribute: 'expires_at',
  indexes: [
    {
      name: 'gsi1',
      partitionKey: 'gsi1pk',
      sortKey: 'gsi1sk',
      purpose: 'collections of an account, write-sharded (<account>#<type>#<shard>), newest first',
    },
    {
      name: 'gsi2',
      partitionKey: 'gsi2pk',
      sortKey: 'gsi2sk',
      purpose: 'children of a parent record (tickets by requester, by company; comments by topic)',
    },
    {
      name: 'gsi3',
      partitionKey: 'gsi3pk',
      sortKey: 'gsi3sk',
      purpose:
        'second parent of a record (tickets by company; privacy requests by type and status, by update time)',
    },
    {
      name: 'gsi4',
      partitionKey: 'gsi4pk',
      sortKey: 'gsi4sk',
      purpose:
        'deadlines of the whole region by kind (DEADLINE#<kind>), soonest first: overdue privacy requests, trash purges, pending attachment uploads',
    },
  ] satisfies IndexDesign[],
} as const;

/** Number of write shards per account collection in gsi1; lists query each shard and merge. */
export const collectionShards = 8;
