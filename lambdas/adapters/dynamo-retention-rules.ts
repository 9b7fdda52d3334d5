import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { EnabledRetentionRule, RetentionRuleDirectory } from '#domain/retention/retention-run';
import { deadlinePk } from './record-keys.ts';

/**
 * The region's enabled retention rules, one at a time in a stable order: a Query of the deadlines index
 * (gsi4, `DEADLINE#retention-rule`, `<created_at>#<account>#retention_policy#<id>`), which holds only
 * enabled, live rules (sparse). No Scan: its cost follows the number of enabled rules.
 */
export class DynamoRetentionRuleDirectory implements RetentionRuleDirectory {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async next(after?: string): Promise<EnabledRetentionRule | undefined> {
    const page = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'gsi4',
        KeyConditionExpression: after ? 'gsi4pk = :kind AND gsi4sk > :after' : 'gsi4pk = :kind',
        ExpressionAttributeValues: {
          ':kind': deadlinePk('retention-rule'),
          ...(after && { ':after': after }),
        },
        ProjectionExpression: 'gsi4sk, account_id, record_id',
        Limit: 1,
      }),
    );
    const item = page.Items?.[0];
    if (!item) return undefined;
    return {
      position: item.gsi4sk as string,
      accountId: item.account_id as string,
      policyId: item.record_id as number,
    };
  }
}
