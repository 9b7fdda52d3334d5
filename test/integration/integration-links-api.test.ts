import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { emulatorDocumentClient } from './emulator-clients.ts';
import { accountCaller, createUsAccount, subjectLinks, type TestAccount } from './admin-test-account.ts';

const platform = inject('localPlatform');
const { url, table } = platform.regions.us;
const client = emulatorDocumentClient(platform);
const call = accountCaller(url);
let account: TestAccount;
let other: TestAccount;

beforeAll(async () => {
  account = await createUsAccount(client, table, 91);
  other = await createUsAccount(client, table, 92);
});
afterAll(() => client.destroy());

const newTicket = (who: TestAccount) =>
  call(who, 'POST', '/api/v2/tickets', {
    subject: 'Linked',
    description: 'x',
    email: `l-${randomUUID()}@example.test`,
  });
const link = (who: TestAccount, extra: Record<string, unknown>) =>
  call(who, 'POST', '/api/v2/integration_links', {
    app: 'jira',
    external_id: `PROJ-${randomUUID().slice(0, 8)}`,
    external_url: 'https://jira.example.test/browse/PROJ-1',
    ...extra,
  });
const ids = (answer: { body: Array<{ id: number }> }) => answer.body.map((item) => item.id);

describe('integration links API', () => {
  it("links a ticket to an app's outside record, lists it by record and by app, and ties it to the requester", async () => {
    // Prepare
    const ticket = await newTicket(account);
    const app = `crm-${randomUUID().slice(0, 8)}`;

    // Act
    const created = await link(account, {
      app,
      record_type: 'ticket',
      record_id: ticket.body.id,
      external_id: 'OPP-1',
    });
    const byRecord = await call(
      account,
      'GET',
      `/api/v2/integration_links?record_type=ticket&record_id=${ticket.body.id}`,
    );
    const byApp = await call(account, 'GET', `/api/v2/integration_links?app=${app}`);
    const updated = await call(account, 'PUT', `/api/v2/integration_links/${created.body.id}`, {
      external_url: 'https://crm.example.test/opp/1',
    });
    const viewed = await call(account, 'GET', `/api/v2/integration_links/${created.body.id}`);

    // Assess
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      app,
      record_type: 'ticket',
      record_id: ticket.body.id,
      external_id: 'OPP-1',
    });
    expect(created.body).not.toHaveProperty('contact_id');
    expect(ids(byRecord)).toEqual([created.body.id]);
    expect(ids(byApp)).toEqual([created.body.id]);
    expect(updated.status).toBe(200);
    expect(viewed.body.external_url).toBe('https://crm.example.test/opp/1');
    expect(
      await subjectLinks(client, table, account.id, `contact#${ticket.body.requester_id}`),
    ).toContainEqual({
      record_type: 'integration_link',
      record_id: created.body.id,
    });
  });

  it('ties a link of a contact to that contact, and a link of a company to nobody', async () => {
    const contact = await call(account, 'POST', '/api/v2/contacts', {
      name: 'Linked person',
      email: `p-${randomUUID()}@example.test`,
    });
    const company = await call(account, 'POST', '/api/v2/companies', { name: `Co ${randomUUID()}` });

    const contactLink = await link(account, { record_type: 'contact', record_id: contact.body.id });
    const companyLink = await link(account, { record_type: 'company', record_id: company.body.id });

    expect([contactLink.status, companyLink.status]).toEqual([201, 201]);
    expect(await subjectLinks(client, table, account.id, `contact#${contact.body.id}`)).toContainEqual({
      record_type: 'integration_link',
      record_id: contactLink.body.id,
    });
    const agentLinks = await subjectLinks(client, table, account.id, 'agent#91');
    expect(agentLinks.map((l) => l.record_id)).not.toContain(companyLink.body.id);
  });

  it('refuses a second link of the same app, record and external id (409) until the first is deleted', async () => {
    const ticket = await newTicket(account);
    const body = { record_type: 'ticket', record_id: ticket.body.id, external_id: 'SAME-1' };

    const first = await link(account, body);
    const duplicate = await link(account, body);
    const otherApp = await link(account, { ...body, app: 'zendesk-sync' });
    const deleted = await call(account, 'DELETE', `/api/v2/integration_links/${first.body.id}`);
    const again = await link(account, body);

    expect([first.status, duplicate.status, otherApp.status, deleted.status, again.status]).toEqual([
      201, 409, 201, 204, 201,
    ]);
    expect(duplicate.body.code).toBe('conflict');
    expect(
      ids(
        await call(
          account,
          'GET',
          `/api/v2/integration_links?record_type=ticket&record_id=${ticket.body.id}`,
        ),
      ).sort(),
    ).toEqual([otherApp.body.id, again.body.id].sort());
  });

  it("answers links to missing or another account's records, and another account's links, with 404", async () => {
    // Prepare
    const mine = await newTicket(account);
    // Ticket ids count per account, so another account's record is named by a contact id (unique).
    const theirs = await call(other, 'POST', '/api/v2/contacts', {
      name: 'Theirs',
      email: `t-${randomUUID()}@example.test`,
    });
    const created = await link(account, { record_type: 'ticket', record_id: mine.body.id });

    // Act
    const answers = [
      await link(account, { record_type: 'contact', record_id: theirs.body.id }),
      await link(account, { record_type: 'contact', record_id: 987654321 }),
      await call(other, 'GET', `/api/v2/integration_links/${created.body.id}`),
      await call(other, 'PUT', `/api/v2/integration_links/${created.body.id}`, { external_id: 'X' }),
      await call(other, 'DELETE', `/api/v2/integration_links/${created.body.id}`),
    ];
    const listedToOther = await call(
      other,
      'GET',
      `/api/v2/integration_links?record_type=ticket&record_id=${mine.body.id}`,
    );

    // Assess
    expect(answers.map((answer) => answer.status)).toEqual([404, 404, 404, 404, 404]);
    expect(listedToOther.body).toEqual([]);
    const viewed = await call(account, 'GET', `/api/v2/integration_links/${created.body.id}`);
    expect(viewed.body.external_id).toBe(created.body.external_id);
  });

  it('answers malformed links and filters with 400 naming the field', async () => {
    const ticket = await newTicket(account);
    const field = async (answer: Promise<{ status: number; body: { errors: Array<{ field: string }> } }>) => {
      const { status, body } = await answer;
      return [status, body.errors[0]?.field];
    };

    expect(await field(link(account, { record_type: 'agent', record_id: 1 }))).toEqual([400, 'record_type']);
    expect(
      await field(
        link(account, {
          record_type: 'ticket',
          record_id: ticket.body.id,
          external_url: 'javascript:alert(1)',
        }),
      ),
    ).toEqual([400, 'external_url']);
    expect(
      await field(link(account, { record_type: 'ticket', record_id: ticket.body.id, app: 'Bad App' })),
    ).toEqual([400, 'app']);
    expect(await field(call(account, 'GET', '/api/v2/integration_links?record_type=ticket'))).toEqual([
      400,
      'record_id',
    ]);
    expect(
      await field(call(account, 'GET', `/api/v2/integration_links?record_type=ticket&record_id=1&app=jira`)),
    ).toEqual([400, 'app']);
  });
});
