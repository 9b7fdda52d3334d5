import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { DynamoRecordStore } from '../../lambdas/adapters/dynamo-record-store.ts';
import { toItem } from '../../lambdas/adapters/record-items.ts';
import { maxFilteredReads } from '../../lambdas/domain/records/paging.ts';
import type { StoredRecord } from '../../lambdas/domain/records/record.ts';
import type { RecordPage } from '../../lambdas/domain/records/record-store.ts';
import { testHasher } from './test-hasher.ts';

const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-central-1' }));
const dynamo = mockClient(documentClient);
afterEach(() => dynamo.reset());

type Item = Record<string, unknown>;
type Fields = { owner: number };

/** A record of account `a`: ticket `id`, changed at second `second`, owned by `owner`. */
const ticket = (id: number, second: number, owner: number, deleted = false): StoredRecord<Fields> => {
  const at = new Date(Date.UTC(2026, 0, 1) + second * 1000).toISOString();
  return {
    accountId: 'a',
    ref: { type: 'ticket', id },
    version: 1,
    createdAt: at,
    updatedAt: at,
    ...(deleted && { deletedAt: at }),
    fields: { owner },
    subjects: [],
    parent: { key: 'requester#7#ticket' },
  };
};

/**
 * Answers Query as DynamoDB does over `items`: the key condition (equality, optional `>= :from`), the
 * order, ExclusiveStartKey, Limit counting entries evaluated before the filter, the deleted_at filter,
 * LastEvaluatedKey when Limit stopped it. Keeps what each call evaluated.
 */
function serve(items: Item[]) {
  const evaluated: number[] = [];
  dynamo.on(QueryCommand).callsFake((input: QueryCommandInput) => {
    const index = input.IndexName;
    const [keyName, sortName] = index ? [`${index}pk`, `${index}sk`] : ['pk', 'sk'];
    const values = input.ExpressionAttributeValues ?? {};
    const after = input.ExclusiveStartKey?.[sortName] as string | undefined;
    const forward = input.ScanIndexForward !== false;
    const ordered = items
      .filter((item) => item[keyName] === values[':key'])
      .filter((item) => values[':from'] === undefined || String(item[sortName]) >= String(values[':from']))
      .filter(
        (item) =>
          after === undefined || (forward ? String(item[sortName]) > after : String(item[sortName]) < after),
      )
      .sort((x, y) => (String(x[sortName]) < String(y[sortName]) ? -1 : 1) * (forward ? 1 : -1));
    const scanned = ordered.slice(0, input.Limit);
    const last = scanned.at(-1);
    evaluated.push(scanned.length);
    const kept = input.FilterExpression ? scanned.filter((item) => item.deleted_at === undefined) : scanned;
    return {
      Items: kept,
      Count: kept.length,
      ScannedCount: scanned.length,
      ...(last &&
        scanned.length === input.Limit && {
          LastEvaluatedKey: {
            pk: last.pk,
            sk: last.sk,
            ...(index && { [keyName]: last[keyName], [sortName]: last[sortName] }),
          },
        }),
    };
  });
  return evaluated;
}

/** Every page of a list, following `next`, with what each request evaluated. */
async function everyPage<F extends object>(
  read: (cursor?: string) => Promise<RecordPage<F>>,
  evaluated: number[],
): Promise<{ ids: number[]; perRequest: number[]; pages: number }> {
  const ids: number[] = [];
  const perRequest: number[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const before = evaluated.reduce((sum, count) => sum + count, 0);
    const page = await read(cursor);
    perRequest.push(evaluated.reduce((sum, count) => sum + count, 0) - before);
    ids.push(...page.records.map((record) => record.ref.id));
    cursor = page.hasMore ? page.next : undefined;
    pages += 1;
    expect(pages).toBeLessThan(500);
  } while (cursor);
  return { ids, perRequest, pages };
}

const store = () => new DynamoRecordStore(documentClient, 'table');

describe('merged lists read page by page with a cursor', () => {
  it('lists every record exactly once, in order, filtered or not, whatever the page size', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.integer({ min: 1, max: 400 }), { minLength: 0, maxLength: 120 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 4 }),
        async (ids, perPage, owners) => {
          dynamo.reset();
          // Seconds repeat, so records share update times and order by id among them.
          const records = ids.map((id) => ticket(id, id % 37, id % owners));
          const evaluated = serve(records.map((record) => toItem(record, testHasher) as unknown as Item));
          const where = (record: StoredRecord<Fields>) => record.fields.owner === 0;
          const expected = records
            .filter(where)
            .sort((x, y) =>
              x.updatedAt === y.updatedAt ? y.ref.id - x.ref.id : x.updatedAt < y.updatedAt ? 1 : -1,
            )
            .map((record) => record.ref.id);

          const listed = await everyPage(
            (cursor) => store().list<Fields>('a', 'ticket', { page: 1, perPage, cursor, where }),
            evaluated,
          );

          expect(listed.ids).toEqual(expected);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('reads a parent list oldest first, leaving deleted children out, resuming past them', async () => {
    // Prepare: 30 children, every third deleted.
    const records = Array.from({ length: 30 }, (_, index) => ticket(index + 1, index, 0, index % 3 === 0));
    const evaluated = serve(records.map((record) => toItem(record, testHasher) as unknown as Item));

    // Act
    const listed = await everyPage(
      (cursor) =>
        store().listByParent<Fields>('a', 'requester#7#ticket', {
          page: 1,
          perPage: 4,
          cursor,
          oldestFirst: true,
        }),
      evaluated,
    );

    // Assess
    expect(listed.ids).toEqual(records.filter((record) => !record.deletedAt).map((record) => record.ref.id));
  });

  it('bounds what one request reads when a filter leaves most records out, and goes on from there', async () => {
    // Prepare: 8 × 1,000 records; one in 500 is the caller's.
    const records = Array.from({ length: 8_000 }, (_, index) =>
      ticket(index + 1, index, index % 500 === 0 ? 1 : 2),
    );
    const evaluated = serve(records.map((record) => toItem(record, testHasher) as unknown as Item));

    // Act
    const listed = await everyPage(
      (cursor) =>
        store().list<Fields>('a', 'ticket', {
          page: 1,
          perPage: 10,
          cursor,
          where: (record) => record.fields.owner === 1,
        }),
      evaluated,
    );

    // Assess: every one of the caller's records, each request within its budget (the first round of
    // Limit 11 per shard, then the filtered allowance, overshot by at most one entry per shard).
    expect(listed.ids).toEqual(
      records
        .filter((record) => record.fields.owner === 1)
        .map((record) => record.ref.id)
        .reverse(),
    );
    expect(Math.max(...listed.perRequest)).toBeLessThanOrEqual(8 * 11 + maxFilteredReads + 8);
    expect(listed.pages).toBeGreaterThan(1);
  });
});
