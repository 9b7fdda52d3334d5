import { DescribeTableCommand, DynamoDBClient, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import {
  type AttributeValue,
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  TrimmedDataAccessException,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
} from '@aws-sdk/client-dynamodb-streams';
import { isDeepStrictEqual } from 'node:util';
import { localCredentials, localSigningRegion } from '../../local/local-credentials.ts';
import type { LocalEndpoints } from '../../local/platform.ts';

/** One item of the account that a write changed: its key, and what it held before and after. */
export interface ItemChange {
  readonly event: string;
  readonly key: string;
  readonly before?: Record<string, AttributeValue>;
  readonly after?: Record<string, AttributeValue>;
}

/**
 * The changes made to one account's items of a region's table, read from the table's stream (turned on
 * by `start`, on the emulator only). A test asks which of the account's items changed since it last
 * asked, at a cost that follows the writes made meanwhile, where a Scan's follows the size of the shared
 * table: the search lookups of every other test file made one Scan take seconds.
 */
export class AccountChangeFeed {
  private readonly dynamo: DynamoDBClient;
  private readonly streams: DynamoDBStreamsClient;
  private streamArn = '';
  /** The next iterator of every shard read so far; `undefined` once a closed shard is read to its end. */
  private readonly iterators = new Map<string, string | undefined>();

  constructor(
    platform: LocalEndpoints,
    private readonly table: string,
    private readonly accountId: string,
    /** Items that change without data being written (request counters), by their `item_type`. */
    private readonly ignoredItemTypes: readonly string[] = [],
  ) {
    const emulator = {
      endpoint: platform.emulators.dynamodb,
      region: localSigningRegion,
      credentials: localCredentials,
    };
    this.dynamo = new DynamoDBClient(emulator);
    this.streams = new DynamoDBStreamsClient(emulator);
  }

  /** Turns the table's stream on (if another file did not) and starts reading at its latest record. */
  async start(): Promise<void> {
    const { Table } = await this.dynamo.send(new DescribeTableCommand({ TableName: this.table }));
    this.streamArn = Table?.StreamSpecification?.StreamEnabled
      ? (Table.LatestStreamArn ?? '')
      : ((
          await this.dynamo.send(
            new UpdateTableCommand({
              TableName: this.table,
              StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
            }),
          )
        ).TableDescription?.LatestStreamArn ?? '');
    if (!this.streamArn) throw new Error(`The table ${this.table} has no stream to read`);
    for (const shardId of await this.shardIds()) {
      this.iterators.set(shardId, await this.iterator(shardId, 'LATEST'));
    }
  }

  /** The account's items changed since the last call (or `start`), in the order they were written. */
  async changes(): Promise<ItemChange[]> {
    const records: StreamRecord[] = [];
    for (const shardId of await this.shardIds()) {
      // A shard opened since the last read is read from its beginning.
      if (!this.iterators.has(shardId))
        this.iterators.set(shardId, await this.iterator(shardId, 'TRIM_HORIZON'));
      records.push(...(await this.drain(shardId)));
    }
    return records.flatMap((record) => this.accountChange(record));
  }

  close(): void {
    this.dynamo.destroy();
    this.streams.destroy();
  }

  private accountChange(record: StreamRecord): ItemChange[] {
    // Images stay as the stream gives them: its client reads an empty list or map as `{}`, which
    // unmarshalling refuses; equal items give equal images all the same.
    const { Keys: keys, OldImage: before, NewImage: after } = record.dynamodb ?? {};
    const key = `${keys?.pk?.S ?? ''} ${keys?.sk?.S ?? ''}`;
    if (!key.startsWith(`A#${this.accountId}#`)) return [];
    const itemType = (after ?? before)?.item_type?.S ?? '';
    if (this.ignoredItemTypes.includes(itemType) || isDeepStrictEqual(before, after)) return [];
    return [{ event: record.eventName ?? '', key, before, after }];
  }

  /** Every record a shard holds past its iterator; the iterator moves on to the next one. */
  private async drain(shardId: string): Promise<StreamRecord[]> {
    const records: StreamRecord[] = [];
    let iterator = this.iterators.get(shardId);
    while (iterator) {
      const page = await this.recordsAt(shardId, iterator);
      records.push(...(page.Records ?? []));
      iterator = page.NextShardIterator;
      // An open shard answers an empty page at its end, with an iterator to ask again later.
      if ((page.Records ?? []).length === 0) break;
    }
    this.iterators.set(shardId, iterator);
    return records;
  }

  /** Shards read at least once: their iterators are positions the shard has handed out. */
  private readonly read = new Set<string>();

  /**
   * One page of a shard's records. DynamoDB Local may answer a `LATEST` iterator asked for just after
   * the stream was turned on as trimmed: the shard then holds only records written since `start`, so
   * reading it from its beginning (`TRIM_HORIZON`) gives the same records. Later reads never fall back.
   */
  private async recordsAt(shardId: string, iterator: string) {
    try {
      const page = await this.streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
      this.read.add(shardId);
      return page;
    } catch (error) {
      if (!(error instanceof TrimmedDataAccessException) || this.read.has(shardId)) throw error;
      this.read.add(shardId);
      const fromStart = await this.iterator(shardId, 'TRIM_HORIZON');
      return this.streams.send(new GetRecordsCommand({ ShardIterator: fromStart }));
    }
  }

  private async shardIds(): Promise<string[]> {
    const shardIds: string[] = [];
    let exclusiveStartShardId: string | undefined;
    do {
      const { StreamDescription } = await this.streams.send(
        new DescribeStreamCommand({
          StreamArn: this.streamArn,
          ExclusiveStartShardId: exclusiveStartShardId,
        }),
      );
      shardIds.push(...(StreamDescription?.Shards ?? []).map((shard) => shard.ShardId ?? ''));
      exclusiveStartShardId = StreamDescription?.LastEvaluatedShardId;
    } while (exclusiveStartShardId);
    return shardIds;
  }

  private async iterator(shardId: string, type: 'LATEST' | 'TRIM_HORIZON'): Promise<string | undefined> {
    const { ShardIterator } = await this.streams.send(
      new GetShardIteratorCommand({ StreamArn: this.streamArn, ShardId: shardId, ShardIteratorType: type }),
    );
    return ShardIterator;
  }
}
