import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { collectionShards } from '#lib/platform/table-design';
import type { RecordType } from '#domain/records/record';
import type { LookupRead, LookupReader } from '#domain/search/search-executor';
import type { Lookup } from '#domain/search/search-lookups';
import type { LookupHasher } from '#domain/encryption/lookup-hasher';
import { DynamoBatches, type ItemKey } from './dynamo-batches.ts';
import { RECORD_SK, collectionSk, lookupPk, rangeLookupPk, recordPk, shardOf } from './record-keys.ts';

type Key = Record<string, unknown>;

/** One partition's part of a lookup: its key condition, read page by page. */
interface Partition {
  readonly equality: boolean;
  readonly condition: string;
  readonly values: Record<string, string>;
  next?: Key;
  done: boolean;
}

/** A lookup read so far: where each partition stopped, the ids read, and the read under way. */
interface LookupState {
  readonly partitions: Partition[];
  readonly ids: number[];
  pending: Promise<unknown>;
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
    /** The account's keyed hash: equality lookups are keyed by it, and `lookupValues` hold it. */
    private readonly hasher: LookupHasher,
  ) {
    this.batches = new DynamoBatches(client, tableName, 8);
  }

  /** Each lookup's read so far: a larger limit goes on from there (reads of one lookup take turns). */
  private readonly states = new Map<string, LookupState>();
  /** When each record seen in an equality lookup was created: the sort key of its other lookup items. */
  private readonly createdAt = new Map<number, string>();

  async read(lookup: Lookup, limit: number): Promise<LookupRead> {
    const key = JSON.stringify(lookup);
    let state = this.states.get(key);
    if (!state) {
      state = { partitions: this.partitionsOf(lookup), ids: [], pending: Promise.resolve() };
      this.states.set(key, state);
    }
    const current = state;
    const grown = current.pending.then(() => this.grow(current, limit));
    current.pending = grown.catch(() => undefined);
    return grown;
  }

  /** Reads on until `limit` ids are read beyond (or every partition is exhausted). */
  private async grow(state: LookupState, limit: number): Promise<LookupRead> {
    // Each round reads a slice of what is missing from every partition not yet exhausted, in parallel.
    while (state.ids.length <= limit && state.partitions.some((partition) => !partition.done)) {
      const open = state.partitions.filter((partition) => !partition.done);
      const slice = Math.ceil((limit + 1 - state.ids.length) / open.length);
      const pages = await Promise.all(open.map((partition) => this.page(partition, slice)));
      state.ids.push(...pages.flat());
    }
    return { ids: [...state.ids], complete: state.partitions.every((partition) => partition.done) };
  }

  /**
   * Which of `ids` hold the lookup, by BatchGetItem of the exact lookup item each would have: a range
   * of one value (`<value>#<id>` in the id's shard), or an equality value of records whose creation
   * time an equality read has shown (`<created_at>#<id>`). Else undefined.
   */
  async holding(lookup: Lookup, ids: readonly number[]): Promise<ReadonlySet<number> | undefined> {
    const keys = this.itemKeys(lookup, ids);
    if (!keys) return undefined;
    const items = await this.batches.get(keys, 'record_id');
    return new Set(items.map((item) => item.record_id as number));
  }

  private itemKeys(lookup: Lookup, ids: readonly number[]): ItemKey[] | undefined {
    if (lookup.kind === 'range') {
      const value = lookup.from;
      if (value === undefined || value !== lookup.to) return undefined;
      return ids.map((id) => ({
        pk: rangeLookupPk(this.accountId, this.type, lookup.field, shardOf(id)),
        sk: collectionSk(value, id),
      }));
    }
    if (!ids.every((id) => this.createdAt.has(id))) return undefined;
    const pk = lookupPk(this.accountId, this.type, lookup.name, this.hasher.hash(lookup.value));
    return ids.map((id) => ({ pk, sk: collectionSk(this.createdAt.get(id) as string, id) }));
  }

  storedValue(value: string): string {
    return this.hasher.hash(value);
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
      const pk = lookupPk(this.accountId, this.type, lookup.name, this.hasher.hash(lookup.value));
      return [{ equality: true, condition: 'pk = :pk', values: { ':pk': pk }, done: false }];
    }
    // '#' then '~' bound every id suffix of a value, so both ends of the range are included.
    const bounds: [string, Record<string, string>] =
      lookup.from !== undefined && lookup.to !== undefined
        ? ['sk BETWEEN :from AND :to', { ':from': `${lookup.from}#`, ':to': `${lookup.to}#~` }]
        : lookup.from !== undefined
          ? ['sk >= :from', { ':from': `${lookup.from}#` }]
          : ['sk <= :to', { ':to': `${lookup.to}#~` }];
    return Array.from({ length: collectionShards }, (_, shard) => ({
      equality: false,
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
        ProjectionExpression: 'record_id, sk',
        ExclusiveStartKey: partition.next,
        Limit: limit,
        ConsistentRead: true,
      }),
    );
    partition.next = LastEvaluatedKey;
    partition.done = !LastEvaluatedKey;
    return Items.map((item) => {
      const id = item.record_id as number;
      // An equality item's sort key is `<created_at>#<id>` (a range item's starts with its value).
      if (partition.equality)
        this.createdAt.set(id, String(item.sk).slice(0, String(item.sk).lastIndexOf('#')));
      return id;
    });
  }
}
