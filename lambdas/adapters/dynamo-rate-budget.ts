import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { BudgetGrant, RateBudget } from '#domain/rate-lease';
import type { MinuteWindow } from '#domain/rate-limit';

/** Conditional writes that lose a race this often in a row give up (refusing, never overspending). */
const maxAttempts = 5;

/**
 * One counter item per account and minute, raised by a block only while the block still fits under the
 * limit: atomic across every Lambda container. When a full block no longer fits, the rest of the budget
 * is granted instead. The item expires by TTL soon after its minute.
 */
export class DynamoRateBudget implements RateBudget {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async reserve(
    accountId: string,
    window: MinuteWindow,
    limit: number,
    wanted: number,
  ): Promise<BudgetGrant> {
    let asked = Math.min(wanted, limit);
    for (let attempt = 0; attempt < maxAttempts && asked > 0; attempt++) {
      try {
        const { Attributes } = await this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: { pk: `A#${accountId}#RATE#${window.name}`, sk: 'RATE' },
            UpdateExpression:
              'ADD used :asked SET expires_at = if_not_exists(expires_at, :expires), item_type = :type',
            ConditionExpression: 'attribute_not_exists(used) OR used <= :room',
            ExpressionAttributeValues: {
              ':asked': asked,
              ':room': limit - asked,
              ':expires': Math.floor(window.endsAt.getTime() / 1000) + 3600,
              ':type': 'rate_window',
            },
            ReturnValues: 'UPDATED_NEW',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        );
        return { granted: asked, used: Number(Attributes?.used ?? limit) };
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        // The block did not fit: ask for what is left (the failed write returned the count it saw).
        asked = Math.min(asked, limit - usedIn(error, limit));
      }
    }
    return { granted: 0, used: limit };
  }
}

/** The count a failed conditional write saw (raw attribute values: the document client leaves them). */
function usedIn(error: ConditionalCheckFailedException, limit: number): number {
  const used = error.Item?.used?.N;
  return used === undefined ? limit : Number(used);
}
