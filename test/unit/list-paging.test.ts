import { accountProfileItem } from './api-doubles.ts';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type QueryCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { RECORD_SK, collectionPk, collectionSk, recordPk } from '../../lambdas/adapters/record-keys.ts';
import { deployedTicketsHandler } from './deployed-tickets-handler.ts';

const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-central-1' }));
const dynamo = mockClient(documentClient);
afterEach(() => dynamo.reset());

const now = () => new Date('2026-11-23T10:00:10Z');
const shards = 8;

/** Ticket `id` of account `a`, as stored: updated one second after the ticket before it. */
const ticketItem = (id: number) => {
  const updatedAt = new Date(Date.UTC(2026, 0, 1) + id * 1000).toISOString();
  return {
    pk: recordPk('a', { type: 'ticket', id }),
    sk: RECORD_SK,
    item_type: 'record',
    account_id: 'a',
    record_type: 'ticket',
    record_id: id,
    version: 1,
    created_at: updatedAt,
    updated_at: updatedAt,
    fields: { subject: `T${id}`, description: 'D', requester_id: 7, status: 2, priority: 1, group_id: null },
    subjects: [],
    gsi1pk: collectionPk('a', 'ticket', id % shards),
    gsi1sk: collectionSk(updatedAt, id),
  };
};
type Item = ReturnType<typeof ticketItem>;

/**
 * Answers Query as DynamoDB does for the gsi1 shards of `items`: newest first, after ExclusiveStartKey,
 * at most Limit, with LastEvaluatedKey when Limit stopped it. Every call is kept for the assertions.
 */
function serveCollection(items: Item[]) {
  const queries: { input: QueryCommandInput; returned: number }[] = [];
  dynamo.on(QueryCommand).callsFake((input: QueryCommandInput) => {
    const key = input.ExpressionAttributeValues?.[':key'];
    const after = input.ExclusiveStartKey?.gsi1sk as string | undefined;
    const matching = items
      .filter((item) => item.gsi1pk === key && (after === undefined || item.gsi1sk < after))
      .sort((x, y) => (x.gsi1sk < y.gsi1sk ? 1 : -1));
    const page = matching.slice(0, input.Limit);
    const last = page.at(-1);
    queries.push({ input, returned: page.length });
    return {
      Items: page,
      Count: page.length,
      ScannedCount: page.length,
      ...(last &&
        page.length === input.Limit && {
          LastEvaluatedKey: { pk: last.pk, sk: last.sk, gsi1pk: last.gsi1pk, gsi1sk: last.gsi1sk },
        }),
    };
  });
  return queries;
}

/** The tickets API as deployed (API-key auth, leased rate limit, record store) over the mocked client. */
function ticketsApi() {
  dynamo.on(GetCommand).callsFake((input: { Key: { pk: string; sk: string } }) => {
    if (input.Key.sk === 'PROFILE') return { Item: accountProfileItem('a') };
    if (input.Key.sk === 'APIKEY') return { Item: { account_id: 'a', agent_id: 1, role: 'admin' } };
    if (input.Key.pk === recordPk('a', { type: 'agent', id: 1 })) {
      return {
        Item: { ...ticketItem(1), pk: input.Key.pk, record_type: 'agent', fields: { role: 'admin' } },
      };
    }
    return {};
  });
  dynamo.on(UpdateCommand).resolves({ Attributes: { used: 1 } });
  const handler = deployedTicketsHandler(documentClient, { now, perMinute: 100_000 });
  const context = { awsRequestId: 'r' } as Context;
  return async (url: string) => {
    const { pathname, search } = new URL(url, 'https://api.example.test');
    const response = await handler(
      {
        routeKey: `GET ${pathname}`,
        rawPath: pathname,
        rawQueryString: search.slice(1),
        queryStringParameters: Object.fromEntries(new URLSearchParams(search)),
        headers: {
          host: 'api.example.test',
          authorization: `Basic ${Buffer.from('eea_paging-key:X').toString('base64')}`,
        },
        requestContext: { http: { method: 'GET' } },
      } as unknown as APIGatewayProxyEventV2,
      context,
    );
    const link = String(response.headers?.link ?? '');
    return {
      status: response.statusCode,
      body: JSON.parse(String(response.body)) as { id: number; code?: string; errors?: unknown[] },
      next: /^<([^>]+)>; rel="next"$/.exec(link)?.[1],
    };
  };
}

describe('list pages: the cost of one request', () => {
  it('reads at most per_page + 1 entries per shard for page 50 when the client follows the link header', async () => {
    // Prepare: 560 tickets over the 8 shards; pages 1 to 49 followed by their links.
    const items = Array.from({ length: 560 }, (_, index) => ticketItem(index + 1));
    const queries = serveCollection(items);
    const get = ticketsApi();
    let url: string | undefined = '/api/v2/tickets?per_page=10';
    for (let page = 1; page < 50; page++) url = (await get(url as string)).next;
    queries.length = 0;

    // Act
    const page50 = await get(url as string);

    // Assess: one Query per shard, each asking for and reading 11 entries at most.
    expect(url).toContain('page=50');
    expect(page50.status).toBe(200);
    expect((page50.body as unknown as { id: number }[]).map((ticket) => ticket.id)).toEqual(
      Array.from({ length: 10 }, (_, index) => 560 - 490 - index),
    );
    expect(queries).toHaveLength(shards);
    for (const query of queries) {
      expect(query.input.Limit).toBeLessThanOrEqual(11);
      expect(query.returned).toBeLessThanOrEqual(11);
      // The start key is built from the caller's account: index keys and table keys, as DynamoDB wants.
      const shard = Number(String(query.input.ExpressionAttributeValues?.[':key']).split('#').at(-1));
      expect(query.input.ExclusiveStartKey).toEqual({
        gsi1pk: collectionPk('a', 'ticket', shard),
        gsi1sk: expect.stringMatching(/^2026-01-01T00:\d\d:\d\d\.000Z#\d{16}$/),
        pk: expect.stringMatching(new RegExp(`^A#a#ticket#\\d+$`)),
        sk: RECORD_SK,
      });
    }
    expect(page50.next).toContain('page=51');
  });

  it('refuses a page past the documented depth with 400 naming page, reading nothing', async () => {
    // Prepare
    const queries = serveCollection([]);
    const get = ticketsApi();

    // Act
    const deep = await get('/api/v2/tickets?per_page=100&page=21');
    const deepest = await get('/api/v2/tickets?per_page=30&page=67');
    const allowed = await get('/api/v2/tickets?per_page=100&page=20');

    // Assess
    expect(deep.status).toBe(400);
    expect(deep.body.errors).toEqual([expect.objectContaining({ field: 'page', code: 'invalid_value' })]);
    expect(deepest.status).toBe(400);
    expect(allowed.status).toBe(200);
    expect(queries.every((query) => query.input.Limit === 20 * 100 + 1)).toBe(true);
  });

  it('refuses a cursor of another account or a forged one with 400 naming cursor, querying nothing', async () => {
    // Prepare: a cursor as this list gives one, then as another account's list gave it, then forged
    // to hold another account's partition key.
    serveCollection(Array.from({ length: 40 }, (_, index) => ticketItem(index + 1)));
    const get = ticketsApi();
    const genuine = new URL((await get('/api/v2/tickets?per_page=5')).next as string).searchParams.get(
      'cursor',
    ) as string;
    const decoded = JSON.parse(Buffer.from(genuine, 'base64url').toString('utf8')) as Record<string, unknown>;
    const encode = (json: unknown) => Buffer.from(JSON.stringify(json), 'utf8').toString('base64url');
    const forged = [
      encode({ ...decoded, t: '0123456789abcdef' }),
      encode({ ...decoded, pk: 'A#b#ticket#1', gsi1pk: 'A#b#ticket#0' }),
      encode({
        ...decoded,
        p: (decoded.p as unknown[]).map(() => ['2026-01-01T00:00:00.000Z#0000000000000001', 'ticket']),
      }),
      encode({ ...decoded, p: (decoded.p as unknown[]).map(() => ['A#b#ticket#0', 'ticket']) }),
      'not base64 json',
    ];
    dynamo.resetHistory();

    // Act
    const answers = await Promise.all(
      forged.map((cursor) => get(`/api/v2/tickets?per_page=5&page=2&cursor=${encodeURIComponent(cursor)}`)),
    );

    // Assess
    for (const answer of answers) {
      expect(answer.status).toBe(400);
      expect(answer.body.errors).toEqual([
        expect.objectContaining({ field: 'cursor', code: 'invalid_value' }),
      ]);
    }
    expect(dynamo.commandCalls(QueryCommand)).toHaveLength(0);
  });
});
