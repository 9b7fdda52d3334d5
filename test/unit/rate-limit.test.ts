import { Logger } from '@aws-lambda-powertools/logger';
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import middy from '@middy/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAccountHandler } from '../../lambdas/api/account.ts';
import { DynamoAccountStore } from '../../lambdas/adapters/dynamo-account-store.ts';
import { DynamoRateBudget } from '../../lambdas/adapters/dynamo-rate-budget.ts';
import type { AuthenticatedContext } from '../../lambdas/http/api-key-auth.ts';
import type { HttpResponse } from '../../lambdas/http/responses.ts';
import type { Principal } from '../../lambdas/domain/account.ts';
import { DynamoRecordStore } from '../../lambdas/adapters/dynamo-record-store.ts';
import { LeasedRateLimiter } from '../../lambdas/domain/rate-lease.ts';
import { RateLimitedError } from '../../lambdas/domain/errors.ts';
import { agentProfileItem, noSso } from './api-doubles.ts';
import { minuteWindow } from '../../lambdas/domain/rate-limit.ts';
import { rateLimit } from '../../lambdas/http/rate-limit.ts';

const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-central-1' }));
const dynamo = mockClient(documentClient);
let handler: ReturnType<typeof createAccountHandler>;
beforeEach(() => {
  handler = makeHandler();
});
afterEach(() => dynamo.reset());

const now = new Date('2026-11-23T10:00:45.200Z');
/** A fresh handler per test, as a new container: nothing cached from another test. */
const makeHandler = () =>
  createAccountHandler({
    logger: new Logger({ serviceName: 'test', logLevel: 'SILENT' }),
    accounts: new DynamoAccountStore(documentClient, 'table'),
    records: new DynamoRecordStore(documentClient, 'table'),
    sso: noSso,
    homeRegion: 'eea',
    rateLimit: {
      limiter: new LeasedRateLimiter(new DynamoRateBudget(documentClient, 'table')),
      perMinute: 50,
      now: () => now,
    },
  });
const event = {
  headers: { authorization: `Basic ${Buffer.from('eea_rate-limit-key:X').toString('base64')}` },
  routeKey: 'GET /api/v2/account',
  requestContext: {},
} as unknown as APIGatewayProxyEventV2;
const context = { awsRequestId: 'r' } as Context;

function givenAccount(keyLimit?: number) {
  dynamo.on(GetCommand).callsFake((input) => {
    if (input.Key.sk === 'APIKEY')
      return { Item: { account_id: 'a', agent_id: 1, rate_limit_per_minute: keyLimit } };
    if (input.Key.sk === 'RECORD') return { Item: agentProfileItem('a', 1, 'admin') };
    return { Item: { account_id: 'a', name: 'A', home_region: 'eea', products: [], created_at: 'x' } };
  });
}

describe('per-account rate limit', () => {
  it('names the minute window and the seconds left in it', () => {
    expect(minuteWindow(now)).toMatchObject({ name: '2026-11-23T10:00', resetsInSeconds: 15 });
  });

  it('counts the request in the account minute window and tells the client its budget', async () => {
    // Prepare
    givenAccount();
    dynamo.on(UpdateCommand).resolves({ Attributes: { used: 12 } });

    // Act
    const response = await handler(event, context);

    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.headers).toMatchObject({ 'x-ratelimit-total': '50', 'x-ratelimit-remaining': '38' });
    expect(dynamo).toHaveReceivedCommandWith(UpdateCommand, {
      Key: { pk: 'A#a#RATE#2026-11-23T10:00', sk: 'RATE' },
      ExpressionAttributeValues: expect.objectContaining({ ':asked': 1, ':room': 49 }),
    });
  });

  it('uses the budget on the account key over the deployment default', async () => {
    givenAccount(5);
    dynamo.on(UpdateCommand).resolves({ Attributes: { used: 1 } });

    const response = await handler(event, context);

    expect(response.headers).toMatchObject({ 'x-ratelimit-total': '5', 'x-ratelimit-remaining': '4' });
  });

  it('answers 429 with Retry-After until the window ends once the budget is spent', async () => {
    givenAccount();
    dynamo.on(UpdateCommand).rejects(new ConditionalCheckFailedException({ message: 'no', $metadata: {} }));

    const response = await handler(event, context);

    expect(response.statusCode).toBe(429);
    expect(response.headers).toMatchObject({ 'retry-after': '15' });
    expect(JSON.parse(String(response.body)).code).toBe('rate_limited');
  });

  it('also refuses an over-budget read, before it reads anything', async () => {
    givenAccount();
    dynamo.on(UpdateCommand).rejects(new ConditionalCheckFailedException({ message: 'no', $metadata: {} }));
    const getEvent = {
      ...event,
      requestContext: { http: { method: 'GET' } },
    } as unknown as APIGatewayProxyEventV2;

    const response = await handler(getEvent, context);

    expect(response.statusCode).toBe(429);
    expect(response.headers).toMatchObject({ 'retry-after': '15', 'x-ratelimit-remaining': '0' });
  });

  it('decides a read before its route runs: over budget, the route never runs', async () => {
    // Prepare: the middleware over the leased limiter, in front of a route that counts its calls.
    dynamo.on(UpdateCommand).rejects(new ConditionalCheckFailedException({ message: 'no', $metadata: {} }));
    const route = vi.fn(async () => ({ statusCode: 200, headers: {}, body: '[]' }));
    const principal: Principal = { accountId: 'a', agentId: 1, role: 'admin' };
    const guarded = middy<APIGatewayProxyEventV2, HttpResponse, Error, AuthenticatedContext>()
      .before((request) => {
        request.context.principal = principal;
      })
      .use(rateLimit(new LeasedRateLimiter(new DynamoRateBudget(documentClient, 'table')), 50, () => now))
      .handler(route);
    const read = { requestContext: { http: { method: 'GET' } } } as unknown as APIGatewayProxyEventV2;

    // Act
    const refused = await guarded(read, { ...context } as AuthenticatedContext).catch(
      (error: unknown) => error,
    );

    // Assess
    expect(refused).toBeInstanceOf(RateLimitedError);
    expect(route).not.toHaveBeenCalled();
  });
});
