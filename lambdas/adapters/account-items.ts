import type { Account } from '#domain/account';
import type { AuditEntry } from '#domain/records/record';
import { accountRef } from '#domain/operators/account-directory';
import { accountDirectoryKey, accountKey, operatorAuditKey } from './keys.ts';
import type { RecordIndexItems, TransactItem } from './record-items.ts';

/** An account's profile item. `status` and `version` are absent on accounts written before operators. */
export interface AccountItem {
  account_id: string;
  name: string;
  home_region: Account['homeRegion'];
  products: Account['products'];
  created_at: string;
  status?: Account['status'];
  version?: number;
  /** Absent until set: the helpdesk's default languages. */
  languages?: { primary: string; supported: string[]; portal: string[] };
}

export function accountFromItem(item: AccountItem): Account {
  return {
    id: item.account_id,
    name: item.name,
    homeRegion: item.home_region,
    products: item.products,
    createdAt: item.created_at,
    status: item.status ?? 'active',
    version: item.version ?? 1,
    ...(item.languages && { languages: item.languages }),
  };
}

export function accountToItem(account: Account): AccountItem {
  return {
    account_id: account.id,
    name: account.name,
    home_region: account.homeRegion,
    products: account.products,
    created_at: account.createdAt,
    status: account.status ?? 'active',
    version: account.version ?? 1,
    ...(account.languages && {
      languages: {
        primary: account.languages.primary,
        supported: [...account.languages.supported],
        portal: [...account.languages.portal],
      },
    }),
  };
}

/**
 * The items beside an account: its directory entry (at creation) and, for each audited change, its
 * entry in the account's own audit trail and in the region's operator audit. Ids and field names only.
 */
export class AccountCompanionItems {
  constructor(
    private readonly tableName: string,
    private readonly index: RecordIndexItems,
  ) {}

  directoryEntry(account: Account): TransactItem {
    return {
      Put: {
        TableName: this.tableName,
        Item: {
          ...accountDirectoryKey(account.createdAt, account.id),
          item_type: 'account_directory',
          account_id: account.id,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
  }

  audit(account: Account, audit: AuditEntry): TransactItem[] {
    const version = account.version ?? 1;
    return [
      this.index.putAudit({ accountId: account.id, ref: accountRef, version }, audit),
      {
        Put: {
          TableName: this.tableName,
          Item: {
            ...operatorAuditKey(audit.at, account.id, version),
            item_type: 'operator_audit',
            account_id: account.id,
            at: audit.at,
            actor: audit.actor,
            operation: audit.operation,
            changed_fields: [...audit.changedFields],
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    ];
  }

  /** Puts `next` over `previous` only if the stored item is still at `previous`'s version. */
  update(previous: Account, next: Account): TransactItem {
    const before = previous.version ?? 1;
    return {
      Put: {
        TableName: this.tableName,
        Item: { ...accountKey(next.id), type: 'account', ...accountToItem(next) },
        // An account written before versions holds none: it is at version 1.
        ConditionExpression:
          before === 1
            ? 'attribute_exists(pk) AND (attribute_not_exists(version) OR version = :before)'
            : 'attribute_exists(pk) AND version = :before',
        ExpressionAttributeValues: { ':before': before },
      },
    };
  }
}
