import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { DynamoErasureStore } from '../../lambdas/adapters/dynamo-erasure-store.ts';
import { RECORD_SK, recordPk } from '../../lambdas/adapters/record-keys.ts';
import { newAgent } from '../../lambdas/domain/agents/agent-service.ts';
import { maxApiKeysPerAgent } from '../../lambdas/domain/api-key.ts';
import type { AuditEntry, StoredRecord } from '../../lambdas/domain/records/record.ts';
import { testLookupKeys } from './test-hasher.ts';

const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-central-1' }));
const dynamo = mockClient(documentClient);
afterEach(() => dynamo.reset());

const accountId = 'acc-1';
const at = '2026-11-23T10:00:00.000Z';
const agent = newAgent(accountId, 7, at, { name: 'Agent', email: 'agent@example.test', role: 'agent' });
const agentPk = recordPk(accountId, agent.ref);
const ringKey = { pk: agentPk, sk: 'APIKEYS' };
const audit = (record: StoredRecord<object>): AuditEntry => ({
  at,
  actor: { type: 'system', id: 'privacy-erasure-workflow' },
  operation: 'delete',
  record: record.ref,
  changedFields: [],
});

/** The one transaction the store sent: its parts as DynamoDB receives them. */
function sentTransaction() {
  const calls = dynamo.commandCalls(TransactWriteCommand);
  expect(calls).toHaveLength(1);
  return calls[0]?.args[0].input.TransactItems ?? [];
}

const keyDelete = (hash: string) => ({
  Delete: { TableName: 'table', Key: { pk: `APIKEY#${hash}`, sk: 'APIKEY' } },
});

describe("an agent's erasure revokes their API keys in the transaction that removes the profile", () => {
  it('deletes the profile, every key item and the key ring together, on condition of the ring read', async () => {
    // Prepare
    dynamo
      .on(GetCommand, { Key: ringKey })
      .resolves({ Item: { ...ringKey, key_hashes: new Set(['h1', 'h2']), revision: 'rev-1' } });
    dynamo.on(TransactWriteCommand).resolves({});
    const store = new DynamoErasureStore(documentClient, 'table', { lookupKeys: testLookupKeys });

    // Act
    await store.deleteForGood(agent, audit(agent));

    // Assess
    const items = sentTransaction();
    expect(dynamo).toHaveReceivedCommandWith(GetCommand, { Key: ringKey, ConsistentRead: true });
    expect(items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Delete: expect.objectContaining({ Key: { pk: agentPk, sk: RECORD_SK } }) }),
        {
          Delete: {
            TableName: 'table',
            Key: ringKey,
            ConditionExpression: 'revision = :revision',
            ExpressionAttributeValues: { ':revision': 'rev-1' },
          },
        },
        keyDelete('h1'),
        keyDelete('h2'),
      ]),
    );
  });

  it('checks, for an agent who holds no key, that none was issued before the profile goes', async () => {
    dynamo.on(GetCommand, { Key: ringKey }).resolves({});
    dynamo.on(TransactWriteCommand).resolves({});

    await new DynamoErasureStore(documentClient, 'table', { lookupKeys: testLookupKeys }).deleteForGood(
      agent,
      audit(agent),
    );

    expect(sentTransaction()).toContainEqual({
      ConditionCheck: { TableName: 'table', Key: ringKey, ConditionExpression: 'attribute_not_exists(pk)' },
    });
  });

  it('takes the keys out with an agent moved to a trash, keeping their exact items in its entry', async () => {
    // Prepare
    const ring = { ...ringKey, key_hashes: new Set(['h3']), revision: 'rev-2' };
    const keyItem = { pk: 'APIKEY#h3', sk: 'APIKEY', account_id: accountId, agent_id: 7, prefix: 'p' };
    dynamo
      .on(GetCommand, { Key: { pk: agentPk, sk: RECORD_SK } })
      .resolves({ Item: { version: agent.version } });
    dynamo.on(GetCommand, { Key: ringKey }).resolves({ Item: ring });
    dynamo.on(BatchGetCommand).resolves({ Responses: { table: [keyItem] } });
    dynamo.on(TransactWriteCommand).resolves({});

    // Act
    await new DynamoErasureStore(documentClient, 'table', { lookupKeys: testLookupKeys }).moveToTrash(
      agent,
      42,
      audit(agent),
      at,
    );

    // Assess
    const items = sentTransaction();
    expect(items).toContainEqual(keyDelete('h3'));
    expect(items).toContainEqual(
      expect.objectContaining({ Delete: expect.objectContaining({ Key: ringKey }) }),
    );
    expect(items).toContainEqual(
      expect.objectContaining({
        Put: expect.objectContaining({ Item: expect.objectContaining({ key_items: [ring, keyItem] }) }),
      }),
    );
  });

  it('stays within the 100 items of a DynamoDB transaction when the agent holds every key allowed', async () => {
    const hashes = Array.from({ length: maxApiKeysPerAgent }, (_, index) => `h${index}`);
    dynamo
      .on(GetCommand, { Key: ringKey })
      .resolves({ Item: { key_hashes: new Set(hashes), revision: 'r' } });
    dynamo.on(TransactWriteCommand).resolves({});

    await new DynamoErasureStore(documentClient, 'table', { lookupKeys: testLookupKeys }).deleteForGood(
      agent,
      audit(agent),
    );

    const items = sentTransaction();
    for (const hash of hashes) expect(items).toContainEqual(keyDelete(hash));
    expect(items.length).toBeLessThanOrEqual(100);
  });

  it("reads no key ring for a record that is not an agent's profile", async () => {
    dynamo.on(TransactWriteCommand).resolves({});
    const contact = { ...agent, ref: { type: 'contact' as const, id: 7 }, subjects: [] };

    await new DynamoErasureStore(documentClient, 'table', { lookupKeys: testLookupKeys }).deleteForGood(
      contact,
      audit(contact),
    );

    expect(dynamo).not.toHaveReceivedCommand(GetCommand);
    expect(JSON.stringify(sentTransaction())).not.toContain('APIKEY');
  });
});
