import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DynamoAccountStore } from '../../lambdas/adapters/dynamo-account-store.ts';
import { DynamoRecordStore } from '../../lambdas/adapters/dynamo-record-store.ts';
import { RECORD_SK, recordPk } from '../../lambdas/adapters/record-keys.ts';
import { createAccountHandler } from '../../lambdas/api/account.ts';
import { hashApiKey } from '../../lambdas/domain/api-key.ts';
import { agentProfileItem, noSso, unlimitedRate } from './api-doubles.ts';

const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-central-1' }));
const dynamo = mockClient(documentClient);
let handler: ReturnType<typeof createAccountHandler>;
beforeEach(() => {
  handler = makeHandler();
});
afterEach(() => dynamo.reset());

const apiKey = 'eea_unit-test-key-123';
const logger = new Logger({ serviceName: 'test', logLevel: 'SILENT' });
/** A fresh handler per test, as a new container: nothing cached from another test. */
const makeHandler = () =>
  createAccountHandler({
    logger,
    accounts: new DynamoAccountStore(documentClient, 'helpdesk-eea-records'),
    records: new DynamoRecordStore(documentClient, 'helpdesk-eea-records'),
    rateLimit: unlimitedRate,
    sso: noSso,
    homeRegion: 'eea',
  });
const context = { awsRequestId: 'req-1', functionName: 'account' } as Context;
const event = (authorization?: string, routeKey = 'GET /api/v2/account') =>
  ({
    headers: authorization ? { authorization } : {},
    routeKey,
    requestContext: {},
  }) as unknown as APIGatewayProxyEventV2;
const withKey = (key: string, routeKey?: string) =>
  event(`Basic ${Buffer.from(`${key}:X`).toString('base64')}`, routeKey);

function givenKeyOfAccount(homeRegion: string, status?: 'suspended', languages?: object) {
  dynamo
    .on(GetCommand, { Key: { pk: `APIKEY#${hashApiKey(apiKey)}`, sk: 'APIKEY' } })
    .resolves({ Item: { account_id: 'acc-1', agent_id: 7 } })
    .on(GetCommand, { Key: { pk: recordPk('acc-1', { type: 'agent', id: 7 }), sk: RECORD_SK } })
    .resolves({ Item: agentProfileItem('acc-1', 7, 'account_admin') })
    .on(GetCommand, { Key: { pk: 'ACCOUNT#acc-1', sk: 'PROFILE' } })
    .resolves({
      Item: {
        account_id: 'acc-1',
        name: 'Acme',
        home_region: homeRegion,
        products: ['helpdesk'],
        created_at: '2026-01-01T00:00:00.000Z',
        ...(status && { status }),
        ...languages,
      },
    });
}

describe('GET /api/v2/account handler', () => {
  it('answers the account found through the hashed API key', async () => {
    // Prepare
    givenKeyOfAccount('eea');

    // Act
    const response = await handler(withKey(apiKey), context);

    // Assess
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(String(response.body))).toEqual({
      account_id: 'acc-1',
      account_name: 'Acme',
      home_region: 'eea',
      home_region_name: 'European Economic Area',
      aws_region: 'eu-central-1',
      products: ['helpdesk'],
      created_at: '2026-01-01T00:00:00.000Z',
      status: 'active',
    });
    expect(dynamo).toHaveReceivedCommandWith(GetCommand, {
      TableName: 'helpdesk-eea-records',
      Key: { pk: `APIKEY#${hashApiKey(apiKey)}`, sk: 'APIKEY' },
      ConsistentRead: true,
    });
    // The role comes from the agent's profile, read strongly consistent (an erased agent is gone at once).
    expect(dynamo).toHaveReceivedCommandWith(GetCommand, {
      Key: { pk: recordPk('acc-1', { type: 'agent', id: 7 }), sk: RECORD_SK },
      ConsistentRead: true,
    });
  });

  it("answers the account's helpdesk languages at GET /api/v2/settings/helpdesk, v2's defaults if unset", async () => {
    // Prepare
    givenKeyOfAccount('eea', undefined, { primary_language: 'de', supported_languages: ['nl', 'sv'] });
    const set = await handler(withKey(apiKey, 'GET /api/v2/settings/helpdesk'), context);
    dynamo.reset();
    handler = makeHandler();
    givenKeyOfAccount('eea');

    // Act
    const unset = await handler(withKey(apiKey, 'GET /api/v2/settings/helpdesk'), context);

    // Assess
    expect(set.statusCode).toBe(200);
    expect(JSON.parse(String(set.body))).toEqual({
      primary_language: 'de',
      supported_languages: ['nl', 'sv'],
      portal_languages: [],
    });
    expect(JSON.parse(String(unset.body))).toEqual({
      primary_language: 'en',
      supported_languages: [],
      portal_languages: [],
    });
  });

  it("answers 403 account_suspended for a suspended account's key, in the API's error body", async () => {
    // Prepare
    givenKeyOfAccount('eea', 'suspended');

    // Act
    const response = await handler(withKey(apiKey), context);

    // Assess
    expect(response.statusCode).toBe(403);
    expect(JSON.parse(String(response.body))).toMatchObject({
      code: 'account_suspended',
      errors: [{ code: 'account_suspended' }],
    });
  });

  it('answers 401 without reading anything when the header is missing', async () => {
    const response = await handler(event(), context);

    expect(response.statusCode).toBe(401);
    expect(dynamo).not.toHaveReceivedCommand(GetCommand);
  });

  it('answers 401 for a key nobody holds', async () => {
    dynamo.on(GetCommand).resolves({});

    const response = await handler(withKey(apiKey), context);

    expect(response.statusCode).toBe(401);
    expect(JSON.parse(String(response.body)).code).toBe('invalid_credentials');
  });

  it('answers 421 for a key of another region without reading the table', async () => {
    const response = await handler(withKey('us_some-other-region-key'), context);

    expect(response.statusCode).toBe(421);
    expect(JSON.parse(String(response.body))).toMatchObject({ code: 'wrong_region', home_region: 'us' });
    expect(dynamo).not.toHaveReceivedCommand(GetCommand);
  });

  it('answers 421 when the stored account is homed elsewhere', async () => {
    givenKeyOfAccount('au');

    const response = await handler(withKey(apiKey), context);

    expect(response.statusCode).toBe(421);
    expect(JSON.parse(String(response.body)).home_region).toBe('au');
  });

  it('answers 503 with Retry-After when DynamoDB throttles', async () => {
    dynamo.on(GetCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));

    const response = await handler(withKey(apiKey), context);

    expect(response.statusCode).toBe(503);
    expect(response.headers?.['retry-after']).toBe('1');
  });

  it('answers an unexpected fault with a 500 that reveals nothing of the cause', async () => {
    dynamo.on(GetCommand).rejects(new Error('secret detail: person@example.com'));

    const response = await handler(withKey(apiKey), context);

    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain('person@example.com');
    expect(JSON.parse(String(response.body))).toMatchObject({ code: 'internal_error', request_id: 'req-1' });
  });
});
