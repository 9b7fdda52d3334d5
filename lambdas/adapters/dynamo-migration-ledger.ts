import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
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

  async counted(
    accountId: string,
    migrationId: number,
    entry: LedgerEntry,
  ): Promise<MigrationCounts | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { pk: recordPk(accountId, migrationRef(migrationId)), sk: entrySk(entry) },
        ConsistentRead: true,
      }),
    );
    return Item ? (Item.counts as MigrationCounts) : undefined;
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
      for (const item of page.Items ?? []) totals = addCounts(totals, item.counts as MigrationCounts);
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return totals;
  }
}
