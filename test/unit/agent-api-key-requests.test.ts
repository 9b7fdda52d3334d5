import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { AgentApiKeys } from '../../lambdas/adapters/agent-api-keys.ts';
import { recordPk } from '../../lambdas/adapters/record-keys.ts';
import { apiKeyIdOf } from '../../lambdas/domain/api-key.ts';

/**
 * The requests the key list and the last-used note send, as DynamoDB receives them: DynamoDB Local
 * reads consistently whatever is asked and answers every BatchGetItem key, so only the serialized
 * request shows that a key issued a moment ago is listed on AWS too.
 */
const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-central-1' }));
const dynamo = mockClient(documentClient);
afterEach(() => dynamo.reset());

const ringKey = { pk: recordPk('acc-1', { type: 'agent', id: 7 }), sk: 'APIKEYS' };
const hash = 'ab'.repeat(32);

describe("an agent's key list", () => {
  it('reads the ring and the key items strongly consistent, asking again for unprocessed keys', async () => {
    // Prepare
    const keyItem = {
      pk: `APIKEY#${hash}`,
      sk: 'APIKEY',
      created_at: '2026-12-07T10:00:00Z',
      prefix: 'eea_Ab3x',
    };
    dynamo.on(GetCommand).resolves({ Item: { ...ringKey, key_hashes: new Set([hash]), revision: 'r' } });
    dynamo
      .on(BatchGetCommand)
      .resolvesOnce({
        Responses: {},
        UnprocessedKeys: { table: { Keys: [{ pk: keyItem.pk, sk: 'APIKEY' }] } },
      })
      .resolves({ Responses: { table: [keyItem] } });

    // Act
    const keys = await new AgentApiKeys(documentClient, 'table').keysOf('acc-1', 7);

    // Assess
    expect(dynamo).toHaveReceivedCommandWith(GetCommand, { Key: ringKey, ConsistentRead: true });
    const batches = dynamo
      .commandCalls(BatchGetCommand)
      .map((call) => call.args[0].input.RequestItems?.table);
    expect(batches).toHaveLength(2);
    expect(batches.every((batch) => batch?.ConsistentRead === true)).toBe(true);
    expect(keys).toEqual([
      { keyId: apiKeyIdOf(hash), prefix: 'eea_Ab3x', createdAt: '2026-12-07T10:00:00Z' },
    ]);
  });
});

describe("a key's last-used day", () => {
  it('is one conditional update that never creates a revoked key nor goes back in time', async () => {
    // Prepare
    dynamo.on(UpdateCommand).resolves({});

    // Act
    await new AgentApiKeys(documentClient, 'table').noteUsed(hash, '2026-12-07');

    // Assess
    expect(dynamo).toHaveReceivedCommandWith(UpdateCommand, {
      Key: { pk: `APIKEY#${hash}`, sk: 'APIKEY' },
      UpdateExpression: 'SET last_used_on = :day',
      ConditionExpression:
        'attribute_exists(pk) AND (attribute_not_exists(last_used_on) OR last_used_on < :day)',
      ExpressionAttributeValues: { ':day': '2026-12-07' },
    });
  });

  it('takes a failed condition (noted already, or revoked) as done', async () => {
    dynamo
      .on(UpdateCommand)
      .rejects(new ConditionalCheckFailedException({ message: 'failed', $metadata: {} }));

    await expect(
      new AgentApiKeys(documentClient, 'table').noteUsed(hash, '2026-12-07'),
    ).resolves.toBeUndefined();
  });
});
