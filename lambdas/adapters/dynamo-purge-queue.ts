import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { recordPurgeDeadline } from '#domain/purge/purge-due';
import type { DueDeletion, PurgeQueue } from '#domain/purge/purge-queue';
import type { RecordType } from '#domain/records/record';
import { decodeCursor, encodeCursor } from './query-cursor.ts';
import { deadlinePk } from './record-keys.ts';

/**
 * The purge queue as the region's deadlines index (gsi4): each soft-deleted record's item carries
 * `gsi4pk = DEADLINE#record-purge`, `gsi4sk = <due>#<account>#<type>#<id>`, so the due ones are one
 * Query (`gsi4sk <= <now>~`), paged by the index's own cursor (ids only).
 */
export class DynamoPurgeQueue implements PurgeQueue {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async duePage(
    before: string,
    page: { readonly limit: number; readonly cursor?: string },
  ): Promise<{ due: DueDeletion[]; cursor?: string }> {
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'gsi4',
        // '~' sorts after the rest of the key, so records due at `before` itself are included.
        KeyConditionExpression: 'gsi4pk = :kind AND gsi4sk <= :before',
        ExpressionAttributeValues: { ':kind': deadlinePk(recordPurgeDeadline), ':before': `${before}~` },
        ProjectionExpression: 'account_id, record_type, record_id',
        Limit: page.limit,
        ExclusiveStartKey: decodeCursor(page.cursor),
      }),
    );
    return {
      due: (result.Items ?? []).map((item) => ({
        accountId: item.account_id as string,
        ref: { type: item.record_type as RecordType, id: item.record_id as number },
      })),
      cursor: encodeCursor(result.LastEvaluatedKey),
    };
  }
}
