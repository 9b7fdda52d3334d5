import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DynamoPortalSecretStore } from '../../lambdas/adapters/dynamo-portal-secret-store.ts';
import { KmsSecretCipher } from '../../lambdas/adapters/kms-secret-cipher.ts';
import { signPortalToken } from '../../lambdas/domain/contacts/portal-token.ts';
import { apiCaller, createTestAccount, settledPrivacyRequest, type TestAccount } from './test-accounts.ts';
import { emulatorDocumentClient, emulatorKmsClient } from './emulator-clients.ts';
import { linkedRecords } from './account-fixture.ts';

/**
 * The requester (contact) acting through a signed portal token: an admin issues it; with
 * `Authorization: Bearer <token>` the contact reads and rectifies their own profile (not the e-mail
 * address) and works their own tickets; every other route is 403, expired or forged tokens 401.
 */
const platform = inject('localPlatform');
const { url, table } = platform.regions.eea;
const client = emulatorDocumentClient(platform);
const kms = emulatorKmsClient(platform, 'eea');
const call = apiCaller(url);
let account: TestAccount;
let me: number;
let other: number;
let myTicket: number;
let theirTicket: number;
let token: string;

async function bearer(method: string, path: string, body?: unknown, withToken = token) {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${withToken}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

async function lastAudit(type: string, id: number) {
  const trail = await call(
    'GET',
    `/api/v2/audit_log?record_type=${type}&record_id=${id}`,
    account.keys.admin,
  );
  return trail.body[0];
}

beforeAll(async () => {
  account = await createTestAccount(client, table, 'eea');
  const admin = account.keys.admin;
  const contact = (email: string) =>
    call('POST', '/api/v2/contacts', admin, { name: 'Requester', email, phone: '+49 30 1' });
  me = (await contact('me@example.test')).body.id;
  other = (await contact('other@example.test')).body.id;
  const ticket = (requester_id: number) =>
    call('POST', '/api/v2/tickets', admin, { subject: 'Help', description: 'Please', requester_id });
  myTicket = (await ticket(me)).body.id;
  theirTicket = (await ticket(other)).body.id;
  const issued = await call('POST', `/api/v2/contacts/${me}/portal_token`, admin);
  expect(issued.status).toBe(201);
  token = issued.body.token;
});
afterAll(() => {
  client.destroy();
  kms.destroy();
});

describe('POST /api/v2/contacts/{id}/portal_token', () => {
  it('issues a token of ids only that expires in an hour, for admins only', async () => {
    const before = Date.now();
    const issued = await call('POST', `/api/v2/contacts/${me}/portal_token`, account.keys.admin);

    expect(issued.status).toBe(201);
    expect(issued.body.contact_id).toBe(me);
    const expires = Date.parse(issued.body.expires_at);
    expect(expires).toBeGreaterThan(before + 3500_000);
    expect(expires).toBeLessThan(before + 3700_000);
    expect(issued.body.token).not.toContain('me@example');
    for (const key of [account.keys.agent, account.keys.supervisor]) {
      expect((await call('POST', `/api/v2/contacts/${me}/portal_token`, key)).status).toBe(403);
    }
  });

  it('answers 404 for an unknown contact', async () => {
    const issued = await call('POST', '/api/v2/contacts/999999999/portal_token', account.keys.admin);

    expect(issued.status).toBe(404);
  });
});

describe('a requester with a portal token', () => {
  it('reads their own profile, and no one else', async () => {
    const own = await bearer('GET', `/api/v2/contacts/${me}`);
    const theirs = await bearer('GET', `/api/v2/contacts/${other}`);

    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ id: me, email: 'me@example.test' });
    expect(theirs.status).toBe(404);
  });

  it('rectifies their personal fields; the change is audited as made by the contact', async () => {
    const changed = await bearer('PUT', `/api/v2/contacts/${me}`, {
      name: 'Renamed Requester',
      phone: '+49 30 2',
      job_title: 'Engineer',
      address: 'Somewhere 1',
      email: 'me@example.test',
    });

    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ name: 'Renamed Requester', job_title: 'Engineer' });
    const audit = await lastAudit('contact', me);
    expect(audit).toMatchObject({ actor: { type: 'contact', id: String(me) }, operation: 'update' });
    expect(audit.changed_fields).toEqual(['address', 'job_title', 'name', 'phone']);
  });

  it('cannot change their e-mail address: 400 naming the field, nothing written', async () => {
    const before = await call('GET', `/api/v2/contacts/${me}`, account.keys.admin);
    for (const email of ['new@example.test', 'ME@example.test', null]) {
      const refused = await bearer('PUT', `/api/v2/contacts/${me}`, { name: 'Sneaky', email });

      expect(refused.status).toBe(400);
      expect(refused.body.errors).toEqual([
        expect.objectContaining({ field: 'email', code: 'email_not_editable' }),
      ]);
    }
    const after = await call('GET', `/api/v2/contacts/${me}`, account.keys.admin);
    expect(after.headers.get('etag')).toBe(before.headers.get('etag'));
    expect(after.body.email).toBe('me@example.test');
  });

  it('cannot change what the helpdesk keeps about them (403 naming the field), nor another contact (404)', async () => {
    const tags = await bearer('PUT', `/api/v2/contacts/${me}`, { tags: ['vip'] });
    const theirs = await bearer('PUT', `/api/v2/contacts/${other}`, { name: 'Not mine' });

    expect(tags.status).toBe(403);
    expect(tags.body.errors[0]).toMatchObject({ field: 'tags', code: 'access_denied' });
    expect(theirs.status).toBe(404);
    expect((await call('GET', `/api/v2/contacts/${other}`, account.keys.admin)).body.name).toBe('Requester');
  });

  it('lists and reads only their own tickets and their conversations', async () => {
    const listed = await bearer('GET', '/api/v2/tickets');
    const filtered = await bearer('GET', `/api/v2/tickets?requester_id=${other}`);
    const own = await bearer('GET', `/api/v2/tickets/${myTicket}`);
    const theirs = await bearer('GET', `/api/v2/tickets/${theirTicket}`);
    const ownConversations = await bearer('GET', `/api/v2/tickets/${myTicket}/conversations`);
    const theirConversations = await bearer('GET', `/api/v2/tickets/${theirTicket}/conversations`);

    expect(listed.body.map((t: { id: number }) => t.id)).toEqual([myTicket]);
    expect(filtered.body.map((t: { id: number }) => t.id)).toEqual([myTicket]);
    expect([own.status, theirs.status]).toEqual([200, 404]);
    expect([ownConversations.status, theirConversations.status]).toEqual([200, 404]);
  });

  it('creates tickets as their requester; the audit names the contact', async () => {
    const created = await bearer('POST', '/api/v2/tickets', {
      subject: 'My printer',
      description: 'It is on fire',
      priority: 2,
    });
    const forOther = await bearer('POST', '/api/v2/tickets', {
      subject: 'For someone else',
      description: 'No',
      requester_id: other,
    });

    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ requester_id: me, source: 2, status: 2 });
    expect(await lastAudit('ticket', created.body.id)).toMatchObject({
      actor: { type: 'contact', id: String(me) },
      operation: 'create',
    });
    expect(forOther.status).toBe(400);
    expect(forOther.body.errors[0]).toMatchObject({ field: 'requester_id', code: 'invalid_field' });
  });

  it('replies on their own tickets as themselves (audited and linked to the contact), not on others', async () => {
    const reply = await bearer('POST', `/api/v2/tickets/${myTicket}/reply`, { body: 'Any news?' });
    const onTheirs = await bearer('POST', `/api/v2/tickets/${theirTicket}/reply`, { body: 'Hi' });
    const asAgent = await bearer('POST', `/api/v2/tickets/${myTicket}/reply`, { body: 'x', user_id: 900 });

    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({ user_id: me, incoming: true, private: false });
    expect(await lastAudit('conversation', reply.body.id)).toMatchObject({
      actor: { type: 'contact', id: String(me) },
    });
    const linked = await linkedRecords(client, table, account.id, { kind: 'contact', id: me });
    expect(linked).toContain(`conversation#${reply.body.id}`);
    expect(onTheirs.status).toBe(404);
    expect(asAgent.status).toBe(400);
  });

  it('no longer sees a ticket of theirs once it is deleted', async () => {
    const ticket = await call('POST', '/api/v2/tickets', account.keys.admin, {
      subject: 'Spam',
      description: 'Deleted soon',
      requester_id: me,
    });
    await call('DELETE', `/api/v2/tickets/${ticket.body.id}`, account.keys.admin);

    const asRequester = await bearer('GET', `/api/v2/tickets/${ticket.body.id}`);
    const asAdmin = await call('GET', `/api/v2/tickets/${ticket.body.id}`, account.keys.admin);

    expect(asRequester.status).toBe(404);
    expect(asAdmin.body).toMatchObject({ deleted: true });
  });

  it('rates their own tickets only', async () => {
    const rating = { ratings: { default_question: 103 }, feedback: 'Great' };
    const own = await bearer('POST', `/api/v2/tickets/${myTicket}/satisfaction_ratings`, rating);
    const theirs = await bearer('POST', `/api/v2/tickets/${theirTicket}/satisfaction_ratings`, rating);

    expect(own.status).toBe(201);
    expect(own.body).toMatchObject({ user_id: me, ticket_id: myTicket });
    expect(theirs.status).toBe(404);
  });

  it('gets 403 on every other route, and nothing changes', async () => {
    const attempts = await Promise.all([
      bearer('GET', '/api/v2/contacts'),
      bearer('DELETE', `/api/v2/contacts/${me}`),
      bearer('POST', `/api/v2/contacts/${me}/portal_token`),
      bearer('PUT', `/api/v2/tickets/${myTicket}`, { status: 5 }),
      bearer('DELETE', `/api/v2/tickets/${myTicket}`),
      bearer('POST', `/api/v2/tickets/${myTicket}/notes`, { body: 'Private?' }),
      bearer('GET', `/api/v2/tickets/${myTicket}/huddle`),
      bearer('GET', '/api/v2/agents/me'),
      bearer('GET', '/api/v2/companies'),
      bearer('GET', '/api/v2/surveys/satisfaction_ratings'),
      bearer('GET', '/api/v2/audit_log?since=2020-01-01T00:00:00Z'),
    ]);

    expect(attempts.map((attempt) => attempt.status)).toEqual(attempts.map(() => 403));
    expect(attempts[0]?.body).toMatchObject({ errors: [{ code: 'access_denied' }] });
    const ticket = await call('GET', `/api/v2/tickets/${myTicket}`, account.keys.admin);
    expect(ticket.body).toMatchObject({ status: 2, deleted: false });
  });
});

describe('refused portal tokens', () => {
  const secrets = () =>
    new DynamoPortalSecretStore(client, table, new KmsSecretCipher(kms, 'alias/helpdesk-eea-data'));
  const claims = () => ({ homeRegion: 'eea' as const, accountId: account.id, contactId: me, generation: 1 });

  it('answers 401 in the Freshdesk error format for an expired token', async () => {
    const secret = await secrets().read(account.id);
    const expired = signPortalToken(secret!.value, {
      ...claims(),
      generation: secret!.generation,
      expiresAt: Math.floor(Date.now() / 1000) - 1,
    });

    const refused = await bearer('GET', `/api/v2/contacts/${me}`, undefined, expired);

    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({
      description: expect.any(String),
      errors: [{ code: 'invalid_credentials', message: expect.any(String) }],
    });
  });

  it('answers 401 for forged tokens: another contact or account, a wrong secret, garbage', async () => {
    const [head, mac] = [token.slice(0, token.lastIndexOf('.')), token.slice(token.lastIndexOf('.') + 1)];
    const parts = head.split('.');
    const otherContact = [...parts.slice(0, 3), String(other), ...parts.slice(4), mac].join('.');
    const otherAccount = [parts[0], parts[1], crypto.randomUUID(), ...parts.slice(3), mac].join('.');
    const later = [...parts.slice(0, 4), String(Number(parts[4]) + 86_400), parts[5], mac].join('.');
    const wrongSecret = signPortalToken(randomBytes(32), {
      ...claims(),
      expiresAt: Math.floor(Date.now() / 1000) + 600,
    });

    for (const forged of [otherContact, otherAccount, later, wrongSecret, 'hdpt.eea.x', 'not-a-token']) {
      const refused = await bearer('GET', `/api/v2/contacts/${me}`, undefined, forged);
      expect(refused.status, forged.slice(0, 12)).toBe(401);
    }
    const theirs = await bearer('GET', `/api/v2/contacts/${other}`, undefined, otherContact);
    expect(theirs.status).toBe(401);
  });

  it('answers 421 naming the home region for a token of another region', async () => {
    const elsewhere = signPortalToken(randomBytes(32), {
      ...claims(),
      homeRegion: 'us',
      expiresAt: Math.floor(Date.now() / 1000) + 600,
    });

    const refused = await bearer('GET', `/api/v2/contacts/${me}`, undefined, elsewhere);

    expect(refused.status).toBe(421);
    expect(refused.body.home_region).toBe('us');
  });

  it('stops working once the contact is deleted', async () => {
    const gone = (
      await call('POST', '/api/v2/contacts', account.keys.admin, {
        name: 'Leaving',
        email: 'leaving@example.test',
      })
    ).body.id;
    const issued = await call('POST', `/api/v2/contacts/${gone}/portal_token`, account.keys.admin);
    expect((await bearer('GET', `/api/v2/contacts/${gone}`, undefined, issued.body.token)).status).toBe(200);

    await settledPrivacyRequest(
      url,
      account.keys.admin,
      await call('DELETE', `/api/v2/contacts/${gone}`, account.keys.admin),
    );

    expect((await bearer('GET', `/api/v2/contacts/${gone}`, undefined, issued.body.token)).status).toBe(401);
  });
});
