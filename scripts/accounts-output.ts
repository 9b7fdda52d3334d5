import type { AccountList, CreatedAccount, OperatorAccount, OperatorAuditList } from './operator-client.ts';

const rows = (pairs: [string, string][]) =>
  pairs.map(([label, value]) => `  ${label.padEnd(10)}${value}`).join('\n');

/** One account for a person to read. */
export function formatAccount(account: OperatorAccount): string {
  return [
    `Account ${account.account_id}`,
    rows([
      ['name', account.account_name],
      ['region', `${account.home_region_name} (${account.home_region}, ${account.aws_region})`],
      ['status', account.status],
      ['products', account.products.join(', ')],
      ['created', account.created_at],
    ]),
  ].join('\n');
}

/** A new account, with the admin's API key and the warning that it is shown only now. */
export function formatCreated(created: CreatedAccount): string {
  return [
    formatAccount(created.account),
    rows([
      ['admin', `agent ${created.admin.agent_id}`],
      ['API key', created.admin.api_key],
    ]),
    '',
    'The API key is shown only now: hand it to the account admin over a secure channel.',
  ].join('\n');
}

/** Accounts as a table, and how to see the next page. */
export function formatList(list: AccountList, region: string): string {
  if (list.accounts.length === 0) return 'No accounts.';
  const header = ['ACCOUNT ID', 'STATUS', 'CREATED', 'PRODUCTS', 'NAME'];
  const lines = list.accounts.map((account) => [
    account.account_id,
    account.status,
    account.created_at,
    account.products.join(','),
    account.account_name,
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...lines.map((line) => (line[column] ?? '').length)),
  );
  const format = (line: string[]) =>
    line
      .map((cell, column) => (column === line.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join('  ');
  const more = list.next_cursor
    ? `\nMore: npm run accounts -- list --region ${region} --cursor ${list.next_cursor}`
    : '';
  return [format(header), ...lines.map(format)].join('\n') + more;
}

export function formatAudit(list: OperatorAuditList): string {
  if (list.entries.length === 0) return 'No operator actions.';
  return list.entries.map((entry) => `${entry.at}  account ${entry.account_id}  ${entry.summary}`).join('\n');
}
