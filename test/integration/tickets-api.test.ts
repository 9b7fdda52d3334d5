import { randomUUID } from 'node:crypto';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestAccount } from './account-fixture.ts';
import { emulatorDocumentClient } from './emulator-clients.ts';
import { basicAuth } from './http-client.ts';

const platform = inject('localPlatform');
const { url, table } = platform.regions.eea;
const client = emulatorDocumentClient(platform);
// A fresh account per file: ticket ids count from 1 per account, and lists see only this file's data.
const account = { id: '', key: '', agentId: 555 };
const other = { id: '', key: '' };

beforeAll(async () => {
  // Filled in place: the tests read the ids and keys when they run.
  for (const [a, agentId] of [
    [account, account.agentId],
    [other, 556],
  ] as const) {
    const made = await createTestAccount(client, table, 'eea', [{ id: agentId, role: 'admin' }]);
    Object.assign(a, { id: made.id, key: made.agents[0]?.key ?? '' });
  }
});
afterAll(() => client.destroy());

async function call(method: string, path: string, body?: unknown, key = account.key) {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: {
      authorization: basicAuth(key),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}
const newTicket = (extra: Record<string, unknown> = {}) => ({
  subject: 'Printer on fire',
  description: '<p>It <b>burns</b></p>',
  email: `t-${randomUUID()}@example.test`,
  ...extra,
});

describe('tickets API', () => {
  it('creates a ticket for a new requester e-mail, numbering tickets per account, with v2 defaults', async () => {
    // Prepare
    const body = newTicket({ name: 'Rita Requester' });

    // Act
    const first = await call('POST', '/api/v2/tickets', body);
    const second = await call('POST', '/api/v2/tickets', newTicket());

    // Assess
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      id: 1,
      status: 2,
      priority: 1,
      source: 2,
      description_text: 'It burns',
    });
    expect(second.body.id).toBe(2);
    const requester = await call('GET', `/api/v2/contacts/${first.body.requester_id}`);
    expect(requester.body).toMatchObject({ name: 'Rita Requester', email: body.email });
  });

  it('reuses the existing contact of a known e-mail and lists tickets by requester and by e-mail', async () => {
    const email = `known-${randomUUID()}@example.test`;
    const contact = await call('POST', '/api/v2/contacts', { name: 'Known', email });
    await call('POST', '/api/v2/tickets', newTicket({ email }));
    await call('POST', '/api/v2/tickets', newTicket({ requester_id: contact.body.id }));

    const byRequester = await call('GET', `/api/v2/tickets?requester_id=${contact.body.id}`);
    const byEmail = await call('GET', `/api/v2/tickets?email=${encodeURIComponent(email)}`);

    expect(byRequester.body).toHaveLength(2);
    expect(byRequester.body.every((t: { requester_id: number }) => t.requester_id === contact.body.id)).toBe(
      true,
    );
    expect(byEmail.body.map((t: { id: number }) => t.id)).toEqual(
      byRequester.body.map((t: { id: number }) => t.id),
    );
  });

  it('lists tickets by company', async () => {
    const created = await call('POST', '/api/v2/tickets', newTicket({ company_id: 77 }));
    await call('POST', '/api/v2/tickets', newTicket({ company_id: 78 }));

    const listed = await call('GET', '/api/v2/tickets?company_id=77');

    expect(listed.body.map((t: { id: number }) => t.id)).toEqual([created.body.id]);
  });

  it('refuses an unknown requester_id, invalid status codes and unknown fields with 400', async () => {
    const unknownRequester = await call('POST', '/api/v2/tickets', {
      subject: 's',
      description: 'd',
      requester_id: 424242,
    });
    const badStatus = await call('POST', '/api/v2/tickets', newTicket({ status: 9 }));
    const unknownField = await call('POST', '/api/v2/tickets', newTicket({ colour: 'red' }));

    expect(unknownRequester.status).toBe(400);
    expect(unknownRequester.body.errors[0]).toMatchObject({ field: 'requester_id', code: 'invalid_value' });
    expect(badStatus.body.errors[0]).toMatchObject({ field: 'status', code: 'invalid_value' });
    expect(unknownField.body.errors[0]).toMatchObject({ field: 'colour', code: 'invalid_field' });
  });

  it('keeps replies and notes in order, links them to requester and author, and hides deleted ones', async () => {
    const ticket = await call('POST', '/api/v2/tickets', newTicket());
    const reply = await call('POST', `/api/v2/tickets/${ticket.body.id}/reply`, {
      body: '<p>On our way</p>',
    });
    const note = await call('POST', `/api/v2/tickets/${ticket.body.id}/notes`, {
      body: 'Internal: bring water',
    });
    const incoming = await call('POST', `/api/v2/tickets/${ticket.body.id}/notes`, {
      body: 'Thanks!',
      incoming: true,
      private: false,
      user_id: ticket.body.requester_id,
    });

    const listed = await call('GET', `/api/v2/tickets/${ticket.body.id}/conversations`);
    expect(listed.body.map((c: { id: number }) => c.id)).toEqual([
      reply.body.id,
      note.body.id,
      incoming.body.id,
    ]);
    expect(listed.body.map((c: { source: number; private: boolean }) => [c.source, c.private])).toEqual([
      [0, false],
      [2, true],
      [2, false],
    ]);
    expect(reply.body.user_id).toBe(account.agentId);
    const agentLinks = await client.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `A#${account.id}#SUBJECT#agent#${account.agentId}` },
      }),
    );
    expect(agentLinks.Items?.map((item) => item.record_id)).toEqual(
      expect.arrayContaining([reply.body.id, note.body.id]),
    );

    expect((await call('PUT', `/api/v2/conversations/${note.body.id}`, { body: 'Edited' })).body.body).toBe(
      'Edited',
    );
    expect((await call('DELETE', `/api/v2/conversations/${note.body.id}`)).status).toBe(204);
    const afterDelete = await call('GET', `/api/v2/tickets/${ticket.body.id}/conversations`);
    expect(afterDelete.body.map((c: { id: number }) => c.id)).toEqual([reply.body.id, incoming.body.id]);
  });

  it('soft-deletes and restores a ticket, and refuses replies to a deleted ticket', async () => {
    const ticket = await call('POST', '/api/v2/tickets', newTicket());

    expect((await call('DELETE', `/api/v2/tickets/${ticket.body.id}`)).status).toBe(204);
    expect(
      (await call('GET', '/api/v2/tickets?filter=deleted')).body.map((t: { id: number }) => t.id),
    ).toContain(ticket.body.id);
    expect((await call('POST', `/api/v2/tickets/${ticket.body.id}/reply`, { body: 'late' })).status).toBe(
      404,
    );
    expect((await call('PUT', `/api/v2/tickets/${ticket.body.id}/restore`)).status).toBe(204);
    expect((await call('GET', `/api/v2/tickets/${ticket.body.id}`)).body.deleted).toBe(false);
  });

  it("answers another account's ticket and conversation ids with 404 and changes nothing", async () => {
    const ticket = await call('POST', '/api/v2/tickets', newTicket());
    const reply = await call('POST', `/api/v2/tickets/${ticket.body.id}/reply`, { body: 'mine' });

    expect((await call('GET', `/api/v2/tickets/${ticket.body.id}`, undefined, other.key)).status).toBe(404);
    expect((await call('PUT', `/api/v2/tickets/${ticket.body.id}`, { priority: 4 }, other.key)).status).toBe(
      404,
    );
    expect(
      (await call('POST', `/api/v2/tickets/${ticket.body.id}/notes`, { body: 'x' }, other.key)).status,
    ).toBe(404);
    expect(
      (await call('GET', `/api/v2/tickets/${ticket.body.id}/conversations`, undefined, other.key)).status,
    ).toBe(404);
    expect(
      (await call('PUT', `/api/v2/conversations/${reply.body.id}`, { body: 'stolen' }, other.key)).status,
    ).toBe(404);
    expect(
      (await call('DELETE', `/api/v2/conversations/${reply.body.id}`, undefined, other.key)).status,
    ).toBe(404);
    expect((await call('GET', `/api/v2/tickets/${ticket.body.id}/conversations`)).body[0].body).toBe('mine');
  });

  it("keeps a ticket's team huddle in order, by its authors, and only for its own account", async () => {
    const ticket = await call('POST', '/api/v2/tickets', newTicket());
    const first = await call('POST', `/api/v2/tickets/${ticket.body.id}/huddle`, { body: 'Who takes this?' });
    const second = await call('POST', `/api/v2/tickets/${ticket.body.id}/huddle`, { body: 'I do' });

    const huddle = await call('GET', `/api/v2/tickets/${ticket.body.id}/huddle`);

    expect(huddle.body.map((m: { id: number; agent_id: number }) => [m.id, m.agent_id])).toEqual([
      [first.body.id, account.agentId],
      [second.body.id, account.agentId],
    ]);
    expect((await call('GET', `/api/v2/tickets/${ticket.body.id}/huddle`, undefined, other.key)).status).toBe(
      404,
    );
    expect(
      (await call('DELETE', `/api/v2/huddle_messages/${first.body.id}`, undefined, other.key)).status,
    ).toBe(404);
    expect((await call('DELETE', `/api/v2/huddle_messages/${first.body.id}`)).status).toBe(204);
    expect(
      (await call('GET', `/api/v2/tickets/${ticket.body.id}/huddle`)).body.map((m: { id: number }) => m.id),
    ).toEqual([second.body.id]);
  });
});
