import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type BatchGetCommandInput,
  DynamoDBDocumentClient,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { DynamoLookupReader } from '../../lambdas/adapters/dynamo-lookup-reader.ts';
import { collectionSk, lookupPk, rangeLookupPk } from '../../lambdas/adapters/record-keys.ts';
import type { Lookup } from '../../lambdas/domain/search/search-lookups.ts';
import { testHasher } from './test-hasher.ts';

const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-central-1' }));
const dynamo = mockClient(documentClient);
afterEach(() => dynamo.reset());

const created = '2026-01-01T10:00:00.000Z';
const agent7: Lookup = { kind: 'eq', name: 's:agent_id', value: '7' };
const priority3: Lookup = { kind: 'range', field: 'priority', from: 'p3', to: 'p3' };

/** One equality partition of `count` ids (1, 2, …), answered page by page as DynamoDB does. */
function serveEquality(count: number) {
  const items = Array.from({ length: count }, (_, i) => ({
    record_id: i + 1,
    sk: collectionSk(created, i + 1),
  }));
  dynamo.on(QueryCommand).callsFake((input: QueryCommandInput) => {
    const after = input.ExclusiveStartKey?.sk as string | undefined;
    const rest = items.filter((item) => after === undefined || item.sk > after);
    const page = rest.slice(0, input.Limit);
    const last = page.at(-1);
    return {
      Items: page,
      LastEvaluatedKey: rest.length > page.length && last ? { pk: 'p', sk: last.sk } : undefined,
    };
  });
}

describe('DynamoLookupReader', () => {
  it('goes on from where the last read of a lookup stopped when asked for more', async () => {
    // Prepare
    serveEquality(25);
    const reader = new DynamoLookupReader(documentClient, 'table', 'acc', 'ticket', testHasher);

    // Act
    const first = await reader.read(agent7, 10);
    const second = await reader.read(agent7, 100);

    // Assess: 11 ids, then the other 14 from the 12th on; nothing read twice.
    expect(first).toEqual({ ids: Array.from({ length: 11 }, (_, i) => i + 1), complete: false });
    expect(second).toEqual({ ids: Array.from({ length: 25 }, (_, i) => i + 1), complete: true });
    const queries = dynamo.commandCalls(QueryCommand).map((call) => call.args[0].input);
    expect(queries.map((input) => input.ExclusiveStartKey?.sk)).toEqual([
      undefined,
      collectionSk(created, 11),
    ]);
  });

  it('checks ids by key on the exact lookup item, and leaves to lookup values what it cannot name', async () => {
    // Prepare: agent 7's ids 1 to 3 are read (so their creation is known); 3 and 9 hold priority 3.
    serveEquality(3);
    dynamo.on(BatchGetCommand).callsFake((input: BatchGetCommandInput) => {
      const keys = input.RequestItems?.table?.Keys ?? [];
      const held = new Set([
        rangeLookupPk('acc', 'ticket', 'priority', 3),
        rangeLookupPk('acc', 'ticket', 'priority', 1),
      ]);
      return {
        Responses: {
          table: keys
            .filter((key) => held.has(key.pk))
            .map((key) => ({ record_id: Number(String(key.sk).slice(-16)) })),
        },
      };
    });
    const reader = new DynamoLookupReader(documentClient, 'table', 'acc', 'ticket', testHasher);
    await reader.read(agent7, 10);

    // Act
    const byRange = await reader.holding(priority3, [3, 4, 9]);
    const byEquality = await reader.holding({ kind: 'eq', name: 's:group_id', value: '3' }, [1, 2]);
    const unknownCreation = await reader.holding({ kind: 'eq', name: 's:group_id', value: '3' }, [1, 40]);
    const wideRange = await reader.holding({ kind: 'range', field: 'priority', from: 'p2' }, [1]);

    // Assess
    expect(byRange).toEqual(new Set([3, 9]));
    const keys = dynamo
      .commandCalls(BatchGetCommand)
      .map((call) => call.args[0].input.RequestItems?.table?.Keys);
    expect(keys[0]).toEqual(
      [3, 4, 9].map((id) => ({
        pk: rangeLookupPk('acc', 'ticket', 'priority', id % 8),
        sk: collectionSk('p3', id),
      })),
    );
    expect(keys[1]).toEqual(
      [1, 2].map((id) => ({
        pk: lookupPk('acc', 'ticket', 's:group_id', testHasher.hash('3')),
        sk: collectionSk(created, id),
      })),
    );
    expect(byEquality).toEqual(new Set());
    expect(unknownCreation).toBeUndefined();
    expect(wideRange).toBeUndefined();
    expect(dynamo.commandCalls(BatchGetCommand)).toHaveLength(2);
  });
});
