import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { DynamoRecordStore } from '../../lambdas/adapters/dynamo-record-store.ts';
import { privacyRequestRef } from '../../lambdas/domain/privacy/privacy-request.ts';
import { localOperatorCredentials } from '../../local/local-credentials.ts';
import { type HostingRegionKey, hostingRegion, hostingRegionKeys } from '../../lib/residency/index.ts';
import { runAccounts } from '../../scripts/accounts-cli.ts';
import { OperatorClient, OperatorRequestError } from '../../scripts/operator-client.ts';
import { emulatorDocumentClient } from './emulator-clients.ts';
import { apiCaller, createTestAccount } from './test-accounts.ts';

const platform = inject('localPlatform');
const client = emulatorDocumentClient(platform);
afterAll(() => client.destroy());

/** Runs `npm run accounts -- …` (its main function) against a region of the local platform, with --json. */
async function cli(region: HostingRegionKey, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runAccounts(
    [...argv, '--region', region, '--endpoint', platform.regions[region].url, '--json'],
    {
      out: (text) => out.push(text),
      err: (text) => err.push(text),
    },
  );
  return { code, json: out.length ? JSON.parse(out.join('\n')) : undefined, err: err.join('\n') };
}

async function createWithCli(region: HostingRegionKey, products: string) {
  const created = await cli(
    region,
    'create',
    '--name',
    `Acme ${region}`,
    '--products',
    products,
    '--admin-name',
    'Ada Admin',
    '--admin-email',
    `ada-${randomUUID()}@acme.test`,
  );
  expect(created.err).toBe('');
  expect(created.code).toBe(0);
  return created.json as { account: { account_id: string }; admin: { agent_id: number; api_key: string } };
}

const accountOf = (region: HostingRegionKey, key: string) =>
  apiCaller(platform.regions[region].url)('GET', '/api/v2/account', key);

describe('npm run accounts on the local platform', () => {
  it.each(hostingRegionKeys)(
    'creates an account homed in %s whose admin key works at once',
    async (region) => {
      // Act
      const created = await createWithCli(region, 'helpdesk');
      const account = await accountOf(region, created.admin.api_key);
      const listed = await cli(region, 'list', '--limit', '100');
      const shown = await cli(region, 'show', created.account.account_id);

      // Assess
      expect(created.admin.api_key.startsWith(`${region}_`)).toBe(true);
      expect(account.status).toBe(200);
      expect(account.body).toMatchObject({
        account_id: created.account.account_id,
        home_region: region,
        products: ['helpdesk'],
        status: 'active',
      });
      expect(listed.json.accounts.map((entry: { account_id: string }) => entry.account_id)).toContain(
        created.account.account_id,
      );
      expect(shown.json).toMatchObject({
        account_id: created.account.account_id,
        status: 'active',
        version: 1,
      });
      expect(JSON.stringify(shown.json)).not.toContain('api_key');
    },
  );

  it("suspends an account: its key and a requester's portal token get 403 account_suspended until it is reactivated", async () => {
    // Prepare: an account with a contact holding a portal token.
    const created = await createWithCli('eea', 'helpdesk,crm');
    const call = apiCaller(platform.regions.eea.url);
    const key = created.admin.api_key;
    const contact = await call('POST', '/api/v2/contacts', key, {
      name: 'Req',
      email: `r-${randomUUID()}@x.test`,
    });
    const issued = await call('POST', `/api/v2/contacts/${contact.body.id}/portal_token`, key);
    expect(issued.status).toBe(201);
    const withToken = () =>
      fetch(`${platform.regions.eea.url}/api/v2/contacts/${contact.body.id}`, {
        headers: { authorization: `Bearer ${issued.body.token}` },
      });

    // Act
    const suspended = await cli('eea', 'suspend', created.account.account_id);
    const keyWhileSuspended = await accountOf('eea', key);
    const tokenWhileSuspended = await withToken();
    const reactivated = await cli('eea', 'reactivate', created.account.account_id);
    const keyAfter = await accountOf('eea', key);
    const tokenAfter = await withToken();

    // Assess
    expect(suspended.json).toMatchObject({ status: 'suspended', version: 2 });
    expect(keyWhileSuspended.status).toBe(403);
    expect(keyWhileSuspended.body).toMatchObject({
      code: 'account_suspended',
      errors: [{ code: 'account_suspended' }],
    });
    expect(tokenWhileSuspended.status).toBe(403);
    expect(((await tokenWhileSuspended.json()) as { code: string }).code).toBe('account_suspended');
    expect(reactivated.json).toMatchObject({ status: 'active', version: 3 });
    expect(keyAfter.status).toBe(200);
    expect(keyAfter.body.status).toBe('active');
    expect(tokenAfter.status).toBe(200);
  });

  it('changes products, and refuses products the region cannot host with 400 naming them, changing nothing', async () => {
    // Prepare
    const created = await createWithCli('in', 'helpdesk');
    const id = created.account.account_id;

    // Act
    const changed = await cli('in', 'products', id, 'helpdesk,service_desk');
    const refused = await cli('in', 'products', id, 'helpdesk,phone,hr');
    const refusedCreate = await cli(
      'in',
      'create',
      ...['--name', 'X', '--products', 'crm', '--admin-name', 'A', '--admin-email', 'a@x.test'],
    );
    const account = await accountOf('in', created.admin.api_key);

    // Assess
    expect(changed.code).toBe(0);
    expect(changed.json.products).toEqual(['helpdesk', 'service_desk']);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('HTTP 400');
    expect(refused.err).toMatch(/products: .*phone, hr/);
    expect(refusedCreate.code).toBe(1);
    expect(refusedCreate.err).toMatch(/products: .*crm/);
    expect(account.body.products).toEqual(['helpdesk', 'service_desk']);
  });

  it('audits every operator action with an IAM-derived operator id, in the region and in the account', async () => {
    // Prepare
    const created = await createWithCli('au', 'helpdesk');
    const id = created.account.account_id;
    await cli('au', 'suspend', id);
    await cli('au', 'reactivate', id);
    await cli('au', 'products', id, 'helpdesk,service_desk');
    const operatorId = `arn:aws:iam::000000000000:role/helpdesk-local-operator#${localOperatorCredentials.accessKeyId}`;

    // Act
    const regionAudit = await cli('au', 'audit', '--limit', '100');
    const accountTrail = await apiCaller(platform.regions.au.url)(
      'GET',
      '/api/v2/audit_log?record_type=account&record_id=1',
      created.admin.api_key,
    );

    // Assess
    const ours = regionAudit.json.entries.filter((entry: { account_id: string }) => entry.account_id === id);
    expect(
      ours.map((entry: { operation: string; changed_fields: string[] }) => [
        entry.operation,
        entry.changed_fields,
      ]),
    ).toEqual([
      ['update', ['products']],
      ['update', ['status']],
      ['update', ['status']],
      ['create', ['name', 'products']],
    ]);
    for (const entry of ours) expect(entry.actor).toEqual({ type: 'operator', id: operatorId });
    expect(accountTrail.status).toBe(200);
    expect(accountTrail.body).toHaveLength(4);
    expect(
      accountTrail.body.every((entry: { actor: { type: string } }) => entry.actor.type === 'operator'),
    ).toBe(true);
    expect(JSON.stringify(regionAudit.json)).not.toContain('@acme.test');
  });

  it("lets a workflow started before the suspension finish: a contact's erasure completes", async () => {
    // Prepare: an account of the test fixture, a contact, its v2 deletion (an erasure workflow).
    const { url, table } = platform.regions.eea;
    const account = await createTestAccount(client, table, 'eea', ['admin']);
    const call = apiCaller(url);
    const contact = await call('POST', '/api/v2/contacts', account.keys.admin, {
      name: 'Gone',
      email: `g-${randomUUID()}@x.test`,
    });
    const deletion = await call(
      'DELETE',
      `/api/v2/contacts/${contact.body.id}/hard_delete`,
      account.keys.admin,
    );
    expect(deletion.status).toBe(204);
    const requestId = Number(deletion.headers.get('location')?.split('/').at(-1));

    // Act
    const suspended = await cli('eea', 'suspend', account.id);
    const store = new DynamoRecordStore(client, table);
    const deadline = Date.now() + 30_000;
    let status: unknown;
    do {
      await new Promise((resolve) => setTimeout(resolve, 100));
      status = (await store.get<{ status: string }>(account.id, privacyRequestRef(requestId)))?.fields.status;
    } while (status !== 'completed' && status !== 'failed' && Date.now() < deadline);

    // Assess
    expect(suspended.json.status).toBe('suspended');
    expect(status).toBe('completed');
    expect((await call('GET', '/api/v2/account', account.keys.admin)).status).toBe(403);
  });
});

describe('npm run accounts as a child process', () => {
  const repoRoot = resolve(import.meta.dirname, '..', '..');
  /** Runs scripts/accounts.ts as `npm run accounts` does, on the platform's endpoints file. */
  async function accountsProcess(...argv: string[]) {
    const dir = mkdtempSync(join(tmpdir(), 'accounts-cli-'));
    const endpointsFile = join(dir, 'endpoints.json');
    writeFileSync(endpointsFile, JSON.stringify(platform));
    try {
      const { stdout, stderr } = await promisify(execFile)(
        process.execPath,
        ['--import', 'tsx', 'scripts/accounts.ts', ...argv, '--endpoints-file', endpointsFile],
        { cwd: repoRoot },
      );
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
  }

  it("lists a region's accounts for a person, from the local platform's endpoints file", async () => {
    // Act
    const listed = await accountsProcess('list', '--region', 'us');

    // Assess
    expect(listed.stderr).toBe('');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/^ACCOUNT ID\s+STATUS\s+CREATED\s+PRODUCTS\s+NAME$/m);
    expect(listed.stdout).toContain(platform.regions.us.accountId);
  }, 60_000);

  it('exits 1 with the reason when the account is not in the region', async () => {
    // Act
    const shown = await accountsProcess('show', randomUUID(), '--region', 'us');

    // Assess
    expect(shown.code).toBe(1);
    expect(shown.stderr).toContain('HTTP 404');
    expect(shown.stdout).toBe('');
  }, 60_000);
});

describe('the operator routes refuse unsigned, foreign-signed and malformed requests', () => {
  const url = platform.regions.eea.url;

  it('answers an unsigned request 403 {"message":"Forbidden"} before any function runs', async () => {
    // Act
    const response = await fetch(`${url}/operator/v1/accounts`);

    // Assess
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ message: 'Forbidden' });
  });

  it('answers a request signed with other credentials, or for another region, 403', async () => {
    // Prepare
    const stranger = new OperatorClient(
      url,
      { accessKeyId: 'ASIASTRANGER00000000', secretAccessKey: 'x' },
      'eu-central-1',
    );
    const otherRegion = new OperatorClient(url, localOperatorCredentials, hostingRegion('us').awsRegion);

    // Act
    const answers = await Promise.allSettled([stranger.list(), otherRegion.list()]);

    // Assess
    for (const answer of answers) {
      expect(answer.status).toBe('rejected');
      expect((answer as PromiseRejectedResult).reason).toBeInstanceOf(OperatorRequestError);
      expect((answer as PromiseRejectedResult).reason).toMatchObject({ status: 403, details: 'Forbidden' });
    }
  });

  it('answers bad input from a signed operator in the error format, never a 500, writing nothing', async () => {
    // Prepare
    const operator = new OperatorClient(url, localOperatorCredentials, hostingRegion('eea').awsRegion);
    const refusal = (call: Promise<unknown>) =>
      call.then(
        () => undefined,
        (error: OperatorRequestError) => [error.status, error.details] as const,
      );
    const before = await operator.list(100);

    // Act
    const answers = await Promise.all([
      refusal(
        operator.call('POST', 'operator/v1/accounts', { name: '', products: ['nope'], admin: {}, extra: 1 }),
      ),
      refusal(operator.call('POST', 'operator/v1/accounts', [1, 2])),
      refusal(operator.show('not-an-account-id')),
      refusal(operator.suspend(randomUUID())),
      refusal(operator.list(100, 'forged-cursor')),
      refusal(operator.products(before.accounts[0]?.account_id ?? '', [])),
    ]);
    const after = await operator.list(100);

    // Assess
    expect(answers.map((answer) => answer?.[0])).toEqual([400, 400, 404, 404, 400, 400]);
    expect(answers[0]?.[1]).toMatch(
      /name: .*products\.0: .*admin\.name: It should be specified.*extra: Unexpected/,
    );
    expect(answers[4]?.[1]).toContain('cursor');
    expect(after.accounts).toEqual(before.accounts);
  });

  it('does not let an API key reach the operator routes', async () => {
    // Act
    const response = await apiCaller(url)('GET', '/operator/v1/accounts', platform.regions.eea.apiKey);

    // Assess
    expect(response.status).toBe(403);
    expect(response.body).toEqual({ message: 'Forbidden' });
  });
});
