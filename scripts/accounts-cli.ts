import {
  type AccountsInvocation,
  accountsUsage,
  parseAccountsArguments,
  UsageError,
} from './accounts-arguments.ts';
import { formatAccount, formatAudit, formatCreated, formatList } from './accounts-output.ts';
import { resolveTarget, TargetNotFoundError } from './accounts-target.ts';
import { OperatorClient, OperatorRequestError } from './operator-client.ts';

/** Where the CLI writes: a person's terminal, or a test's buffers. */
export interface CliOutput {
  out(text: string): void;
  err(text: string): void;
}

const consoleOutput: CliOutput = { out: (text) => console.log(text), err: (text) => console.error(text) };

async function execute(invocation: AccountsInvocation, client: OperatorClient): Promise<[unknown, string]> {
  const { command } = invocation;
  switch (command.name) {
    case 'create': {
      const created = await client.create(command.account);
      return [created, formatCreated(created)];
    }
    case 'list': {
      const list = await client.list(command.limit, command.cursor);
      return [list, formatList(list, invocation.region)];
    }
    case 'show':
    case 'suspend':
    case 'reactivate': {
      const account = await client[command.name](command.accountId);
      return [account, formatAccount(account)];
    }
    case 'products': {
      const account = await client.products(command.accountId, command.products);
      return [account, formatAccount(account)];
    }
    case 'audit': {
      const audit = await client.audit(command.limit);
      return [audit, formatAudit(audit)];
    }
  }
}

/**
 * `npm run accounts -- …`: answers the exit code: 0 done, 1 the API refused or failed (its message on
 * stderr), 2 a command line it cannot run (with the usage).
 */
export async function runAccounts(
  argv: readonly string[],
  output: CliOutput = consoleOutput,
): Promise<number> {
  let invocation: AccountsInvocation;
  try {
    invocation = parseAccountsArguments(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    output.err(`${error.message}\n\n${accountsUsage}`);
    return 2;
  }
  try {
    const target = await resolveTarget(invocation);
    const client = new OperatorClient(target.url, target.credentials, target.signingRegion);
    const [json, text] = await execute(invocation, client);
    output.out(invocation.json ? JSON.stringify(json, null, 2) : text);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      output.err(`${error.message}\n\n${accountsUsage}`);
      return 2;
    }
    if (error instanceof OperatorRequestError) {
      const hint =
        error.status === 403 && error.details === 'Forbidden'
          ? ' (IAM refused the request: are your credentials allowed the operator routes? see docs/operators.md)'
          : '';
      output.err(`Error: ${invocation.command.name} failed: ${error.message}${hint}`);
      return 1;
    }
    if (error instanceof TargetNotFoundError) {
      output.err(`Error: ${error.message}`);
      return 1;
    }
    output.err(
      `Error: ${invocation.command.name} failed: ${(error as Error).name}: ${(error as Error).message}`,
    );
    return 1;
  }
}
