import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { DynamoRecordStore } from '../../lambdas/adapters/dynamo-record-store.ts';
import { toItem } from '../../lambdas/adapters/record-items.ts';
import type { Principal } from '../../lambdas/domain/account.ts';
import { subjectRequestDueAt } from '../../lambdas/domain/privacy/due-date.ts';
import {
  derivePrivacyRequest,
  notYetAnswered,
  type PrivacyRequestStatus,
  type PrivacyRequestType,
  type StoredPrivacyRequest,
} from '../../lambdas/domain/privacy/privacy-request.ts';
import { PrivacyRequestService } from '../../lambdas/domain/privacy/privacy-request-service.ts';
import { testHasher } from './test-hasher.ts';

const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-central-1' }));
const dynamo = mockClient(documentClient);
afterEach(() => dynamo.reset());

const now = new Date('2026-03-15T12:00:00Z');
const principal: Principal = { accountId: 'a', agentId: 1, role: 'admin' };

/** Request `id`, received on `received` (due a month later), last changed at second `changed` of today. */
const request = (
  id: number,
  type: PrivacyRequestType,
  status: PrivacyRequestStatus,
  received: string,
  changed: number,
): StoredPrivacyRequest =>
  derivePrivacyRequest({
    accountId: 'a',
    ref: { type: 'privacy_request', id },
    version: 1,
    createdAt: `${received}T09:00:00.000Z`,
    updatedAt: new Date(Date.UTC(2026, 2, 15, 11) + changed * 1000).toISOString(),
    fields: {
      ...notYetAnswered,
      type,
      subject_type: 'contact',
      subject_id: 9,
      mode: type === 'erasure' ? 'soft' : null,
      channel: 'email',
      note: null,
      status,
      requested_by: 1,
      received_at: `${received}T09:00:00.000Z`,
      due_at: subjectRequestDueAt(new Date(`${received}T09:00:00.000Z`)).toISOString(),
    },
    subjects: [],
  });

/** Answers Query for the gsi1 and gsi3 partitions of `requests`, newest first, and keeps the calls. */
function serve(requests: StoredPrivacyRequest[]) {
  const items = requests.map((record) => toItem(record, testHasher) as unknown as Record<string, unknown>);
  const queries: QueryCommandInput[] = [];
  dynamo.on(QueryCommand).callsFake((input: QueryCommandInput) => {
    queries.push(input);
    const index = input.IndexName as string;
    const matching = items
      .filter((item) => item[`${index}pk`] === input.ExpressionAttributeValues?.[':key'])
      .sort((x, y) => (String(x[`${index}sk`]) < String(y[`${index}sk`]) ? 1 : -1))
      .slice(0, input.Limit);
    return { Items: matching, Count: matching.length, ScannedCount: matching.length };
  });
  return queries;
}

const service = () =>
  new PrivacyRequestService({
    store: new DynamoRecordStore(documentClient, 'table'),
    now: () => now,
    newId: () => 1,
  });
const ids = (page: { records: StoredPrivacyRequest[] }) => page.records.map((record) => record.ref.id);

describe('privacy requests listed by type, status and overdue', () => {
  const requests = [
    request(1, 'export', 'pending_verification', '2026-01-10', 5),
    request(2, 'erasure', 'running', '2026-03-01', 3),
    request(3, 'erasure', 'completed', '2026-01-02', 9),
    request(4, 'export', 'running', '2026-02-01', 1),
    request(5, 'erasure', 'failed', '2026-03-10', 7),
  ];

  it('queries only the type-and-status partitions the filters allow, never the whole collection', async () => {
    // Prepare
    const queries = serve(requests);

    // Act
    const running = await service().list(principal, { status: 'running', page: 1, perPage: 30 });
    const runningKeys = queries.map((query) => query.ExpressionAttributeValues?.[':key']);
    queries.length = 0;
    const erasures = await service().list(principal, { type: 'erasure', page: 1, perPage: 30 });

    // Assess: most recently changed first.
    expect(ids(running)).toEqual([2, 4]);
    expect(runningKeys.sort()).toEqual([
      'A#a#PARENT#privacy-status#erasure#running',
      'A#a#PARENT#privacy-status#export#running',
    ]);
    expect(ids(erasures)).toEqual([3, 5, 2]);
    expect(queries.every((query) => query.IndexName === 'gsi3')).toBe(true);
    expect(queries).toHaveLength(7);
  });

  it('reads only open requests for overdue ones, and decides overdue by the clock', async () => {
    // Prepare
    const queries = serve(requests);

    // Act
    const overdue = await service().list(principal, { overdue: true, page: 1, perPage: 30 });
    const overdueKeys = queries.map((query) => String(query.ExpressionAttributeValues?.[':key']));
    const notOverdue = await service().list(principal, { overdue: false, page: 1, perPage: 30 });

    // Assess: 1 (due 10 February) and 4 (due 1 March) are open and past due on 15 March.
    expect(ids(overdue)).toEqual([1, 4]);
    expect(overdueKeys).toHaveLength(8);
    for (const key of overdueKeys) {
      expect(key).toMatch(
        /^A#a#PARENT#privacy-status#(export|erasure)#(pending_verification|verified|running|failed)$/,
      );
    }
    expect(ids(notOverdue)).toEqual([3, 5, 2]);
  });

  it('lists them all from the collection without filters', async () => {
    const queries = serve(requests);

    const all = await service().list(principal, { page: 1, perPage: 30 });

    expect(ids(all)).toEqual([3, 5, 1, 2, 4]);
    expect(queries.every((query) => query.IndexName === 'gsi1')).toBe(true);
  });
});
