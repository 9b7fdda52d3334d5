import type { Account } from '#domain/account';
import type { AuditEntry, RecordRef } from '#domain/records/record';

/** The record every account-level audit entry names: the account itself (one per account). */
export const accountRef: RecordRef = { type: 'account', id: 1 };

/** One page of the region's accounts, oldest first; `nextCursor` while more follow. */
export interface AccountPage {
  readonly accounts: readonly Account[];
  readonly nextCursor?: string;
}

/** An operator action as the region's operator audit keeps it: ids and field names, never values. */
export interface OperatorAuditRecord extends AuditEntry {
  readonly accountId: string;
}

export interface OperatorAuditPage {
  readonly entries: readonly OperatorAuditRecord[];
  readonly nextCursor?: string;
}

/**
 * The accounts of one hosting region as its operators see them: a directory (one entry per account,
 * written with the account; listed by Query, never a Scan), changes with their audit entries, and the
 * region's operator audit.
 */
export interface AccountDirectory {
  /** At most `limit` accounts after `cursor`; a cursor this list did not give is a ValidationError. */
  listAccounts(limit: number, cursor?: string): Promise<AccountPage>;
  /**
   * Stores `next` (version one more than `previous`) with `audit` in the account's trail and the region's
   * operator audit, in one transaction, if the account is still at `previous`'s version; ConflictError if not.
   */
  changeAccount(previous: Account, next: Account, audit: AuditEntry): Promise<void>;
  /** The region's operator actions, newest first. */
  operatorAudit(limit: number, cursor?: string): Promise<OperatorAuditPage>;
}
