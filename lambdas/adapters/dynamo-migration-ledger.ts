import { type DynamoDBDocumentClient, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { LedgerEntry, MigrationLedger } from '#domain/migrations/migration-files';
import { addCounts, type MigrationCounts, migrationRef, noCounts } from '#domain/migrations/migration';
import { recordPk } from './record-keys.ts';

/** `sk` of a ledger entry: the file's, or one of its chunks'. */
const entrySk = (entry: LedgerEntry) =>
  `LEDGER#${entry.entity}#${entry.chunk === undefined ? 'file' : String(entry.chunk).padStart(6, '0')}`;

/**
 * The ledger lives in the migration record's own partition (`A#<account>#migration#<id>`), one item
 * per file and chunk: ids and counts only.
 */
export class DynamoMigrationLedger implements MigrationLedger {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async begin(
    accountId: string,
    migrationId: number,
    entry: LedgerEntry,
    at: string,
  ): Promise<{ counts?: MigrationCounts; startedAt: string }> {
    const { Attributes } = await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pk: recordPk(accountId, migrationRef(migrationId)), sk: entrySk(entry) },
        UpdateExpression: 'SET started_at = if_not_exists(started_at, :at), item_type = :type',
        ExpressionAttributeValues: { ':at': at, ':type': 'migration_ledger' },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return {
      counts: Attributes?.counts as MigrationCounts | undefined,
      startedAt: Attributes?.started_at as string,
    };
  }

  async record(
    accountId: string,
    migrationId: number,
    entry: LedgerEntry,
    counts: MigrationCounts,
  ): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          pk: recordPk(accountId, migrationRef(migrationId)),
          sk: entrySk(entry),
          item_type: 'migration_ledger',
          counts,
        },
      }),
    );
  }

  async totals(accountId: string, migrationId: number): Promise<MigrationCounts> {
    let totals = noCounts;
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :ledger)',
          ExpressionAttributeValues: {
            ':pk': recordPk(accountId, migrationRef(migrationId)),
            ':ledger': 'LEDGER#',
          },
          ProjectionExpression: 'counts',
          ExclusiveStartKey: startKey,
          ConsistentRead: true,
        }),
      );
      // A chunk begun and not yet done has no counts yet.
      for (const item of page.Items ?? [])
        if (item.counts) totals = addCounts(totals, item.counts as MigrationCounts);
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return totals;
  }
}
