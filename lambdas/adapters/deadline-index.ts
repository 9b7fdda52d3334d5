import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { deadlinePk } from './record-keys.ts';

/**
 * Items of one deadline kind due at or before `before` (ISO), soonest first, at most `limit`: a Query
 * of the region's deadlines index (gsi4, `gsi4sk` starting with the due time), paged until full.
 */
export async function dueItems(
  client: DynamoDBDocumentClient,
  tableName: string,
  kind: string,
  before: string,
  limit: number,
  projection?: string,
): Promise<Record<string, unknown>[]> {
  const due: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: 'gsi4',
        // '~' sorts after the rest of the key, so deadlines at `before` itself are included.
        KeyConditionExpression: 'gsi4pk = :kind AND gsi4sk <= :before',
        ExpressionAttributeValues: { ':kind': deadlinePk(kind), ':before': `${before}~` },
        ProjectionExpression: projection,
        Limit: limit - due.length,
        ExclusiveStartKey: startKey,
      }),
    );
    due.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey && due.length < limit);
  return due;
}
