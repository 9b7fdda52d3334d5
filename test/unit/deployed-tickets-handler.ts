import { TicketMerge } from '#domain/tickets/ticket-merge';
import { Logger } from '@aws-lambda-powertools/logger';
import { S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SearchService } from '../../lambdas/domain/search/search-service.ts';
import { createTicketsHandler } from '../../lambdas/api/tickets.ts';
import { TicketWatchers } from '../../lambdas/domain/tickets/ticket-watchers.ts';
import type { ApiDependencies } from '../../lambdas/http/api-handler.ts';
import { DynamoAccountStore } from '../../lambdas/adapters/dynamo-account-store.ts';
import { DynamoPendingUploads } from '../../lambdas/adapters/dynamo-pending-uploads.ts';
import { DynamoRateBudget } from '../../lambdas/adapters/dynamo-rate-budget.ts';
import { DynamoRecordStore } from '../../lambdas/adapters/dynamo-record-store.ts';
import { S3ObjectStore } from '../../lambdas/adapters/s3-object-store.ts';
import { AttachmentService } from '../../lambdas/domain/attachments/attachment-service.ts';
import { LeasedRateLimiter } from '../../lambdas/domain/rate-lease.ts';
import { ConversationService } from '../../lambdas/domain/tickets/conversation-service.ts';
import { HuddleService } from '../../lambdas/domain/tickets/huddle-service.ts';
import { TicketService } from '../../lambdas/domain/tickets/ticket-service.ts';
import { noSso } from './api-doubles.ts';

/**
 * The tickets API as deployed (API-key auth, leased rate limit, record store) over one DynamoDB client,
 * for unit tests that mock that client; `overrides` replace dependencies a test observes or stubs
 * (e.g. its metrics, or a rate limiter that never refuses).
 */
export function deployedTicketsHandler(
  documentClient: DynamoDBDocumentClient,
  options: { now: () => Date; perMinute: number },
  overrides: Partial<Pick<ApiDependencies, 'logger' | 'metrics' | 'rateLimit'>> = {},
) {
  const services = {
    store: new DynamoRecordStore(documentClient, 'table'),
    now: options.now,
    newId: () => 1,
  };
  return createTicketsHandler({
    logger: new Logger({ serviceName: 'test', logLevel: 'SILENT' }),
    accounts: new DynamoAccountStore(documentClient, 'table'),
    records: services.store,
    sso: noSso,
    homeRegion: 'eea',
    rateLimit: {
      limiter: new LeasedRateLimiter(new DynamoRateBudget(documentClient, 'table')),
      perMinute: options.perMinute,
      now: options.now,
    },
    tickets: new TicketService(services),
    watchers: new TicketWatchers(services),
    conversations: new ConversationService(services),
    search: new SearchService(services),
    merges: new TicketMerge(services),
    huddles: new HuddleService(services),
    attachments: new AttachmentService({
      ...services,
      objects: new S3ObjectStore(new S3Client({ region: 'eu-central-1' })),
      bucket: 'attachments',
      uploads: new DynamoPendingUploads(documentClient, 'table'),
    }),
    now: options.now,
    ...overrides,
  });
}
