import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { RECORD_SK, recordPk } from '../../lambdas/adapters/record-keys.ts';
import { deployedTicketsHandler } from './deployed-tickets-handler.ts';
import { accountProfileItem, agentProfileItem } from './api-doubles.ts';

const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-central-1' }));
const dynamo = mockClient(documentClient);
afterEach(() => dynamo.reset());

const now = () => new Date('2026-11-23T10:00:10Z');
const ticketItem = (id: number) => ({
  pk: recordPk('a', { type: 'ticket', id }),
  sk: RECORD_SK,
  account_id: 'a',
  record_type: 'ticket',
  record_id: id,
  version: 1,
  created_at: '2026-11-23T09:00:00Z',
  updated_at: '2026-11-23T09:00:00Z',
  fields: { subject: 'S', description: 'D', requester_id: 7, status: 2, priority: 1 },
  subjects: [],
});
const getTicket = (id: number) =>
  ({
    routeKey: 'GET /api/v2/tickets/{id}',
    pathParameters: { id: String(id) },
    headers: { authorization: `Basic ${Buffer.from('eea_round-trip-key:X').toString('base64')}` },
    requestContext: { http: { method: 'GET' } },
  }) as unknown as APIGatewayProxyEventV2;

describe('a ticket read in a warm container', () => {
  it.each([
    ['without files of its own: one GetItem of the ticket', false, 1],
    ['with files: the GetItem, then one Query of its attachments', true, 2],
  ])('reads a ticket %s', async (_case, hasAttachments, roundTrips) => {
    // Prepare: the deployed wiring (API-key auth, leased rate limit, record store) over one client.
    dynamo.on(QueryCommand).resolves({ Items: [] });
    dynamo.on(GetCommand).callsFake((input: { Key: { pk: string; sk: string } }) => {
      if (input.Key.sk === 'PROFILE') return { Item: accountProfileItem('a') };
      if (input.Key.sk === 'APIKEY') return { Item: { account_id: 'a', agent_id: 1 } };
      if (input.Key.pk === recordPk('a', { type: 'agent', id: 1 }))
        return { Item: agentProfileItem('a', 1, 'admin') };
      const item = ticketItem(Number(input.Key.pk.split('#').at(-1)));
      return { Item: { ...item, fields: { ...item.fields, has_attachments: hasAttachments } } };
    });
    dynamo.on(UpdateCommand).resolves({ Attributes: { used: 20 } });
    const handler = deployedTicketsHandler(documentClient, { now, perMinute: 1000 });
    const context = { awsRequestId: 'r' } as Context;
    await handler(getTicket(1), context); // cold: reads the key, reserves a block of the budget
    dynamo.resetHistory();

    // Act
    const response = await handler(getTicket(2), context);

    // Assess
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(String(response.body))).toMatchObject({ id: 2, subject: 'S' });
    expect(JSON.parse(String(response.body))).not.toHaveProperty('has_attachments');
    expect(dynamo.calls()).toHaveLength(roundTrips);
    expect(dynamo).toHaveReceivedNthCommandWith(GetCommand, 1, {
      Key: { pk: recordPk('a', { type: 'ticket', id: 2 }), sk: RECORD_SK },
    });
    expect(dynamo).toHaveReceivedCommandTimes(QueryCommand, roundTrips - 1);
  });
});
