import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RECORD_SK, recordPk } from '../../lambdas/adapters/record-keys.ts';
import { hashApiKey } from '../../lambdas/domain/api-key.ts';
import { accountProfileItem, agentProfileItem, unlimitedRate } from './api-doubles.ts';
import { deployedTicketsHandler } from './deployed-tickets-handler.ts';
import { createHealthHandler } from '../../lambdas/api/health.ts';

const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-central-1' }));
const dynamo = mockClient(documentClient);

const accountId = 'acct-5f0c2e';
const apiKey = 'eea_metrics-test-key-9d31';
const email = 'mrk-metrics-person@example.test';
const [foundId, missingId, brokenId] = [424242, 989898, 737373];
let emitted: string[];
beforeEach(() => {
  emitted = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    emitted.push(String(chunk));
    return true;
  });
});
afterEach(() => {
  vi.restoreAllMocks();
  dynamo.reset();
});

/** The embedded-metric-format documents the function wrote (its log lines that carry `_aws`). */
const emfDocuments = () =>
  emitted
    .join('')
    .split('\n')
    .filter((line) => line.includes('"_aws"'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);

const metrics = () => new Metrics({ namespace: 'Helpdesk', serviceName: 'helpdesk-tickets' });
const logger = new Logger({ serviceName: 'helpdesk-tickets', logLevel: 'SILENT' });
const context = { awsRequestId: 'r', functionName: 'tickets' } as Context;

function ticketsHandler() {
  dynamo.on(QueryCommand).resolves({ Items: [] });
  dynamo.on(GetCommand).callsFake((input: { Key: { pk: string; sk: string } }) => {
    if (input.Key.sk === 'PROFILE') return { Item: accountProfileItem(accountId) };
    if (input.Key.sk === 'APIKEY') {
      return input.Key.pk === `APIKEY#${hashApiKey(apiKey)}`
        ? { Item: { account_id: accountId, agent_id: 1 } }
        : {};
    }
    if (input.Key.pk === recordPk(accountId, { type: 'agent', id: 1 })) {
      return { Item: agentProfileItem(accountId, 1, 'admin') };
    }
    if (input.Key.pk === recordPk(accountId, { type: 'ticket', id: brokenId })) throw new Error('boom');
    if (input.Key.pk !== recordPk(accountId, { type: 'ticket', id: foundId })) return {};
    return {
      Item: {
        pk: input.Key.pk,
        sk: RECORD_SK,
        account_id: accountId,
        record_type: 'ticket',
        record_id: foundId,
        version: 1,
        created_at: '2026-11-23T09:00:00Z',
        updated_at: '2026-11-23T09:00:00Z',
        fields: { subject: 'S', description: 'D', requester_id: 7, email },
        subjects: [],
      },
    };
  });
  return deployedTicketsHandler(
    documentClient,
    { now: () => new Date(), perMinute: 1000 },
    { logger, metrics: metrics(), rateLimit: unlimitedRate },
  );
}

const request = (
  routeKey: string,
  options: { id?: number; body?: unknown; key?: string; query?: Record<string, string> } = {},
) =>
  ({
    routeKey,
    rawPath: options.id ? `/api/v2/tickets/${options.id}` : '/api/v2/tickets',
    pathParameters: options.id ? { id: String(options.id) } : undefined,
    queryStringParameters: options.query,
    headers: {
      authorization: `Basic ${Buffer.from(`${options.key ?? apiKey}:X`).toString('base64')}`,
      'content-type': 'application/json',
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    requestContext: { http: { method: routeKey.split(' ')[0] } },
  }) as unknown as APIGatewayProxyEventV2;

describe('per-request metrics', () => {
  it('count requests, latency and 4xx/5xx per route template, in the function namespace', async () => {
    // Prepare
    const handler = ticketsHandler();

    // Act
    const statuses = [
      (await handler(request('GET /api/v2/tickets/{id}', { id: foundId }), context)).statusCode,
      (await handler(request('GET /api/v2/tickets/{id}', { id: missingId }), context)).statusCode,
      (await handler(request('GET /api/v2/tickets/{id}', { id: brokenId }), context)).statusCode,
      (await handler(request('POST /api/v2/tickets', { body: { email, subject: 7 } }), context)).statusCode,
    ];

    // Assess
    expect(statuses).toEqual([200, 404, 500, 400]);
    const documents = emfDocuments();
    expect(documents).toHaveLength(4);
    expect(documents[0]).toMatchObject({
      _aws: {
        CloudWatchMetrics: [
          {
            Namespace: 'Helpdesk',
            Dimensions: [['service', 'route']],
            Metrics: [
              { Name: 'Requests', Unit: 'Count' },
              { Name: 'Latency', Unit: 'Milliseconds' },
              { Name: 'ClientErrors', Unit: 'Count' },
              { Name: 'ServerErrors', Unit: 'Count' },
            ],
          },
        ],
      },
      service: 'helpdesk-tickets',
      route: 'GET /api/v2/tickets/{id}',
    });
    const counts = documents.map(({ route, Requests, ClientErrors, ServerErrors }) => ({
      route,
      Requests,
      ClientErrors,
      ServerErrors,
    }));
    expect(counts).toEqual([
      { route: 'GET /api/v2/tickets/{id}', Requests: 1, ClientErrors: 0, ServerErrors: 0 },
      { route: 'GET /api/v2/tickets/{id}', Requests: 1, ClientErrors: 1, ServerErrors: 0 },
      { route: 'GET /api/v2/tickets/{id}', Requests: 1, ClientErrors: 0, ServerErrors: 1 },
      { route: 'POST /api/v2/tickets', Requests: 1, ClientErrors: 1, ServerErrors: 0 },
    ]);
    expect(documents.every((document) => typeof document.Latency === 'number')).toBe(true);
  });

  it('carry no account, id, e-mail, key or path, whatever the request holds', async () => {
    // Prepare
    const handler = ticketsHandler();

    // Act: ids and personal data in paths, queries, bodies and keys; a route key that is not a template.
    await handler(request('GET /api/v2/tickets/{id}', { id: foundId }), context);
    await handler(request('GET /api/v2/tickets', { query: { email } }), context);
    await handler(request('POST /api/v2/tickets', { body: { email, subject: 'x' } }), context);
    await handler(
      request('GET /api/v2/tickets/{id}', { id: missingId, key: 'eea_unknown-key-1234' }),
      context,
    );
    await handler(request(`GET /api/v2/tickets/${foundId}`, { id: foundId }), context);

    // Assess
    const documents = emfDocuments();
    expect(documents).toHaveLength(5);
    expect(documents.at(-1)).toMatchObject({ route: 'other' });
    const text = JSON.stringify(documents);
    for (const secret of [accountId, String(foundId), String(missingId), email, apiKey, hashApiKey(apiKey)]) {
      expect(text).not.toContain(secret);
    }
    for (const document of documents) {
      expect(Object.keys(document).sort()).toEqual(
        ['ClientErrors', 'Latency', 'Requests', 'ServerErrors', '_aws', 'route', 'service'].sort(),
      );
    }
  });

  it('cover routes without credentials too', async () => {
    const handler = createHealthHandler({ logger, metrics: metrics(), homeRegion: 'eea' });

    await handler(request('GET /api/v2/health'), context);

    expect(emfDocuments()).toEqual([expect.objectContaining({ route: 'GET /api/v2/health', Requests: 1 })]);
  });
});
