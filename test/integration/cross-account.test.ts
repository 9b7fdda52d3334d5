import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { apiRoutes } from '../../lib/platform/api-routes.ts';
import { createTestAccount, keyCaller } from './account-fixture.ts';
import { emulatorDocumentClient } from './emulator-clients.ts';

const platform = inject('localPlatform');
const { url, apiKey: ownerKey, table } = platform.regions.us;
const client = emulatorDocumentClient(platform);
const call = keyCaller(url);
afterAll(() => client.destroy());

/** Nothing of the route table is shared between accounts: custom roles are account data too. */
const notAccountData = new Set<string>();

/** A valid body for each write, so a refusal can only come from whose id it is, never from validation. */
const bodies: Record<string, unknown> = {
  'PUT /api/v2/contacts/{id}': { job_title: 'Changed' },
  'PUT /api/v2/tickets/{id}': { priority: 4 },
  'POST /api/v2/tickets/{id}/reply': { body: 'Changed' },
  'POST /api/v2/tickets/{id}/notes': { body: 'Changed' },
  'PUT /api/v2/conversations/{id}': { body: 'Changed' },
  'POST /api/v2/tickets/{id}/huddle': { body: 'Changed' },
  'PUT /api/v2/agents/{id}': { job_title: 'Changed' },
  'PUT /api/v2/retention_policies/{id}': { enabled: true },
  'PUT /api/v2/companies/{id}': { description: 'Changed' },
  'POST /api/v2/tickets/{id}/satisfaction_ratings': { ratings: { default_question: 103 } },
  'POST /api/v2/tickets/{id}/time_entries': { time_spent: '00:05' },
  'PUT /api/v2/time_entries/{id}': { note: 'Changed' },
  'PUT /api/v2/canned_response_folders/{id}': { name: 'Changed' },
  'PUT /api/v2/canned_responses/{id}': { title: 'Changed' },
  'PUT /api/v2/products/{id}': { description: 'Changed' },
  'POST /api/v2/chats/{id}/messages': { body: 'Changed', actor_type: 'agent' },
  'PUT /api/v2/groups/{id}': { description: 'Changed' },
  'PUT /api/v2/discussions/categories/{id}': { description: 'Changed' },
  'POST /api/v2/discussions/categories/{id}/forums': { name: 'F', forum_type: 1, forum_visibility: 1 },
  'PUT /api/v2/discussions/forums/{id}': { description: 'Changed' },
  'POST /api/v2/discussions/forums/{id}/topics': { title: 'T', message: 'M' },
  'PUT /api/v2/discussions/topics/{id}': { title: 'Changed' },
  'POST /api/v2/discussions/topics/{id}/comments': { body: 'C' },
  'PUT /api/v2/discussions/comments/{id}': { body: 'Changed' },
  'PUT /api/v2/solutions/categories/{id}': { description: 'Changed' },
  'POST /api/v2/solutions/categories/{id}/folders': { name: 'F', visibility: 1 },
  'PUT /api/v2/solutions/folders/{id}': { description: 'Changed' },
  'POST /api/v2/solutions/folders/{id}/articles': { title: 'A', description: 'D', status: 1 },
  'PUT /api/v2/solutions/articles/{id}': { title: 'Changed' },
  'POST /api/v2/solutions/categories/{id}/{language}': { name: 'Changed' },
  'PUT /api/v2/solutions/categories/{id}/{language}': { name: 'Changed' },
  'POST /api/v2/solutions/folders/{id}/{language}': { name: 'Changed' },
  'PUT /api/v2/solutions/folders/{id}/{language}': { name: 'Changed' },
  'POST /api/v2/solutions/articles/{id}/{language}': { title: 'Changed', description: 'D', status: 1 },
  'PUT /api/v2/solutions/articles/{id}/{language}': { title: 'Changed' },
  'PUT /api/v2/admin/contact_fields/{id}': { label: 'Changed' },
  'PUT /api/v2/admin/ticket_fields/{id}': { label: 'Changed' },
  'PUT /api/v2/admin/company_fields/{id}': { label: 'Changed' },
  'POST /api/v2/tickets/{id}/attachments': {
    name: 'a.bin',
    content_type: 'application/octet-stream',
    size: 10,
  },
  'PUT /api/v2/integration_links/{id}': { external_url: 'https://example.test/changed' },
  'PUT /api/v2/roles/{id}': { description: 'Changed' },
  'PUT /api/v2/sharing_rules/{id}': { name: 'Changed' },
  'POST /api/v2/privacy/requests/{id}/verify': { method: 'email_confirmation' },
  'POST /api/v2/privacy/requests/{id}/reject': { reason: 'Changed' },
};

/** Where each route's id points: a record of the owner account, and the GET that shows it. */
const owned: Record<string, { id: number | string; view: string }> = {};
/** The language `{language}` names: a translation of the owner's (the intruder's account supports none). */
const language = 'de';
let intruderKey = '';
let intruderAgentId = 0;

function ownerOf(path: string): { id: number | string; view: string } {
  const prefix = path.slice(0, path.indexOf('{id}'));
  const match = owned[prefix];
  if (!match) throw new Error(`no fixture for ${path}`);
  return match;
}

beforeAll(async () => {
  const intruder = await createTestAccount(client, table, 'us', [{ id: 77, role: 'admin' }]);
  intruderKey = intruder.agents[0]?.key ?? '';
  intruderAgentId = intruder.agents[0]?.id ?? 0;
  const make = async (path: string, body: unknown) => {
    const answer = await call(ownerKey, 'POST', path, body);
    if (answer.status !== 201) throw new Error(`${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body.id as number;
  };
  const own = (prefix: string, id: number | string, view = `${prefix}${id}`) => {
    owned[prefix] = { id, view };
  };
  const v = '/api/v2';
  const contact = await make(`${v}/contacts`, { name: 'Owned', email: `o-${randomUUID()}@example.test` });
  const convertible = await make(`${v}/contacts`, {
    name: 'Owned 2',
    email: `o-${randomUUID()}@example.test`,
  });
  const ticket = await make(`${v}/tickets`, { subject: 'S', description: 'D', requester_id: contact });
  const conversation = await make(`${v}/tickets/${ticket}/reply`, { body: 'R' });
  const huddle = await make(`${v}/tickets/${ticket}/huddle`, { body: 'H' });
  const timeEntry = await make(`${v}/tickets/${ticket}/time_entries`, { time_spent: '00:10', note: 'T' });
  const me = (await call(ownerKey, 'GET', `${v}/agents/me`)).body.id as number;
  const cannedFolder = await make(`${v}/canned_response_folders`, { name: `F ${randomUUID()}` });
  const canned = await make(`${v}/canned_responses`, {
    title: 'C',
    content_html: 'C',
    folder_id: cannedFolder,
  });
  const company = await make(`${v}/companies`, { name: `C ${randomUUID()}` });
  const callId = await make(`${v}/calls`, {
    direction: 'incoming',
    started_at: '2026-11-23T10:00:00Z',
    duration_seconds: 1,
  });
  const chat = await make(`${v}/chats`, { contact_id: contact, started_at: '2026-11-23T10:00:00Z' });
  const group = await make(`${v}/groups`, { name: `G ${randomUUID()}` });
  const dCategory = await make(`${v}/discussions/categories`, { name: `D ${randomUUID()}` });
  const forum = await make(
    `${v}/discussions/categories/${dCategory}/forums`,
    bodies['POST /api/v2/discussions/categories/{id}/forums'],
  );
  const topic = await make(`${v}/discussions/forums/${forum}/topics`, { title: 'T', message: 'M' });
  const comment = await make(`${v}/discussions/topics/${topic}/comments`, { body: 'C' });
  const sCategory = await make(`${v}/solutions/categories`, { name: `S ${randomUUID()}` });
  const folder = await make(`${v}/solutions/categories/${sCategory}/folders`, { name: 'F', visibility: 1 });
  const article = await make(`${v}/solutions/folders/${folder}/articles`, {
    title: 'A',
    description: 'D',
    status: 1,
  });
  // The seeded owner account supports German: each level has its translation (what `{language}` names).
  for (const [path, body] of [
    [`${v}/solutions/categories/${sCategory}/${language}`, { name: 'S' }],
    [`${v}/solutions/folders/${folder}/${language}`, { name: 'F' }],
    [`${v}/solutions/articles/${article}/${language}`, { title: 'A', description: 'D', status: 1 }],
  ] as const) {
    await make(path, body);
  }
  const label = `L${randomUUID().slice(0, 8)}`;
  const contactField = await make(`${v}/admin/contact_fields`, {
    label,
    label_for_customers: label,
    type: 'custom_text',
  });
  const ticketField = await make(`${v}/admin/ticket_fields`, {
    label,
    label_for_customers: label,
    type: 'custom_text',
  });
  const companyField = await make(`${v}/admin/company_fields`, { label, type: 'custom_text' });
  const attachment = await make(
    `${v}/tickets/${ticket}/attachments`,
    bodies['POST /api/v2/tickets/{id}/attachments'],
  );
  const link = await make(`${v}/integration_links`, {
    app: 'jira',
    record_type: 'ticket',
    record_id: ticket,
    external_id: `P-${randomUUID().slice(0, 8)}`,
  });
  const privacyRequest = await make(`${v}/privacy/requests`, {
    type: 'export',
    subject: { type: 'contact', id: contact },
    channel: 'email',
  });
  own(`${v}/privacy/requests/`, privacyRequest);
  own(`${v}/migrations/`, await make(`${v}/migrations`, { source: 'zendesk', files: [{ entity: 'users' }] }));
  own(`${v}/contacts/`, contact);
  own(`${v}/tickets/`, ticket);
  own(`${v}/conversations/`, conversation, `${v}/tickets/${ticket}/conversations`);
  own(`${v}/huddle_messages/`, huddle, `${v}/tickets/${ticket}/huddle`);
  own(`${v}/time_entries/`, timeEntry, `${v}/tickets/${ticket}/time_entries`);
  own(`${v}/agents/`, me);
  own(`${v}/canned_response_folders/`, cannedFolder);
  own(`${v}/canned_responses/`, canned);
  own(`${v}/products/`, await make(`${v}/products`, { name: `P ${randomUUID()}` }));
  own(`${v}/companies/`, company);
  own(`${v}/calls/`, callId);
  own(`${v}/chats/`, chat);
  own(`${v}/groups/`, group);
  own(`${v}/discussions/categories/`, dCategory);
  own(`${v}/discussions/forums/`, forum);
  own(`${v}/discussions/topics/`, topic);
  own(`${v}/discussions/comments/`, comment);
  own(`${v}/solutions/categories/`, sCategory);
  own(`${v}/solutions/folders/`, folder);
  own(`${v}/solutions/articles/`, article);
  own(`${v}/admin/contact_fields/`, contactField);
  own(`${v}/admin/ticket_fields/`, ticketField);
  own(`${v}/admin/company_fields/`, companyField);
  own(`${v}/attachments/`, attachment);
  own(`${v}/integration_links/`, link);
  const ownerKeyId = (await call(ownerKey, 'GET', `${v}/api_keys`)).body[0].id as number;
  own(`${v}/api_keys/`, ownerKeyId, `${v}/api_keys`);
  owned.apiKey = { id: ownerKeyId, view: `${v}/api_keys` };
  const role = await make(`${v}/roles`, { name: `R ${randomUUID()}`, permissions: ['tickets.view'] });
  own(`${v}/roles/`, role);
  const sharedWith = await make(`${v}/groups`, { name: `G ${randomUUID()}` });
  own(
    `${v}/sharing_rules/`,
    await make(`${v}/sharing_rules`, {
      name: 'Owned rule',
      group_id: group,
      action: 'share',
      shared_with_group_id: sharedWith,
      access: 'read_only',
    }),
  );
  // A hold on a ticket of its own, so no other route's record is held; a rule that is off.
  const heldTicket = await make(`${v}/tickets`, {
    subject: 'Held',
    description: 'x',
    email: `h-${randomUUID()}@example.test`,
  });
  own(
    `${v}/legal_holds/`,
    await make(`${v}/legal_holds`, { target_type: 'ticket', target_id: heldTicket, reason: 'Owned hold' }),
  );
  own(
    `${v}/retention_policies/`,
    await make(`${v}/retention_policies`, { name: 'Owned rule', rule: 'calls', days: 3650, enabled: false }),
  );
  // A bulk job on a ticket of its own, ended before the tests read it (its view no longer changes).
  const bulkTicket = await make(`${v}/tickets`, { subject: 'Bulk', description: 'x', requester_id: contact });
  const job = await call(ownerKey, 'POST', `${v}/tickets/bulk_update`, {
    bulk_action: { ids: [bulkTicket], properties: { priority: 2 } },
  });
  if (job.status !== 202) throw new Error(`bulk_update: ${job.status}`);
  const jobId = job.body.job_id as string;
  for (
    let tries = 0;
    (await call(ownerKey, 'GET', `${v}/jobs/${jobId}`)).body.status === 'in_progress';
    tries++
  ) {
    if (tries > 100) throw new Error('the bulk job did not end');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  own(`${v}/jobs/`, jobId);
  // make_agent would convert the shared contact: it gets a contact of its own.
  owned.makeAgent = { id: convertible, view: `${v}/contacts/${convertible}` };
}, 60_000);

// The operator routes take no account credentials at all (AWS IAM; operators.test.ts refuses keys there).
const routes = apiRoutes
  .filter((route) => route.path.includes('{id}') && route.authorization !== 'iam')
  .filter((route) => !notAccountData.has(`${route.method} ${route.path}`));

describe("another account's credentials on the owner's ids", () => {
  it('covers every route that takes an id', () => {
    expect(routes.length).toBeGreaterThan(70);
  });

  it.each(routes.map((route) => [`${route.method} ${route.path}`, route] as const))(
    '%s answers 404 and changes nothing',
    async (key, route) => {
      // Prepare: what the owner sees before.
      const target = route.path.endsWith('/make_agent')
        ? (owned.makeAgent ?? ownerOf(route.path))
        : ownerOf(route.path);
      const view = route.path.includes('{language}') ? `${target.view}/${language}` : target.view;
      const before = await call(ownerKey, 'GET', view);
      expect(before.status, `the owner sees ${view}`).toBe(200);

      // Act
      const answer = await call(
        intruderKey,
        route.method,
        route.path
          .replace('{id}', String(target.id))
          .replace('{key_id}', String(owned.apiKey?.id))
          .replace('{language}', language),
        bodies[key],
      );
      const after = await call(ownerKey, 'GET', view);

      // Assess
      expect(answer.status, JSON.stringify(answer.body)).toBe(404);
      expect(after.body).toEqual(before.body);
    },
  );
});

describe("another account's roles and sharing rules", () => {
  it('are not listed to the intruder and cannot be assigned by them', async () => {
    // Prepare
    const role = ownerOf('/api/v2/roles/{id}');
    const rule = ownerOf('/api/v2/sharing_rules/{id}');

    // Act
    const roles = await call(intruderKey, 'GET', '/api/v2/roles');
    const rules = await call(intruderKey, 'GET', '/api/v2/sharing_rules');
    const assigned = await call(intruderKey, 'PUT', `/api/v2/agents/${intruderAgentId}`, {
      role_ids: [role.id],
    });

    // Assess
    expect(roles.status).toBe(200);
    expect(roles.body.map((view: { id: number }) => view.id)).not.toContain(role.id);
    expect(rules.status).toBe(200);
    expect(rules.body.map((view: { id: number }) => view.id)).not.toContain(rule.id);
    expect(assigned.status).toBe(400);
    expect(assigned.body.errors[0]).toMatchObject({ field: 'role_ids' });
  });
});

describe("another account's ids in a merge's body", () => {
  const ownerTicket = async () =>
    (
      await call(ownerKey, 'POST', '/api/v2/tickets', {
        subject: 'Merge',
        description: 'D',
        email: `m-${randomUUID()}@example.test`,
      })
    ).body.id as number;

  it('PUT /api/v2/tickets/merge answers 404 and changes nothing; the owner merges them', async () => {
    // Prepare: two of the owner's tickets.
    const [primary, secondary] = [await ownerTicket(), await ownerTicket()];
    const before = await call(ownerKey, 'GET', `/api/v2/tickets/${secondary}`);
    const body = { primary_id: primary, ticket_ids: [secondary] };

    // Act
    const answer = await call(intruderKey, 'PUT', '/api/v2/tickets/merge', body);
    const after = await call(ownerKey, 'GET', `/api/v2/tickets/${secondary}`);
    const conversations = await call(ownerKey, 'GET', `/api/v2/tickets/${primary}/conversations`);
    const byOwner = await call(ownerKey, 'PUT', '/api/v2/tickets/merge', body);

    // Assess
    expect(answer.status, JSON.stringify(answer.body)).toBe(404);
    expect(after.body).toEqual(before.body);
    expect(conversations.body).toEqual([]);
    expect(byOwner.status).toBe(204);
  });

  it('POST /api/v2/contacts/merge answers 404 and changes nothing; the owner merges them', async () => {
    // Prepare: two of the owner's contacts.
    const contact = async () =>
      (
        await call(ownerKey, 'POST', '/api/v2/contacts', {
          name: 'Merge',
          email: `mc-${randomUUID()}@example.test`,
        })
      ).body.id as number;
    const [primary, secondary] = [await contact(), await contact()];
    const before = await call(ownerKey, 'GET', `/api/v2/contacts/${secondary}`);
    const body = { primary_contact_id: primary, secondary_contact_ids: [secondary] };

    // Act
    const answer = await call(intruderKey, 'POST', '/api/v2/contacts/merge', body);
    const after = await call(ownerKey, 'GET', `/api/v2/contacts/${secondary}`);
    const byOwner = await call(ownerKey, 'POST', '/api/v2/contacts/merge', body);

    // Assess
    expect(answer.status, JSON.stringify(answer.body)).toBe(404);
    expect(after.body).toEqual(before.body);
    expect(byOwner.status).toBe(204);
    expect((await call(ownerKey, 'GET', `/api/v2/contacts/${secondary}`)).status).toBe(404);
  });
});
