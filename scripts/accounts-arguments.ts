import { parseArgs } from 'node:util';
import { type HostingRegionKey, hostingRegionKeys } from '#lib/residency/index';

export const accountsUsage = `usage: npm run accounts -- <command> [options]

commands:
  create --name NAME --products P1,P2 --admin-name NAME --admin-email EMAIL
                         create an account homed in the region, with its first account admin;
                         prints the admin's API key once
  list [--limit N] [--cursor C]   the region's accounts, oldest first
  show ACCOUNT_ID
  suspend ACCOUNT_ID     its API keys and tokens are refused (403 account_suspended)
  reactivate ACCOUNT_ID
  products ACCOUNT_ID P1,P2       replace the account's products
  audit [--limit N]      the region's operator actions, newest first

where:
  --region us|eea|in|au  the hosting region (default eea on the local platform; required with --deployed)
  --deployed             a deployed region: the standard AWS credential chain, the API URL from the
                         region's Api stack outputs (or --endpoint URL)
  --endpoint URL         the region's API base URL
  --endpoints-file PATH  the local platform's endpoints (default .local/endpoints.json, from npm start)
  --json                 machine-readable output`;

/** A command line the CLI cannot run: the message and the usage are printed, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export type AccountsCommand =
  | {
      readonly name: 'create';
      readonly account: { name: string; products: string[]; admin: { name: string; email: string } };
    }
  | { readonly name: 'list'; readonly limit?: number; readonly cursor?: string }
  | { readonly name: 'show' | 'suspend' | 'reactivate'; readonly accountId: string }
  | { readonly name: 'products'; readonly accountId: string; readonly products: string[] }
  | { readonly name: 'audit'; readonly limit?: number };

export interface AccountsInvocation {
  readonly command: AccountsCommand;
  readonly region: HostingRegionKey;
  readonly deployed: boolean;
  readonly endpoint?: string;
  readonly endpointsFile?: string;
  readonly json: boolean;
}

const listOf = (value: string) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

function limitOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new UsageError('--limit is 1 to 100');
  return limit;
}

/** Reads the CLI's arguments (after `npm run accounts --`) into what to do where. */
export function parseAccountsArguments(argv: readonly string[]): AccountsInvocation {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        region: { type: 'string' },
        deployed: { type: 'boolean', default: false },
        aws: { type: 'boolean', default: false },
        endpoint: { type: 'string' },
        'endpoints-file': { type: 'string' },
        json: { type: 'boolean', default: false },
        name: { type: 'string' },
        products: { type: 'string' },
        'admin-name': { type: 'string' },
        'admin-email': { type: 'string' },
        limit: { type: 'string' },
        cursor: { type: 'string' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  const deployed = values.deployed || values.aws;
  if (deployed && !values.region) throw new UsageError('--region is required with --deployed');
  const region = values.region ?? 'eea';
  if (!(hostingRegionKeys as readonly string[]).includes(region)) {
    throw new UsageError(`Unknown region ${region}: one of ${hostingRegionKeys.join(', ')}`);
  }
  const [name, ...rest] = positionals;
  const accountId = () => {
    const id = rest[0];
    if (!id) throw new UsageError(`${name} needs an account id`);
    return id;
  };
  const required = (value: string | undefined, option: string) => {
    if (!value?.trim()) throw new UsageError(`${name} needs ${option}`);
    return value.trim();
  };
  let command: AccountsCommand;
  switch (name) {
    case 'create':
      command = {
        name,
        account: {
          name: required(values.name, '--name'),
          products: listOf(required(values.products, '--products')),
          admin: {
            name: required(values['admin-name'], '--admin-name'),
            email: required(values['admin-email'], '--admin-email'),
          },
        },
      };
      break;
    case 'list':
      command = { name, limit: limitOf(values.limit), cursor: values.cursor };
      break;
    case 'show':
    case 'suspend':
    case 'reactivate':
      command = { name, accountId: accountId() };
      break;
    case 'products': {
      const products = listOf(rest[1] ?? values.products ?? '');
      if (products.length === 0) throw new UsageError('products needs an account id and a list: P1,P2');
      command = { name, accountId: accountId(), products };
      break;
    }
    case 'audit':
      command = { name, limit: limitOf(values.limit) };
      break;
    default:
      throw new UsageError(name ? `Unknown command ${name}` : 'Name a command');
  }
  return {
    command,
    region: region as HostingRegionKey,
    deployed,
    endpoint: values.endpoint,
    endpointsFile: values['endpoints-file'],
    json: values.json,
  };
}
