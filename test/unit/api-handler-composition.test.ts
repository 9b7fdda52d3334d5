import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { DynamoAccountStore } from '../../lambdas/adapters/dynamo-account-store.ts';
import { DynamoRecordStore } from '../../lambdas/adapters/dynamo-record-store.ts';
import { createAccountHandler } from '../../lambdas/api/account.ts';
import { lazyHandler } from '../../lambdas/http/api-handler.ts';
import { MissingDependencyError } from '../../lambdas/http/missing-dependency.ts';
import { noSso, unlimitedRate } from './api-doubles.ts';

const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-central-1' }));
const dynamo = mockClient(documentClient);
afterEach(() => dynamo.reset());

/** Everything the production composition needs (the record store and rate limiter included). */
const complete = {
  logger: new Logger({ serviceName: 'test', logLevel: 'SILENT' }),
  accounts: new DynamoAccountStore(documentClient, 'table'),
  records: new DynamoRecordStore(documentClient, 'table'),
  rateLimit: unlimitedRate,
  sso: noSso,
  homeRegion: 'eea' as const,
};
const { records: _records, ...withoutRecords } = complete;
const { rateLimit: _rateLimit, ...withoutRateLimit } = complete;

describe('the production handler composition fails closed', () => {
  it('builds with the record store and the rate limiter', () => {
    expect(() => createAccountHandler(complete)).not.toThrow();
  });

  it('does not compile, and does not start, without the record store (ticket scope, agent profiles)', () => {
    // @ts-expect-error: the record store is required, so no handler is composed without the profile check.
    const build = () => createAccountHandler(withoutRecords);

    expect(build).toThrow(MissingDependencyError);
  });

  it('does not compile, and does not start, without the rate limiter', () => {
    // @ts-expect-error: the rate limit is required, so no handler is composed without it.
    const build = () => createAccountHandler(withoutRateLimit);

    expect(build).toThrow(MissingDependencyError);
  });

  it('refuses to start when a runtime hands it undefined, before any request is served', () => {
    // Prepare: as a runtime whose environment left the store out would.
    const handler = lazyHandler(() =>
      createAccountHandler({ ...complete, records: undefined as unknown as typeof complete.records }),
    );
    const event = {
      headers: { authorization: `Basic ${Buffer.from('eea_composition-key:X').toString('base64')}` },
      requestContext: {},
    } as unknown as APIGatewayProxyEventV2;

    // Act
    const serve = () => handler(event, { awsRequestId: 'r' } as Context);

    // Assess: the invocation fails (Lambda reports the error); nothing was read, no check skipped.
    expect(serve).toThrow(MissingDependencyError);
    expect(dynamo.calls()).toHaveLength(0);
  });
});
