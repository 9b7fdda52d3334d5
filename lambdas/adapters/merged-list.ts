import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { maxFilteredReads, type Paging } from '#domain/records/paging';
import type { RecordType } from '#domain/records/record';
import {
  type ListPosition,
  type PartitionPosition,
  decodeListCursor,
  encodeListCursor,
  idOfSortKey,
  listIdentity,
} from './list-cursor.ts';
import { RECORD_SK, recordPk } from './record-keys.ts';

type Item = Record<string, unknown>;

/**
 * A list read from one or more partitions of the table or of an index, each sorted by the same key,
 * merged into one order (the shards of a collection; the status partitions of privacy requests).
 */
export interface MergedListSpec {
  readonly accountId: string;
  /** The index queried; the table itself when absent. */
  readonly index?: 'gsi1' | 'gsi2' | 'gsi3';
  readonly keyName: string;
  readonly sortName: string;
  /** The partition key values, every one built from the caller's account. */
  readonly partitions: readonly string[];
  /** Only entries whose sort key is at least `from` and, with `before`, below `before`. */
  readonly range?: { readonly from?: string; readonly before?: string };
  readonly oldestFirst?: boolean;
  /** Leaves soft-deleted records out in the query itself. */
  readonly liveOnly?: boolean;
  readonly consistentRead?: boolean;
  /** Whether a cursor's entry (record id, and type on an index) may stand in this partition. */
  readonly belongs?: (id: number, partition: number, type?: string) => boolean;
  /**
   * What the partitions are merged by, when not their sort key as it is (e.g. a partition of entries
   * that hold no value, listed after every other in descending order).
   */
  readonly mergeKey?: (item: Item, partition: number) => string;
  /**
   * Entries that name records read apart (lookup items): before `accept` sees an entry not `ready`,
   * `load` is called once with it and the entries that follow it in the list's order (in batches that
   * grow while `accept` leaves entries out, at most `maxLoadBatch`).
   */
  readonly prepare?: {
    readonly ready: (item: Item) => boolean;
    readonly load: (items: readonly Item[]) => Promise<void>;
  };
}

/** Most entries `prepare.load` gets at once: one BatchGetItem request. */
export const maxLoadBatch = 100;

export interface MergedPage {
  readonly items: Item[];
  readonly hasMore: boolean;
  /** The cursor of the next page, while there is one. */
  readonly next?: string;
}

interface PartitionState {
  readonly partition: number;
  /** Entries read and not taken yet, from `at` on. */
  buffer: Item[];
  at: number;
  /** Where the next Query of this partition starts (its last LastEvaluatedKey, or the cursor's). */
  startKey?: Item;
  /** Nothing more to read beyond the buffer. */
  exhausted: boolean;
  /** The sort key of the last entry taken from this partition (or the cursor's). */
  position: PartitionPosition;
  limit: number;
}

/**
 * Reads one page of a merged list. Each partition is queried from where the page before stopped (the
 * cursor holds every partition's last sort key) with `Limit` = what a page can take from it (`perPage +
 * 1`, or with `page` alone `page × perPage + 1`), and queried again only while a filter (`accept`,
 * `liveOnly`) leaves entries out, up to `maxFilteredReads` more entries per request. So the work of one
 * request does not grow with how deep into the list it is when the client follows `next`.
 */
export class MergedListReader {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async read(
    spec: MergedListSpec,
    paging: Paging,
    accept?: (item: Item) => boolean | Promise<boolean>,
  ): Promise<MergedPage> {
    const identity = listIdentity(spec.accountId, [
      spec.index ?? 'table',
      spec.partitions,
      spec.range?.from ?? null,
      ...(spec.range?.before ? [spec.range.before] : []),
      Boolean(spec.oldestFirst),
      Boolean(spec.liveOnly),
    ]);
    const start = this.startOf(spec, paging, identity);
    let skip = start.skip;
    const limit = skip + paging.perPage + 1;
    const filtering = Boolean(accept || spec.liveOnly);
    let budget = spec.partitions.length * limit + (filtering ? maxFilteredReads : 0);
    const states: PartitionState[] = start.positions.map((position, partition) => ({
      partition,
      buffer: [],
      at: 0,
      startKey: position ? this.keyAt(spec, partition, position) : undefined,
      exhausted: position === 0,
      position,
      limit,
    }));
    const items: Item[] = [];
    let hasMore = false;
    let loadBatch = 0;
    for (;;) {
      const drained = states.filter((state) => state.at >= state.buffer.length && !state.exhausted);
      if (drained.length > 0) {
        if (budget <= 0) {
          hasMore = true;
          break;
        }
        // The budget left is shared among the partitions read now, so no round overshoots it.
        const share = Math.max(1, Math.ceil(budget / drained.length));
        const evaluated = await Promise.all(
          drained.map((state) => this.fetch(spec, state, Math.min(state.limit, share), filtering)),
        );
        budget -= evaluated.reduce((sum, count) => sum + count, 0);
        continue;
      }
      const head = this.nextHead(spec, states);
      if (!head) break;
      const item = head.buffer[head.at] as Item;
      if (accept && spec.prepare && !spec.prepare.ready(item)) {
        const wanted = skip + paging.perPage + 1 - items.length;
        loadBatch = Math.min(maxLoadBatch, Math.max(wanted, loadBatch * 2));
        await spec.prepare.load(this.upcoming(spec, states, loadBatch));
      }
      const accepted = !accept || (await accept(item));
      if (accepted && skip === 0 && items.length === paging.perPage) {
        hasMore = true;
        break;
      }
      head.at += 1;
      head.position = this.positionOf(spec, item);
      if (!accepted) continue;
      if (skip > 0) skip -= 1;
      else items.push(item);
    }
    if (!hasMore) return { items, hasMore };
    const positions = states.map((state) => this.resumeAt(spec, state));
    return { items, hasMore, next: encodeListCursor(identity, { positions, skip }) };
  }

  /** Where the page starts: the cursor's positions, or every partition's start and the pages to skip. */
  private startOf(spec: MergedListSpec, paging: Paging, identity: string): ListPosition {
    if (!paging.cursor) {
      return { positions: spec.partitions.map(() => null), skip: (paging.page - 1) * paging.perPage };
    }
    return decodeListCursor(paging.cursor, identity, spec.partitions.length, (position, partition) =>
      this.fits(spec, position, partition),
    );
  }

  /** The partition whose next entry comes first in the list's order, if any has one. */
  private nextHead(
    spec: MergedListSpec,
    states: readonly PartitionState[],
    at: (state: PartitionState) => number = (state) => state.at,
  ): PartitionState | undefined {
    let best: PartitionState | undefined;
    let bestKey = '';
    for (const state of states) {
      const item = state.buffer[at(state)];
      if (!item) continue;
      const key = spec.mergeKey ? spec.mergeKey(item, state.partition) : String(item[spec.sortName]);
      if (!best || (spec.oldestFirst ? key < bestKey : key > bestKey)) {
        best = state;
        bestKey = key;
      }
    }
    return best;
  }

  /** Up to `count` entries read, not taken and not `ready` yet, in the list's order from the head on. */
  private upcoming(spec: MergedListSpec, states: readonly PartitionState[], count: number): Item[] {
    const at = new Map(states.map((state) => [state, state.at]));
    const next = (state: PartitionState) => at.get(state) as number;
    const upcoming: Item[] = [];
    while (upcoming.length < count) {
      const head = this.nextHead(spec, states, next);
      if (!head) break;
      const item = head.buffer[next(head)] as Item;
      if (!spec.prepare?.ready(item)) upcoming.push(item);
      at.set(head, next(head) + 1);
    }
    return upcoming;
  }

  /** One Query of a partition from where it stopped; answers how many entries DynamoDB evaluated. */
  private async fetch(
    spec: MergedListSpec,
    state: PartitionState,
    limit: number,
    filtering: boolean,
  ): Promise<number> {
    const page = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: spec.index,
        KeyConditionExpression: keyCondition(spec),
        ExpressionAttributeValues: {
          ':key': spec.partitions[state.partition],
          ...(spec.range?.from && { ':from': spec.range.from }),
          ...(spec.range?.before && { ':before': spec.range.before }),
        },
        // Limit counts entries before the filter: a query may answer fewer, and the list reads on.
        ...(spec.liveOnly && { FilterExpression: 'attribute_not_exists(deleted_at)' }),
        ScanIndexForward: Boolean(spec.oldestFirst),
        Limit: limit,
        ExclusiveStartKey: state.startKey,
        ConsistentRead: spec.consistentRead,
      }),
    );
    state.buffer = page.Items ?? [];
    state.at = 0;
    state.startKey = page.LastEvaluatedKey;
    state.exhausted = !page.LastEvaluatedKey;
    // Entries left out are read on in growing steps, so a sparse match costs few round trips.
    if (filtering) state.limit = Math.min(state.limit * 2, maxFilteredReads);
    return page.ScannedCount ?? state.buffer.length;
  }

  /**
   * Where a partition goes on next time: after its last entry taken while some it read are left; from
   * its last LastEvaluatedKey once all it read were taken (entries the query filtered out included).
   */
  private resumeAt(spec: MergedListSpec, state: PartitionState): PartitionPosition {
    if (state.at < state.buffer.length) return state.position;
    if (state.exhausted) return 0;
    return state.startKey ? this.positionOf(spec, state.startKey) : state.position;
  }

  /** The position of an entry (or a LastEvaluatedKey): its sort key, and its record type on an index. */
  private positionOf(spec: MergedListSpec, key: Item): PartitionPosition {
    const sortKey = String(key[spec.sortName]);
    if (!spec.index) return [sortKey];
    // The table key is `A#<account>#<type>#<id>`.
    const tableKey = String(key.pk);
    const type = tableKey.slice(`A#${spec.accountId}#`.length, tableKey.lastIndexOf('#'));
    return [sortKey, type];
  }

  /** The ExclusiveStartKey of a position, every key built from the caller's account. */
  private keyAt(spec: MergedListSpec, partition: number, position: readonly string[]): Item {
    const [sortKey, type] = position as [string, RecordType | undefined];
    const key = { [spec.keyName]: spec.partitions[partition], [spec.sortName]: sortKey };
    if (!spec.index || !type) return key;
    return { ...key, pk: recordPk(spec.accountId, { type, id: idOfSortKey(sortKey) }), sk: RECORD_SK };
  }

  /** Whether a cursor's position has this list's shape (with a type on an index) and may stand there. */
  private fits(spec: MergedListSpec, position: readonly string[], partition: number): boolean {
    const id = idOfSortKey(position[0] as string);
    if ((position.length === 2) !== Boolean(spec.index) || !Number.isSafeInteger(id) || id < 1) return false;
    return spec.belongs ? spec.belongs(id, partition, position[1]) : true;
  }
}

/** The key condition of a partition's Query: the partition, and the sort key range if any. */
function keyCondition(spec: MergedListSpec): string {
  const { from, before } = spec.range ?? {};
  const key = `${spec.keyName} = :key`;
  if (from && before) return `${key} AND ${spec.sortName} BETWEEN :from AND :before`;
  if (before) return `${key} AND ${spec.sortName} < :before`;
  return from ? `${key} AND ${spec.sortName} >= :from` : key;
}
