import { randomUUID } from 'node:crypto';
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { recordPk, RECORD_SK, parentPk } from '../lambdas/adapters/record-keys.ts';
import { withBenchPlatform } from './bench-platform.ts';
import { measurePair, printComparison } from './measure.ts';

/**
 * API latency on the local stack (issue: p50 of a read within 2x of the raw DynamoDB round trip), each
 * operation beside the raw DynamoDB call for the same keys, all measured in this run.
 */
export async function runApiBench(): Promise<void> {
  await withBenchPlatform(async (endpoints, dynamo) => {
    const { url, apiKey, accountId, table } = endpoints.regions.eea;
    const authorization = `Basic ${Buffer.from(`${apiKey}:X`).toString('base64')}`;
    const api = async (
      method: string,
      path: string,
      body?: unknown,
    ): Promise<{ id: number; requester_id: number }> => {
      const response = await fetch(`${url}${path}`, {
        method,
        headers: { authorization, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      const json = (await response.json()) as { id: number; requester_id: number };
      if (!response.ok) throw new Error(`${method} ${path}: ${response.status}`);
      return json;
    };

    // Prepare: one requester with 100 tickets.
    const email = `bench-${randomUUID()}@example.test`;
    const first = await api('POST', '/api/v2/tickets', { subject: 'Bench', description: 'x', email });
    const requesterId = first.requester_id as number;
    const ticketIds = [first.id as number];
    for (let i = 1; i < 100; i++)
      ticketIds.push(
        (
          await api('POST', '/api/v2/tickets', {
            subject: 'Bench',
            description: 'x',
            requester_id: requesterId,
          })
        ).id,
      );
    const ticketKey = (i: number) => ({
      pk: recordPk(accountId, { type: 'ticket', id: ticketIds[i % ticketIds.length]! }),
      sk: RECORD_SK,
    });

    console.log(
      `API latency on the local stack (EEA region, ${ticketIds.length} tickets of one requester; sequential requests, API and raw in alternating blocks)\n`,
    );
    const read = await measurePair(
      300,
      { name: 'API  GET /tickets/{id}', run: (i) => api('GET', `/api/v2/tickets/${ticketIds[i % 100]}`) },
      {
        name: 'raw  GetItem (same ticket key)',
        run: (i) =>
          dynamo.send(new GetCommand({ TableName: table, Key: ticketKey(i), ConsistentRead: true })),
      },
    );
    const list = await measurePair(
      60,
      {
        name: 'API  GET /tickets?requester_id=…&per_page=100',
        run: () => api('GET', `/api/v2/tickets?requester_id=${requesterId}&per_page=100`),
      },
      {
        name: 'raw  Query gsi2, Limit 101 (same index key)',
        run: () =>
          dynamo.send(
            new QueryCommand({
              TableName: table,
              IndexName: 'gsi2',
              KeyConditionExpression: 'gsi2pk = :pk',
              ExpressionAttributeValues: { ':pk': parentPk(accountId, `requester#${requesterId}#ticket`) },
              ScanIndexForward: false,
              Limit: 101,
            }),
          ),
      },
    );
    const write = await measurePair(
      100,
      {
        name: 'API  POST /tickets + POST /tickets/{id}/reply',
        run: async () => {
          const ticket = await api('POST', '/api/v2/tickets', {
            subject: 'Bench write',
            description: 'x',
            requester_id: requesterId,
          });
          await api('POST', `/api/v2/tickets/${ticket.id}/reply`, { body: 'reply' });
        },
      },
      {
        name: 'raw  2 × PutItem (ticket and reply items)',
        run: async (i) => {
          const item = (sk: string, size: number) => ({ pk: `BENCH#${i}`, sk, body: 'x'.repeat(size) });
          await dynamo.send(new PutCommand({ TableName: table, Item: item('T', 600) }));
          await dynamo.send(new PutCommand({ TableName: table, Item: item('C', 300) }));
        },
      },
    );
    printComparison([{ ...read, target: 2 }, list, write]);
  });
}
