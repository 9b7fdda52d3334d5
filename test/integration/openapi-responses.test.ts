import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { apiRoutes } from '../../lib/platform/api-routes.ts';
import { mergeInProgressView } from '../../lambdas/domain/contacts/contact-merge.ts';
import { seedDemoAccount } from '../../local/seed.ts';
import { apiCaller, settledPrivacyRequest } from './test-accounts.ts';

/**
 * The OpenAPI document against real answers: every operation it describes is called once on the local
 * platform (a fresh account of the US region, which hosts every product), and each answer's body is
 * validated with a JSON Schema validator against the operation's response schema in openapi.json (204s
 * must be empty). An operation the test never calls fails it, so a new route needs its call here.
 * An operation with two documented successes (a merge: 204, or 202 while it continues) may answer
 * either; its call says which one it expects.
 */
const platform = inject('localPlatform');
const region = 'us' as const;
const { url } = platform.regions[region];
const call = apiCaller(url);

interface Document {
  paths: Record<string, Record<string, { responses: Record<string, ResponseObject> }>>;
  components: { schemas: Record<string, object> };
}
interface ResponseObject {
  content?: { 'application/json'?: { schema: object } };
}
const document = JSON.parse(readFileSync(new URL('../../openapi.json', import.meta.url), 'utf8')) as Document;
const documented = Object.entries(document.paths).flatMap(([path, methods]) =>
  Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
);

/**
 * Operations whose success cannot be reached by a plain call; the test calls them and validates the
 * documented error they answer instead, each with the reason.
 */
const answeredWithError: Readonly<Record<string, { status: number; reason: string }>> = {
  'POST /api/v2/privacy/requests/{id}/retry': {
    status: 409,
    reason:
      'only a failed request runs again; failing a workflow needs injected faults (privacy-*-faults tests)',
  },
};

interface Answer {
  status: number;
  headers: Headers;
  // The answers are read field by field below, as the API documents them.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}
const answers = new Map<string, Answer>();
let key = '';

/**
 * Calls `operation` (`METHOD /path` as the route table names it) with `params` filling its `{…}`
 * placeholders in order, and keeps the answer for validation; fails at once on a status that is not
 * one of its documented successes (or, for `answeredWithError`, its documented error).
 */
async function hit(operation: string, params: readonly (string | number)[] = [], body?: unknown, query = '') {
  const [method = '', template = ''] = operation.split(' ');
  let index = 0;
  const path = template.replace(/\{\w+\}/g, () => encodeURIComponent(String(params[index++])));
  const answer: Answer = await call(method, `${path}${query}`, key, body);
  const successes = Object.keys(document.paths[template]?.[method.toLowerCase()]?.responses ?? {})
    .filter((status) => status.startsWith('2'))
    .map(Number);
  const wanted = answeredWithError[operation]?.status;
  if (wanted === undefined)
    expect(successes, `${operation}: ${JSON.stringify(answer.body)}`).toContain(answer.status);
  else expect(answer.status, `${operation}: ${JSON.stringify(answer.body)}`).toBe(wanted);
  answers.set(operation, answer);
  return answer;
}

const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
ajv.addSchema({ $id: 'openapi', components: document.components });

/** What is wrong with an answer by the document: empty when it matches its operation's response. */
function mismatches(operation: string, answer: Answer): string[] {
  const [method = '', path = ''] = operation.split(' ');
  const response = document.paths[path]?.[method.toLowerCase()]?.responses[String(answer.status)];
  if (!response) return [`${operation}: status ${answer.status} is not documented`];
  const schema = response.content?.['application/json']?.schema;
  if (!schema) return answer.body === undefined ? [] : [`${operation}: a body where none is documented`];
  const resolved = JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"openapi#/components/'));
  const validate = ajv.compile(resolved);
  if (validate(answer.body)) return [];
  return (validate.errors ?? []).map(
    (error) => `${operation}: ${error.instancePath || '/'} ${error.message} ${JSON.stringify(error.params)}`,
  );
}

const v = '/api/v2';
const unique = randomUUID().slice(0, 8);
const email = (name: string) => `${name}-${unique}@example.test`;
/** Waits until the erasure a v2 deletion started is done (its `Location` names the request). */
const erased = (answer: Answer) => settledPrivacyRequest(url, key, answer);

beforeAll(async () => {
  key = (await seedDemoAccount(region, platform.emulators)).apiKey;
}, 60_000);

describe('every operation of the OpenAPI document answers as its response schema says', () => {
  let companyId = 0;
  let contactId = 0;
  let ticketId = 0;

  it('account, settings and the public routes', async () => {
    await hit('GET /api/v2/health');
    await hit('GET /api/v2/openapi.json');
    await hit('GET /api/v2/account');
    await hit('GET /api/v2/settings/helpdesk');
  });

  it('contacts, portal tokens, companies and the audit log', async () => {
    const company = await hit('POST /api/v2/companies', [], {
      name: `Contract ${unique}`,
      domains: [`c${unique}.example.test`],
    });
    companyId = company.body.id;
    await hit('GET /api/v2/companies', [], undefined, '?per_page=5');
    await hit('GET /api/v2/companies/autocomplete', [], undefined, `?name=contract`);
    await hit('GET /api/v2/search/companies', [], undefined, `?query="domain:'c${unique}.example.test'"`);
    await hit('GET /api/v2/companies/{id}', [companyId]);
    await hit('PUT /api/v2/companies/{id}', [companyId], { description: 'Changed' });
    const deleted = await hit('POST /api/v2/companies', [], { name: `Deleted ${unique}` });
    await hit('DELETE /api/v2/companies/{id}', [deleted.body.id]);
    await hit('PUT /api/v2/companies/{id}/restore', [deleted.body.id]);

    const contact = await hit('POST /api/v2/contacts', [], {
      name: 'Contract Contact',
      email: email('a'),
      company_id: companyId,
    });
    contactId = contact.body.id;
    await hit('GET /api/v2/contacts', [], undefined, `?email=${encodeURIComponent(email('a'))}`);
    await hit('GET /api/v2/contacts/autocomplete', [], undefined, '?term=contract');
    await hit('GET /api/v2/search/contacts', [], undefined, `?query="email:'${email('a')}'"`);
    await hit('GET /api/v2/contacts/{id}', [contactId]);
    await hit('PUT /api/v2/contacts/{id}', [contactId], { job_title: 'Buyer' });
    await hit('POST /api/v2/contacts/{id}/portal_token', [contactId]);
    await hit('POST /api/v2/admin/portal_token_secret/rotate');
    await hit('GET /api/v2/audit_log', [], undefined, `?record_type=contact&record_id=${contactId}`);

    const made = await hit('POST /api/v2/contacts', [], { name: 'Made Agent', email: email('m') });
    await hit('PUT /api/v2/contacts/{id}/make_agent', [made.body.id]);
  });

  it('tickets, conversations, huddles, attachments, ratings and time entries', async () => {
    const ticket = await hit('POST /api/v2/tickets', [], {
      subject: `Contract ${unique}`,
      description: '<p>Hello</p>',
      requester_id: contactId,
      tags: [`t${unique}`],
    });
    const t = ticket.body.id as number;
    ticketId = t;
    await hit(
      'GET /api/v2/tickets',
      [],
      undefined,
      `?requester_id=${contactId}&order_by=status&order_type=asc`,
    );
    await hit('GET /api/v2/search/tickets', [], undefined, `?query="tag:'t${unique}'"`);
    await hit('GET /api/v2/tickets/{id}', [t]);
    await hit('PUT /api/v2/tickets/{id}', [t], { priority: 3 });
    await hit('POST /api/v2/tickets/{id}/reply', [t], { body: 'Reply' });
    const note = await hit('POST /api/v2/tickets/{id}/notes', [t], { body: 'Note' });
    await hit('GET /api/v2/tickets/{id}/conversations', [t]);
    await hit('PUT /api/v2/conversations/{id}', [note.body.id], { body: 'Edited' });
    await hit('DELETE /api/v2/conversations/{id}', [note.body.id]);
    await hit('PUT /api/v2/conversations/{id}/restore', [note.body.id]);

    const huddle = await hit('POST /api/v2/tickets/{id}/huddle', [t], { body: 'Huddle' });
    await hit('GET /api/v2/tickets/{id}/huddle', [t]);
    await hit('DELETE /api/v2/huddle_messages/{id}', [huddle.body.id]);
    await hit('PUT /api/v2/huddle_messages/{id}/restore', [huddle.body.id]);

    const attachment = await hit('POST /api/v2/tickets/{id}/attachments', [t], {
      name: 'a.bin',
      content_type: 'application/octet-stream',
      size: 10,
    });
    await hit('GET /api/v2/attachments/{id}', [attachment.body.id]);
    await hit('DELETE /api/v2/attachments/{id}', [attachment.body.id]);
    await hit('PUT /api/v2/attachments/{id}/restore', [attachment.body.id]);

    await hit('POST /api/v2/tickets/{id}/satisfaction_ratings', [t], { ratings: { default_question: 103 } });
    await hit('GET /api/v2/tickets/{id}/satisfaction_ratings', [t]);
    await hit('GET /api/v2/surveys/satisfaction_ratings');

    const entry = await hit('POST /api/v2/tickets/{id}/time_entries', [t], {
      time_spent: '00:10',
      note: 'T',
    });
    await hit('GET /api/v2/tickets/{id}/time_entries', [t]);
    await hit('GET /api/v2/time_entries');
    await hit('PUT /api/v2/time_entries/{id}', [entry.body.id], { note: 'Changed' });
    await hit('PUT /api/v2/time_entries/{id}/toggle_timer', [entry.body.id]);
    await hit('DELETE /api/v2/time_entries/{id}', [entry.body.id]);
    await hit('PUT /api/v2/time_entries/{id}/restore', [entry.body.id]);

    const other = await hit('POST /api/v2/tickets', [], {
      subject: 'Deleted',
      description: 'x',
      email: email('d'),
    });
    await hit('DELETE /api/v2/tickets/{id}', [other.body.id]);
    await hit('PUT /api/v2/tickets/{id}/restore', [other.body.id]);
  });

  it('ticket watchers, ticket and contact merges, and bulk ticket jobs', async () => {
    const newTicket = async (subject: string) =>
      (await hit('POST /api/v2/tickets', [], { subject, description: 'x', email: email(subject) })).body
        .id as number;
    const [first, second] = [await newTicket('watched'), await newTicket('merged')];
    await hit('POST /api/v2/tickets/{id}/watch', [first]);
    await hit('GET /api/v2/tickets/{id}/watchers', [first]);
    await hit('PUT /api/v2/tickets/{id}/unwatch', [first]);
    await hit('POST /api/v2/tickets/bulk_watch', [], { ids: [first, second] });
    await hit('PUT /api/v2/tickets/bulk_unwatch', [], { ids: [first, second] });
    await hit('PUT /api/v2/tickets/merge', [], { primary_id: first, ticket_ids: [second] });

    const contact = async (name: string) =>
      (await hit('POST /api/v2/contacts', [], { name, email: email(name) })).body.id as number;
    const primary = await contact('primary');
    const merged = await hit('POST /api/v2/contacts/merge', [], {
      primary_contact_id: primary,
      secondary_contact_ids: [await contact('secondary')],
    });
    // A small merge ends within its time budget (204). Spending the budget needs an injected one
    // (contact-merge-api.test.ts), so the 202 body the handler sends is validated as it is.
    expect(merged.status).toBe(204);
    const inProgress = { status: 202, headers: new Headers(), body: mergeInProgressView };
    expect(mismatches('POST /api/v2/contacts/merge', inProgress)).toEqual([]);

    const updated = await hit('POST /api/v2/tickets/bulk_update', [], {
      bulk_action: { ids: [first, first + 1_000_000], properties: { priority: 2 } },
    });
    await hit('POST /api/v2/tickets/bulk_delete', [], { bulk_action: { ids: [await newTicket('bulk')] } });
    // The job once it ended, so its `data` holds a success and a refusal (the missing ticket).
    const deadline = Date.now() + 30_000;
    let job = await hit('GET /api/v2/jobs/{id}', [updated.body.job_id]);
    while (job.body.status === 'in_progress' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      job = await hit('GET /api/v2/jobs/{id}', [updated.body.job_id]);
    }
    expect(job.body).toMatchObject({ status: 'completed', progress: 100 });
  });

  it('products, canned responses and their folders', async () => {
    const product = await hit('POST /api/v2/products', [], { name: `P ${unique}` });
    const p = product.body.id as number;
    await hit('GET /api/v2/products');
    await hit('GET /api/v2/products/{id}', [p]);
    await hit('PUT /api/v2/products/{id}', [p], { description: 'Changed' });
    await hit('DELETE /api/v2/products/{id}', [p]);
    await hit('PUT /api/v2/products/{id}/restore', [p]);

    const folder = await hit('POST /api/v2/canned_response_folders', [], { name: `F ${unique}` });
    const f = folder.body.id as number;
    await hit('GET /api/v2/canned_response_folders');
    await hit('PUT /api/v2/canned_response_folders/{id}', [f], { name: `F ${unique} renamed` });
    const response = await hit('POST /api/v2/canned_responses', [], {
      title: 'Thanks',
      content_html: '<p>Thank you</p>',
      folder_id: f,
    });
    await hit('GET /api/v2/canned_response_folders/{id}', [f]);
    await hit('GET /api/v2/canned_response_folders/{id}/responses', [f]);
    await hit('GET /api/v2/canned_responses');
    await hit('GET /api/v2/canned_responses/{id}', [response.body.id]);
    await hit('PUT /api/v2/canned_responses/{id}', [response.body.id], { visibility: 1 });
  });

  it('agents, API keys, roles, sharing rules and groups', async () => {
    const me = await hit('GET /api/v2/agents/me');
    await hit('GET /api/v2/agents');
    await hit('GET /api/v2/agents/{id}', [me.body.id]);
    await hit('PUT /api/v2/agents/{id}', [me.body.id], { job_title: 'Lead' });
    const agent = await hit('POST /api/v2/agents', [], { email: email('agent'), ticket_scope: 1 });
    await hit('GET /api/v2/agents/{id}/api_keys', [agent.body.id]);
    const agentKey = await hit('POST /api/v2/agents/{id}/api_keys', [agent.body.id], {});
    await hit('DELETE /api/v2/agents/{id}/api_keys/{key_id}', [agent.body.id, agentKey.body.id]);
    await hit('DELETE /api/v2/agents/{id}', [agent.body.id]);
    await hit('GET /api/v2/api_keys');
    const own = await hit('POST /api/v2/api_keys', [], {});
    await hit('DELETE /api/v2/api_keys/{id}', [own.body.id]);

    await hit('GET /api/v2/roles');
    await hit('GET /api/v2/roles/{id}', [1]);
    const role = await hit('POST /api/v2/roles', [], { name: `R ${unique}`, permissions: ['tickets.view'] });
    await hit('PUT /api/v2/roles/{id}', [role.body.id], { description: 'Changed' });
    await hit('DELETE /api/v2/roles/{id}', [role.body.id]);

    const group = await hit('POST /api/v2/groups', [], { name: `G ${unique}` });
    const sharedWith = await hit('POST /api/v2/groups', [], { name: `H ${unique}` });
    await hit('GET /api/v2/groups');
    await hit('GET /api/v2/groups/{id}', [group.body.id]);
    await hit('PUT /api/v2/groups/{id}', [group.body.id], { description: 'Changed' });
    const rule = await hit('POST /api/v2/sharing_rules', [], {
      name: 'Rule',
      group_id: group.body.id,
      action: 'share',
      shared_with_group_id: sharedWith.body.id,
      access: 'read_only',
    });
    await hit('GET /api/v2/sharing_rules');
    await hit('GET /api/v2/sharing_rules/{id}', [rule.body.id]);
    await hit('PUT /api/v2/sharing_rules/{id}', [rule.body.id], { name: 'Changed' });
    await hit('DELETE /api/v2/sharing_rules/{id}', [rule.body.id]);
    await hit('DELETE /api/v2/groups/{id}', [sharedWith.body.id]);
    await hit('PUT /api/v2/groups/{id}/restore', [sharedWith.body.id]);
  });

  it('calls, chats and integration links', async () => {
    const phoneCall = await hit('POST /api/v2/calls', [], {
      direction: 'incoming',
      started_at: '2026-11-23T10:00:00Z',
      duration_seconds: 1,
      contact_id: contactId,
    });
    await hit('GET /api/v2/calls');
    await hit('GET /api/v2/calls/{id}', [phoneCall.body.id]);
    await hit('DELETE /api/v2/calls/{id}', [phoneCall.body.id]);
    await hit('PUT /api/v2/calls/{id}/restore', [phoneCall.body.id]);

    const chat = await hit('POST /api/v2/chats', [], {
      contact_id: contactId,
      started_at: '2026-11-23T10:00:00Z',
    });
    await hit('GET /api/v2/chats');
    await hit('GET /api/v2/chats/{id}', [chat.body.id]);
    await hit('POST /api/v2/chats/{id}/messages', [chat.body.id], { body: 'Hi', actor_type: 'contact' });
    await hit('GET /api/v2/chats/{id}/messages', [chat.body.id]);
    await hit('DELETE /api/v2/chats/{id}', [chat.body.id]);
    await hit('PUT /api/v2/chats/{id}/restore', [chat.body.id]);

    const link = await hit('POST /api/v2/integration_links', [], {
      app: 'jira',
      record_type: 'ticket',
      record_id: ticketId,
      external_id: `P-${unique}`,
    });
    await hit('GET /api/v2/integration_links', [], undefined, '?app=jira');
    await hit('GET /api/v2/integration_links/{id}', [link.body.id]);
    await hit('PUT /api/v2/integration_links/{id}', [link.body.id], {
      external_url: 'https://example.test/x',
    });
    await hit('DELETE /api/v2/integration_links/{id}', [link.body.id]);
    await hit('PUT /api/v2/integration_links/{id}/restore', [link.body.id]);
  });

  it('discussions', async () => {
    const category = await hit('POST /api/v2/discussions/categories', [], { name: `D ${unique}` });
    const c = category.body.id as number;
    await hit('GET /api/v2/discussions/categories');
    await hit('GET /api/v2/discussions/categories/{id}', [c]);
    await hit('PUT /api/v2/discussions/categories/{id}', [c], { description: 'Changed' });
    const forum = await hit('POST /api/v2/discussions/categories/{id}/forums', [c], {
      name: 'F',
      forum_type: 1,
      forum_visibility: 1,
    });
    const f = forum.body.id as number;
    await hit('GET /api/v2/discussions/categories/{id}/forums', [c]);
    await hit('GET /api/v2/discussions/forums/{id}', [f]);
    await hit('PUT /api/v2/discussions/forums/{id}', [f], { description: 'Changed' });
    const topic = await hit('POST /api/v2/discussions/forums/{id}/topics', [f], { title: 'T', message: 'M' });
    const tp = topic.body.id as number;
    await hit('GET /api/v2/discussions/forums/{id}/topics', [f]);
    await hit('GET /api/v2/discussions/topics/{id}', [tp]);
    await hit('PUT /api/v2/discussions/topics/{id}', [tp], { title: 'Changed' });
    const comment = await hit('POST /api/v2/discussions/topics/{id}/comments', [tp], { body: 'C' });
    const cm = comment.body.id as number;
    await hit('GET /api/v2/discussions/topics/{id}/comments', [tp]);
    await hit('GET /api/v2/discussions/comments/{id}', [cm]);
    await hit('PUT /api/v2/discussions/comments/{id}', [cm], { body: 'Changed' });
    await hit('DELETE /api/v2/discussions/comments/{id}', [cm]);
    await hit('PUT /api/v2/discussions/comments/{id}/restore', [cm]);
    await hit('DELETE /api/v2/discussions/topics/{id}', [tp]);
    await hit('PUT /api/v2/discussions/topics/{id}/restore', [tp]);
    await hit('DELETE /api/v2/discussions/forums/{id}', [f]);
    await hit('PUT /api/v2/discussions/forums/{id}/restore', [f]);
    await hit('DELETE /api/v2/discussions/categories/{id}', [c]);
    await hit('PUT /api/v2/discussions/categories/{id}/restore', [c]);
  });

  it('the knowledge base and its translations', async () => {
    const category = await hit('POST /api/v2/solutions/categories', [], { name: `S ${unique}` });
    const c = category.body.id as number;
    await hit('GET /api/v2/solutions/categories');
    await hit('GET /api/v2/solutions/categories/{id}', [c]);
    await hit('PUT /api/v2/solutions/categories/{id}', [c], { description: 'Changed' });
    await hit('POST /api/v2/solutions/categories/{id}/{language}', [c, 'de'], { name: 'Kategorie' });
    await hit('GET /api/v2/solutions/categories/{id}/{language}', [c, 'de']);
    await hit('PUT /api/v2/solutions/categories/{id}/{language}', [c, 'de'], { description: 'Geändert' });
    const folder = await hit('POST /api/v2/solutions/categories/{id}/folders', [c], {
      name: 'F',
      visibility: 1,
    });
    const f = folder.body.id as number;
    await hit('GET /api/v2/solutions/categories/{id}/folders', [c]);
    await hit('GET /api/v2/solutions/folders/{id}', [f]);
    await hit('PUT /api/v2/solutions/folders/{id}', [f], { description: 'Changed' });
    await hit('POST /api/v2/solutions/folders/{id}/{language}', [f, 'nl'], { name: 'Map' });
    await hit('GET /api/v2/solutions/folders/{id}/{language}', [f, 'nl']);
    await hit('PUT /api/v2/solutions/folders/{id}/{language}', [f, 'nl'], { description: 'Gewijzigd' });
    const article = await hit('POST /api/v2/solutions/folders/{id}/articles', [f], {
      title: `Article ${unique}`,
      description: '<p>Text</p>',
      status: 2,
    });
    const a = article.body.id as number;
    await hit('GET /api/v2/solutions/folders/{id}/articles', [f]);
    await hit('GET /api/v2/solutions/articles/{id}', [a]);
    await hit('PUT /api/v2/solutions/articles/{id}', [a], { title: `Article ${unique} changed` });
    await hit('POST /api/v2/solutions/articles/{id}/{language}', [a, 'sv'], {
      title: `Artikel ${unique}`,
      description: '<p>Text</p>',
      status: 2,
    });
    await hit('GET /api/v2/solutions/articles/{id}/{language}', [a, 'sv']);
    await hit('PUT /api/v2/solutions/articles/{id}/{language}', [a, 'sv'], { title: `Artikel ${unique} ny` });
    await hit('GET /api/v2/search/solutions', [], undefined, `?term=${unique}`);
    await hit('DELETE /api/v2/solutions/articles/{id}', [a]);
    await hit('PUT /api/v2/solutions/articles/{id}/restore', [a]);
    await hit('DELETE /api/v2/solutions/folders/{id}', [f]);
    await hit('PUT /api/v2/solutions/folders/{id}/restore', [f]);
    await hit('DELETE /api/v2/solutions/categories/{id}', [c]);
    await hit('PUT /api/v2/solutions/categories/{id}/restore', [c]);
  });

  it('contact, ticket and company fields', async () => {
    for (const kind of ['contact', 'ticket', 'company'] as const) {
      const label = `L${unique}${kind}`;
      await hit(`GET /api/v2/${kind}_fields`);
      const field = await hit(`POST /api/v2/admin/${kind}_fields`, [], {
        label,
        ...(kind === 'company' ? {} : { label_for_customers: label }),
        type: 'custom_text',
      });
      await hit(`GET /api/v2/admin/${kind}_fields`);
      await hit(`GET /api/v2/admin/${kind}_fields/{id}`, [field.body.id]);
      await hit(`PUT /api/v2/admin/${kind}_fields/{id}`, [field.body.id], { label: `${label}x` });
      await hit(`DELETE /api/v2/admin/${kind}_fields/{id}`, [field.body.id]);
    }
  });

  it('single sign-on, legal holds and retention policies', async () => {
    await hit('PUT /api/v2/admin/sso', [], {
      issuer: platform.identityProvider.issuer,
      client_ids: [`contract-${unique}`],
    });
    await hit('GET /api/v2/admin/sso');
    await hit('DELETE /api/v2/admin/sso');

    const held = await hit('POST /api/v2/tickets', [], {
      subject: 'Held',
      description: 'x',
      email: email('h'),
    });
    const hold = await hit('POST /api/v2/legal_holds', [], {
      target_type: 'ticket',
      target_id: held.body.id,
      reason: 'Contract test',
    });
    await hit('GET /api/v2/legal_holds');
    await hit('GET /api/v2/legal_holds/{id}', [hold.body.id]);
    await hit('DELETE /api/v2/legal_holds/{id}', [hold.body.id]);

    const policy = await hit('POST /api/v2/retention_policies', [], {
      name: 'Calls',
      rule: 'calls',
      days: 3650,
      enabled: false,
    });
    await hit('GET /api/v2/retention_policies');
    await hit('GET /api/v2/retention_policies/{id}', [policy.body.id]);
    await hit('PUT /api/v2/retention_policies/{id}', [policy.body.id], { enabled: false });
    await hit('POST /api/v2/retention_policies/{id}/preview', [policy.body.id]);
    await hit('DELETE /api/v2/retention_policies/{id}', [policy.body.id]);
  });

  it('privacy requests and the v2 deletions that run erasures', async () => {
    const exported = await hit('POST /api/v2/privacy/requests', [], {
      type: 'export',
      subject: { type: 'contact', id: contactId },
      channel: 'email',
    });
    const r = exported.body.id as number;
    await hit('GET /api/v2/privacy/requests');
    const verified = await hit('POST /api/v2/privacy/requests/{id}/verify', [r], {
      method: 'email_confirmation',
    });
    await settledPrivacyRequest(url, key, {
      headers: new Headers({ location: `${v}/privacy/requests/${r}` }),
    });
    expect(verified.body.id).toBe(r);
    await hit('GET /api/v2/privacy/requests/{id}', [r]);
    await hit('GET /api/v2/privacy/requests/{id}/files', [r]);
    await hit('POST /api/v2/privacy/requests/{id}/retry', [r]);

    const erasure = await hit('POST /api/v2/privacy/requests', [], {
      type: 'erasure',
      mode: 'soft',
      subject: { type: 'contact', id: contactId },
      channel: 'email',
    });
    await hit('GET /api/v2/privacy/requests/{id}/preview', [erasure.body.id]);
    await hit('POST /api/v2/privacy/requests/{id}/reject', [erasure.body.id], { reason: 'Not the subject' });

    const contact = async (name: string) =>
      (await hit('POST /api/v2/contacts', [], { name, email: email(name) })).body.id as number;
    const restored = await contact('restored');
    await erased(await hit('DELETE /api/v2/contacts/{id}', [restored]));
    await hit('PUT /api/v2/contacts/{id}/restore', [restored]);
    const viaRequest = await contact('viarequest');
    const request = await erased(await hit('DELETE /api/v2/contacts/{id}', [viaRequest]));
    await hit('POST /api/v2/privacy/requests/{id}/restore', [request.id as number]);
    await hit('DELETE /api/v2/contacts/{id}/hard_delete', [await contact('hard')]);
  });

  it('migrations', async () => {
    const migration = await hit('POST /api/v2/migrations', [], {
      source: 'zendesk',
      files: [{ entity: 'users', format: 'ndjson' }],
    });
    const m = migration.body.id as number;
    await hit('GET /api/v2/migrations');
    await hit('GET /api/v2/migrations/{id}', [m]);
    const uploads = await hit('POST /api/v2/migrations/{id}/uploads', [m]);
    const file = uploads.body.files[0] as { upload_url: string; upload_headers: Record<string, string> };
    const put = await fetch(file.upload_url, {
      method: 'PUT',
      headers: file.upload_headers,
      body: `${JSON.stringify({ id: 1, name: 'Migrated', email: email('mig') })}\n`,
    });
    expect(put.status).toBe(200);
    await hit('POST /api/v2/migrations/{id}/start', [m]);
  });

  it('every answer matches its response schema in openapi.json', () => {
    const wrong = [...answers].flatMap(([operation, answer]) => mismatches(operation, answer));
    expect(wrong).toEqual([]);
  });

  it('called every operation of the document, and the document describes every public route', () => {
    const publicRoutes = apiRoutes
      .filter((route) => route.authorization !== 'iam')
      .map((route) => `${route.method} ${route.path}`);
    expect([...answers.keys()].sort()).toEqual([...documented].sort());
    expect([...documented].sort()).toEqual(publicRoutes.sort());
  });
});

afterAll(() => answers.clear());
