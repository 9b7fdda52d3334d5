import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { collectionShards } from '#lib/platform/table-design';
import type { RecordType } from '#domain/records/record';
import type { LookupRead, LookupReader } from '#domain/search/search-executor';
import type { Lookup } from '#domain/search/search-lookups';
import { DynamoBatches } from './dynamo-batches.ts';
import { RECORD_SK, lookupPk, rangeLookupPk, recordPk } from './record-keys.ts';

type Key = Record<string, unknown>;

/** One partition's part of a lookup: its key condition, read page by page. */
interface Partition {
  readonly condition: string;
  readonly values: Record<string, string>;
  next?: Key;
  done: boolean;
}

/**
 * Reads search's lookup items of one account and record type by Query (docs/search.md): an equality
 * lookup is one partition, a range lookup a sort-key range in each of its field's 8 shards. Ids only
 * (`record_id`); strongly consistent, since the items are written in the record's transaction.
 */
export class DynamoLookupReader implements LookupReader {
  private readonly batches: DynamoBatches;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly accountId: string,
    private readonly type: RecordType,
  ) {
    this.batches = new DynamoBatches(client, tableName, 8);
  }

  async read(lookup: Lookup, limit: number): Promise<LookupRead> {
    const partitions = this.partitionsOf(lookup);
    const ids: number[] = [];
    // Each round reads a slice of the limit from every partition not yet exhausted, in parallel.
    const slice = Math.ceil(limit / partitions.length) + 1;
    while (ids.length <= limit && partitions.some((partition) => !partition.done)) {
      const pages = await Promise.all(
        partitions.filter((partition) => !partition.done).map((partition) => this.page(partition, slice)),
      );
      ids.push(...pages.flat());
    }
    return ids.length > limit ? { ids: ids.slice(0, limit), complete: false } : { ids, complete: true };
  }

  async lookupValues(ids: readonly number[]): Promise<ReadonlyMap<number, Readonly<Record<string, string>>>> {
    const items = await this.batches.get(
      ids.map((id) => ({ pk: recordPk(this.accountId, { type: this.type, id }), sk: RECORD_SK })),
      'record_id, lookup_values, deleted_at, superseded_by',
    );
    return new Map(
      items
        .filter((item) => !item.deleted_at && !item.superseded_by)
        .map((item) => [item.record_id as number, (item.lookup_values ?? {}) as Record<string, string>]),
    );
  }

  private partitionsOf(lookup: Lookup): Partition[] {
    if (lookup.kind === 'eq') {
      const pk = lookupPk(this.accountId, this.type, lookup.name, lookup.value);
      return [{ condition: 'pk = :pk', values: { ':pk': pk }, done: false }];
    }
    // '#' then '~' bound every id suffix of a value, so both ends of the range are included.
    const bounds: [string, Record<string, string>] =
      lookup.from !== undefined && lookup.to !== undefined
        ? ['sk BETWEEN :from AND :to', { ':from': `${lookup.from}#`, ':to': `${lookup.to}#~` }]
        : lookup.from !== undefined
          ? ['sk >= :from', { ':from': `${lookup.from}#` }]
          : ['sk <= :to', { ':to': `${lookup.to}#~` }];
    return Array.from({ length: collectionShards }, (_, shard) => ({
      condition: `pk = :pk AND ${bounds[0]}`,
      values: { ':pk': rangeLookupPk(this.accountId, this.type, lookup.field, shard), ...bounds[1] },
      done: false,
    }));
  }

  private async page(partition: Partition, limit: number): Promise<number[]> {
    const { Items = [], LastEvaluatedKey } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: partition.condition,
        ExpressionAttributeValues: partition.values,
        ProjectionExpression: 'record_id',
        ExclusiveStartKey: partition.next,
        Limit: limit,
        ConsistentRead: true,
      }),
    );
    partition.next = LastEvaluatedKey;
    partition.done = !LastEvaluatedKey;
    return Items.map((item) => item.record_id as number);
  }
}
