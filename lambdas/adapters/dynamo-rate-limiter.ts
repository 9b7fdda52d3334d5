import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { minuteWindow, type RateDecision, type RateLimiter } from '#domain/rate-limit';

/**
 * One counter item per account and minute, incremented only while under the limit: atomic across every
 * Lambda container. The item expires by TTL soon after its minute.
 */
export class DynamoRateLimiter implements RateLimiter {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async consume(accountId: string, limit: number, now: Date): Promise<RateDecision> {
    const window = minuteWindow(now);
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: `A#${accountId}#RATE#${window.name}`, sk: 'RATE' },
          UpdateExpression:
            'ADD used :one SET expires_at = if_not_exists(expires_at, :expires), item_type = :type',
          ConditionExpression: 'attribute_not_exists(used) OR used < :limit',
          ExpressionAttributeValues: {
            ':one': 1,
            ':limit': limit,
            ':expires': Math.floor(window.endsAt.getTime() / 1000) + 3600,
            ':type': 'rate_window',
          },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      const used = Number(Attributes?.used ?? limit);
      return {
        allowed: true,
        limit,
        remaining: Math.max(0, limit - used),
        resetsInSeconds: window.resetsInSeconds,
      };
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        return { allowed: false, limit, remaining: 0, resetsInSeconds: window.resetsInSeconds };
      }
      throw error;
    }
  }
}
