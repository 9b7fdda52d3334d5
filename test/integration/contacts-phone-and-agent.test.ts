import { randomInt, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DynamoRecordStore } from '../../lambdas/adapters/dynamo-record-store.ts';
import { emulatorDocumentClient } from './emulator-clients.ts';
import { accountItems } from './raw-http.ts';
import {
  type TestAccount,
  apiCaller,
  createTestAccount,
  restored,
  settledPrivacyRequest,
} from './test-accounts.ts';

const platform = inject('localPlatform');
const { url, table } = platform.regions.eea;
const client = emulatorDocumentClient(platform);
const records = new DynamoRecordStore(client, table);
const call = apiCaller(url);
let account: TestAccount;
let other: TestAccount;

beforeAll(async () => {
  account = await createTestAccount(client, table, 'eea');
  other = await createTestAccount(client, table, 'eea', ['admin']);
});
afterAll(() => client.destroy());

const email = () => `p-${randomUUID()}@example.test`;
const usedPhones = new Set<string>();
/** A phone number no other test in this file uses, written with spaces and dashes. */
const newPhone = (): { spaced: string; compact: string } => {
  const digits = String(randomInt(100_000_000, 1_000_000_000));
  if (usedPhones.has(digits)) return newPhone();
  usedPhones.add(digits);
  return {
    spaced: `+44 ${digits.slice(0, 3)} ${digits.slice(3, 6)}-${digits.slice(6)}`,
    compact: `+44${digits}`,
  };
};
const ids = (body: { id: number }[]) => body.map((contact) => contact.id).sort();
const byPhone = async (filter: 'phone' | 'mobile', value: string, key = account.keys.agent) =>
  call('GET', `/api/v2/contacts?${filter}=${encodeURIComponent(value)}`, key);

describe('contact filters phone and mobile', () => {
  it('finds the contacts with a phone or mobile number, however it is spaced', async () => {
    const phone = newPhone();
    const mobile = newPhone();
    const first = await call('POST', '/api/v2/contacts', account.keys.agent, {
      name: 'Phone one',
      email: email(),
      phone: phone.spaced,
    });
    const second = await call('POST', '/api/v2/contacts', account.keys.agent, {
      name: 'Phone two',
      phone: phone.compact,
      mobile: mobile.spaced,
    });

    const samePhone = await byPhone('phone', phone.compact);
    const sameMobile = await byPhone('mobile', mobile.compact);
    const phoneAsMobile = await byPhone('mobile', phone.compact);

    expect(samePhone.status).toBe(200);
    expect(ids(samePhone.body)).toEqual([first.body.id, second.body.id].sort());
    expect(ids(sameMobile.body)).toEqual([second.body.id]);
    expect(phoneAsMobile.body).toEqual([]);
  });

  it('keeps the lookup with the contact through update, delete and restore', async () => {
    const before = newPhone();
    const after = newPhone();
    const created = await call('POST', '/api/v2/contacts', account.keys.agent, {
      name: 'Moving',
      email: email(),
      phone: before.spaced,
    });
    const path = `/api/v2/contacts/${created.body.id}`;

    await call('PUT', path, account.keys.agent, { phone: after.spaced });
    const oldNumber = await byPhone('phone', before.compact);
    const newNumber = await byPhone('phone', after.compact);
    // Deleting and restoring are an admin's erasure and its restore, run as workflows.
    await settledPrivacyRequest(url, account.keys.admin, await call('DELETE', path, account.keys.admin));
    const whileDeleted = await byPhone('phone', after.compact);
    const restore = await call('PUT', `${path}/restore`, account.keys.admin);
    await settledPrivacyRequest(url, account.keys.admin, restore, restored);
    const back = await byPhone('phone', after.compact);
    await call('PUT', path, account.keys.agent, { phone: null });
    const cleared = await byPhone('phone', after.compact);

    expect(oldNumber.body).toEqual([]);
    expect(ids(newNumber.body)).toEqual([created.body.id]);
    expect(whileDeleted.body).toEqual([]);
    expect(ids(back.body)).toEqual([created.body.id]);
    expect(cleared.body).toEqual([]);
  });

  it('pages through contacts sharing a number with a link header', async () => {
    const phone = newPhone();
    for (let i = 0; i < 3; i++) {
      await call('POST', '/api/v2/contacts', account.keys.agent, {
        name: `Shared ${i}`,
        phone: phone.spaced,
      });
    }

    const query = `/api/v2/contacts?phone=${encodeURIComponent(phone.compact)}&per_page=2`;
    const first = await call('GET', query, account.keys.agent);
    const second = await call('GET', `${query}&page=2`, account.keys.agent);

    expect(first.body).toHaveLength(2);
    expect(first.headers.get('link')).toContain('page=2');
    expect(second.body).toHaveLength(1);
    expect(new Set([...ids(first.body), ...ids(second.body)]).size).toBe(3);
  });

  it('keeps phone numbers out of every key, and other accounts find nothing', async () => {
    const phone = newPhone();
    await call('POST', '/api/v2/contacts', account.keys.agent, {
      name: 'Keyed',
      phone: phone.spaced,
      mobile: phone.spaced,
    });

    const items = await accountItems(client, table, account.id);
    const theirs = await byPhone('phone', phone.compact, other.keys.admin);

    const digits = phone.compact.slice(1);
    const keys = items.flatMap((item) =>
      [item.pk, item.sk, item.gsi1pk, item.gsi2pk, item.gsi3pk].map(String),
    );
    expect(keys.filter((key) => key.includes('#LOOKUP#contact#phone#'))).not.toHaveLength(0);
    expect(keys.filter((key) => key.includes(digits))).toEqual([]);
    expect(theirs.status).toBe(200);
    expect(theirs.body).toEqual([]);
  });
});

describe('PUT /api/v2/contacts/{id}/make_agent', () => {
  it('makes a contact an agent in one step: same id, contact gone from contacts, its tickets still its own', async () => {
    // Prepare
    const address = email();
    const phone = newPhone();
    const contact = await call('POST', '/api/v2/contacts', account.keys.admin, {
      name: 'Future Agent',
      email: address,
      phone: phone.spaced,
      job_title: 'Trainee',
    });
    const id = contact.body.id as number;
    const ticket = await call('POST', '/api/v2/tickets', account.keys.admin, {
      subject: 'Before',
      description: 'Filed as a contact',
      requester_id: id,
    });

    // Act
    const made = await call('PUT', `/api/v2/contacts/${id}/make_agent`, account.keys.admin, {
      occasional: true,
      signature: '<p>Regards</p>',
      ticket_scope: 2,
      role_ids: [3],
    });

    // Assess
    expect(made.status).toBe(200);
    expect(made.body).toMatchObject({
      id,
      occasional: true,
      signature: '<p>Regards</p>',
      ticket_scope: 2,
      role_ids: [3],
      contact: { name: 'Future Agent', email: address, job_title: 'Trainee' },
    });
    expect((await call('GET', `/api/v2/agents/${id}`, account.keys.agent)).body.id).toBe(id);
    const asContact = await call('GET', `/api/v2/contacts/${id}`, account.keys.admin);
    expect(asContact.status).toBe(404);
    expect(asContact.body.message).toContain(`agent ${id}`);
    expect(ids((await call('GET', '/api/v2/contacts?per_page=100', account.keys.admin)).body)).not.toContain(
      id,
    );
    expect(
      (await call('GET', `/api/v2/contacts?email=${encodeURIComponent(address)}`, account.keys.admin)).body,
    ).toEqual([]);
    expect((await byPhone('phone', phone.compact)).body).toEqual([]);
    expect(
      (await call('GET', `/api/v2/tickets/${ticket.body.id}`, account.keys.admin)).body.requester_id,
    ).toBe(id);
    // The person keeps the address: a new ticket from it is theirs, and no new contact can take it.
    const later = await call('POST', '/api/v2/tickets', account.keys.admin, {
      subject: 'After',
      description: 'Filed by e-mail',
      email: address,
    });
    expect(later.body.requester_id).toBe(id);
    expect(
      (await call('POST', '/api/v2/contacts', account.keys.admin, { name: 'Copy', email: address })).status,
    ).toBe(409);
    const contactTrail = await records.auditTrail(account.id, { type: 'contact', id }, 5);
    const agentTrail = await records.auditTrail(account.id, { type: 'agent', id }, 5);
    expect(contactTrail[0]).toMatchObject({ operation: 'update', changedFields: ['superseded_by'] });
    expect(agentTrail).toEqual([expect.objectContaining({ operation: 'create', at: contactTrail[0]?.at })]);
  });

  it('converts with v2 defaults when no body is sent', async () => {
    const contact = await call('POST', '/api/v2/contacts', account.keys.admin, {
      name: 'Plain',
      email: email(),
    });

    const made = await call('PUT', `/api/v2/contacts/${contact.body.id}/make_agent`, account.keys.admin);

    expect(made.status).toBe(200);
    expect(made.body).toMatchObject({ occasional: false, ticket_scope: 1, role_ids: [4], group_ids: [] });
  });

  it('answers converting twice, a deleted contact and an unknown id with 404', async () => {
    const twice = await call('POST', '/api/v2/contacts', account.keys.admin, {
      name: 'Twice',
      email: email(),
    });
    await call('PUT', `/api/v2/contacts/${twice.body.id}/make_agent`, account.keys.admin);
    const deleted = await call('POST', '/api/v2/contacts', account.keys.admin, {
      name: 'Gone',
      email: email(),
    });
    await settledPrivacyRequest(
      url,
      account.keys.admin,
      await call('DELETE', `/api/v2/contacts/${deleted.body.id}`, account.keys.admin),
    );

    const again = await call('PUT', `/api/v2/contacts/${twice.body.id}/make_agent`, account.keys.admin);
    const ofDeleted = await call('PUT', `/api/v2/contacts/${deleted.body.id}/make_agent`, account.keys.admin);
    const unknown = await call('PUT', '/api/v2/contacts/123456789/make_agent', account.keys.admin);

    expect(again.status).toBe(404);
    expect(again.body.message).toContain(`agent ${twice.body.id}`);
    expect(ofDeleted.status).toBe(404);
    expect(unknown.status).toBe(404);
    expect((await call('GET', `/api/v2/agents/${deleted.body.id}`, account.keys.admin)).status).toBe(404);
  });

  it('refuses non-admins (403), bad bodies and contacts without e-mail (400), other accounts (404), writing nothing', async () => {
    const contact = await call('POST', '/api/v2/contacts', account.keys.admin, {
      name: 'Stays',
      email: email(),
    });
    const noEmail = await call('POST', '/api/v2/contacts', account.keys.admin, {
      name: 'No mail',
      phone: '+1 555 0199',
    });
    const path = `/api/v2/contacts/${contact.body.id}/make_agent`;
    const before = await accountItems(client, table, account.id);

    const asAgent = await call('PUT', path, account.keys.agent, {});
    const asSupervisor = await call('PUT', path, account.keys.supervisor);
    const badRole = await call('PUT', path, account.keys.admin, { role_ids: [9] });
    const badScope = await call('PUT', path, account.keys.admin, { ticket_scope: 7 });
    const unknownField = await call('PUT', path, account.keys.admin, { email: 'x@example.test' });
    const withoutEmail = await call(
      'PUT',
      `/api/v2/contacts/${noEmail.body.id}/make_agent`,
      account.keys.admin,
    );
    const otherAccount = await call('PUT', path, other.keys.admin);

    expect(asAgent.status).toBe(403);
    expect(asSupervisor.status).toBe(403);
    expect(badRole.body.errors[0]).toMatchObject({ field: 'role_ids' });
    expect(badScope.body.errors[0]).toMatchObject({ field: 'ticket_scope' });
    expect(unknownField.body.errors[0]).toMatchObject({ field: 'email', code: 'invalid_field' });
    expect(withoutEmail.status).toBe(400);
    expect(withoutEmail.body.errors[0]).toMatchObject({ field: 'email' });
    expect(otherAccount.status).toBe(404);
    const after = await accountItems(client, table, account.id);
    expect(after.filter((item) => item.item_type !== 'rate_window')).toEqual(
      before.filter((item) => item.item_type !== 'rate_window'),
    );
    expect((await call('GET', `/api/v2/contacts/${contact.body.id}`, account.keys.admin)).status).toBe(200);
  });
});
