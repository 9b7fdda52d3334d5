import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Account } from '#domain/account';
import { ValidationError } from '#domain/errors';
import {
  type AccountDirectory,
  type AccountPage,
  accountRef,
  type OperatorAuditPage,
  type OperatorAuditRecord,
} from '#domain/operators/account-directory';
import type { AuditEntry } from '#domain/records/record';
import { AccountCompanionItems, type AccountItem, accountFromItem } from './account-items.ts';
import { DynamoBatches } from './dynamo-batches.ts';
import { ACCOUNT_DIRECTORY_PK, OPERATOR_AUDIT_PK, accountKey } from './keys.ts';
import { RecordIndexItems, transactRecords } from './record-items.ts';

/** Sort keys a cursor may hold: `<ISO instant>#<account uuid>[#<version>]`, nothing else. */
const directorySk = /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]{8,12}Z#[0-9a-f-]{36}$/;
const operatorAuditSk = /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]{8,12}Z#[0-9a-f-]{36}#[0-9]{8}$/;

const encode = (sk: string | undefined) => (sk ? Buffer.from(sk, 'utf8').toString('base64url') : undefined);

function decode(cursor: string | undefined, shape: RegExp): string | undefined {
  if (cursor === undefined) return undefined;
  const sk = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!shape.test(sk)) {
    throw new ValidationError([
      { field: 'cursor', code: 'invalid_value', message: 'It is not a cursor of this list.' },
    ]);
  }
  return sk;
}

/** The region's account directory and operator audit in the records table (docs/access-patterns.md). */
export class DynamoAccountDirectory implements AccountDirectory {
  private readonly companions: AccountCompanionItems;
  private readonly batches: DynamoBatches;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    this.companions = new AccountCompanionItems(tableName, new RecordIndexItems(tableName));
    this.batches = new DynamoBatches(client, tableName, 1);
  }

  async listAccounts(limit: number, cursor?: string): Promise<AccountPage> {
    const { Items, nextCursor } = await this.page(ACCOUNT_DIRECTORY_PK, directorySk, limit, cursor, true);
    const ids = Items.map((item) => item.account_id as string);
    const profiles = await this.batches.get(ids.map(accountKey));
    const byId = new Map(
      profiles.map((item) => {
        const account = accountFromItem(item as unknown as AccountItem);
        return [account.id, account];
      }),
    );
    return {
      accounts: ids.flatMap((id) => byId.get(id) ?? []),
      nextCursor,
    };
  }

  changeAccount(previous: Account, next: Account, audit: AuditEntry): Promise<void> {
    return transactRecords(
      this.client,
      [this.companions.update(previous, next), ...this.companions.audit(next, audit)],
      'The account was changed meanwhile; read it again and retry.',
    );
  }

  async operatorAudit(limit: number, cursor?: string): Promise<OperatorAuditPage> {
    const { Items, nextCursor } = await this.page(OPERATOR_AUDIT_PK, operatorAuditSk, limit, cursor, false);
    return {
      entries: Items.map((item): OperatorAuditRecord => ({
        accountId: item.account_id as string,
        at: item.at as string,
        actor: item.actor as AuditEntry['actor'],
        operation: item.operation as AuditEntry['operation'],
        record: accountRef,
        changedFields: (item.changed_fields as string[] | undefined) ?? [],
      })),
      nextCursor,
    };
  }

  /** One page of a region-wide partition after the sort key `cursor` names (checked against `shape`). */
  private async page(pk: string, shape: RegExp, limit: number, cursor: string | undefined, forward: boolean) {
    const after = decode(cursor, shape);
    const { Items = [], LastEvaluatedKey } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        ScanIndexForward: forward,
        Limit: limit,
        ...(after && { ExclusiveStartKey: { pk, sk: after } }),
      }),
    );
    return { Items, nextCursor: encode(LastEvaluatedKey?.sk as string | undefined) };
  }
}
