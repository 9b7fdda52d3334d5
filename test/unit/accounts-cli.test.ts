import { describe, expect, it } from 'vitest';
import { parseAccountsArguments } from '../../scripts/accounts-arguments.ts';
import { runAccounts } from '../../scripts/accounts-cli.ts';
import { formatCreated, formatList } from '../../scripts/accounts-output.ts';
import type { OperatorAccount } from '../../scripts/operator-client.ts';

const account: OperatorAccount = {
  account_id: '0b7c4c4e-2a58-4b39-9f0e-6c1d3f1a2b3c',
  account_name: 'Acme',
  home_region: 'eea',
  home_region_name: 'European Economic Area',
  aws_region: 'eu-central-1',
  products: ['helpdesk', 'crm'],
  created_at: '2026-12-07T14:00:00.000Z',
  status: 'active',
  version: 1,
};

/** Runs the CLI's main function, collecting what it writes. */
async function run(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runAccounts(argv, { out: (text) => out.push(text), err: (text) => err.push(text) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('npm run accounts: arguments', () => {
  it('reads a create command, the local eea region by default', () => {
    // Act
    const invocation = parseAccountsArguments([
      'create',
      '--name',
      'Acme',
      '--products',
      'helpdesk, crm',
      '--admin-name',
      'Ada Admin',
      '--admin-email',
      'ada@acme.test',
      '--json',
    ]);

    // Assess
    expect(invocation).toEqual({
      command: {
        name: 'create',
        account: {
          name: 'Acme',
          products: ['helpdesk', 'crm'],
          admin: { name: 'Ada Admin', email: 'ada@acme.test' },
        },
      },
      region: 'eea',
      deployed: false,
      endpoint: undefined,
      endpointsFile: undefined,
      json: true,
    });
  });

  it('reads account commands with their id, products as a list, --aws as --deployed', () => {
    expect(parseAccountsArguments(['suspend', 'abc', '--region', 'in']).command).toEqual({
      name: 'suspend',
      accountId: 'abc',
    });
    expect(parseAccountsArguments(['products', 'abc', 'helpdesk,service_desk']).command).toEqual({
      name: 'products',
      accountId: 'abc',
      products: ['helpdesk', 'service_desk'],
    });
    expect(parseAccountsArguments(['list', '--aws', '--region', 'au', '--limit', '10'])).toMatchObject({
      command: { name: 'list', limit: 10 },
      region: 'au',
      deployed: true,
    });
  });

  it.each([
    [[], 'Name a command'],
    [['delete', 'abc'], 'Unknown command delete'],
    [['suspend'], 'suspend needs an account id'],
    [['create', '--name', 'Acme'], 'create needs --products'],
    [['list', '--region', 'mars'], 'Unknown region mars'],
    [['list', '--deployed'], '--region is required with --deployed'],
    [['list', '--limit', '0'], '--limit is 1 to 100'],
    [['list', '--colour'], "Unknown option '--colour'"],
  ])('refuses %j with exit code 2, the reason and the usage', async (argv, reason) => {
    // Act
    const result = await run(argv);

    // Assess
    expect(result.code).toBe(2);
    expect(result.err).toContain(reason);
    expect(result.err).toContain('usage: npm run accounts');
    expect(result.out).toBe('');
  });

  it('says how to start the local platform when it is not running (exit code 1)', async () => {
    // Act
    const result = await run(['list', '--endpoints-file', '/nonexistent/endpoints.json']);

    // Assess
    expect(result.code).toBe(1);
    expect(result.err).toContain('run npm start');
  });
});

describe('npm run accounts: output for a person', () => {
  it('shows a new account with its admin and the key, once, with a warning', () => {
    // Act
    const text = formatCreated({ account, admin: { agent_id: 42, api_key: 'eea_secret' } });

    // Assess
    expect(text).toContain('Account 0b7c4c4e-2a58-4b39-9f0e-6c1d3f1a2b3c');
    expect(text).toMatch(/region\s+European Economic Area \(eea, eu-central-1\)/);
    expect(text).toMatch(/products\s+helpdesk, crm/);
    expect(text).toMatch(/admin\s+agent 42/);
    expect(text).toMatch(/API key\s+eea_secret/);
    expect(text).toContain('shown only now');
  });

  it('lists accounts as aligned columns and says how to get the next page', () => {
    // Act
    const text = formatList(
      { accounts: [account, { ...account, account_name: 'Beta', status: 'suspended' }], next_cursor: 'abc' },
      'eea',
    );

    // Assess
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^ACCOUNT ID\s+STATUS\s+CREATED\s+PRODUCTS\s+NAME$/);
    expect(lines[2]).toMatch(/suspended\s+2026-12-07T14:00:00.000Z\s+helpdesk,crm\s+Beta$/);
    expect(lines[0]?.indexOf('STATUS')).toBe(lines[2]?.indexOf('suspended'));
    expect(text).toContain('npm run accounts -- list --region eea --cursor abc');
  });
});
