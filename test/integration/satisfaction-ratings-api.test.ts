import { randomUUID } from 'node:crypto';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestAccount } from './account-fixture.ts';
import { emulatorDocumentClient } from './emulator-clients.ts';
import { basicAuth } from './http-client.ts';

const platform = inject('localPlatform');
const { url, table } = platform.regions.us;
const client = emulatorDocumentClient(platform);
const account = { id: '', key: '' };
const other = { id: '', key: '' };

beforeAll(async () => {
  // Filled in place: the tests read the ids and keys when they run.
  for (const [a, agentId] of [
    [account, 71],
    [other, 72],
  ] as const) {
    const made = await createTestAccount(client, table, 'us', [{ id: agentId, role: 'admin' }]);
    Object.assign(a, { id: made.id, key: made.agents[0]?.key ?? '' });
  }
});
afterAll(() => client.destroy());

async function call(method: string, path: string, body?: unknown, key = account.key) {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: basicAuth(key), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

describe('satisfaction ratings API', () => {
  it("records a requester's rating of a ticket, linked to requester and agent, and lists it by user, time and ticket", async () => {
    // Prepare
    const ticket = await call('POST', '/api/v2/tickets', {
      subject: 'Rated',
      description: 'x',
      email: `r-${randomUUID()}@example.test`,
      responder_id: 71,
    });
    const since = new Date().toISOString();

    // Act
    const rating = await call('POST', `/api/v2/tickets/${ticket.body.id}/satisfaction_ratings`, {
      ratings: { default_question: 103, 'Was it fast?': -101 },
      feedback: 'Great help',
    });
    const byUser = await call(
      'GET',
      `/api/v2/surveys/satisfaction_ratings?user_id=${ticket.body.requester_id}`,
    );
    const sinceLater = await call(
      'GET',
      `/api/v2/surveys/satisfaction_ratings?created_since=${new Date(Date.now() + 60_000).toISOString()}`,
    );
    const sinceBefore = await call('GET', `/api/v2/surveys/satisfaction_ratings?created_since=${since}`);
    const byTicket = await call('GET', `/api/v2/tickets/${ticket.body.id}/satisfaction_ratings`);

    // Assess
    expect(rating.status).toBe(201);
    expect(rating.body).toMatchObject({
      user_id: ticket.body.requester_id,
      agent_id: 71,
      ticket_id: ticket.body.id,
      feedback: 'Great help',
    });
    expect(byUser.body.map((r: { id: number }) => r.id)).toEqual([rating.body.id]);
    expect(sinceLater.body).toEqual([]);
    expect(sinceBefore.body.map((r: { id: number }) => r.id)).toContain(rating.body.id);
    expect(byTicket.body.map((r: { id: number }) => r.id)).toEqual([rating.body.id]);
    for (const subject of [`contact#${ticket.body.requester_id}`, 'agent#71']) {
      const links = await client.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': `A#${account.id}#SUBJECT#${subject}` },
        }),
      );
      expect(links.Items?.map((item) => item.record_id)).toContain(rating.body.id);
    }
  });

  it('refuses ratings outside the v2 scale, without the default question, or on unknown tickets', async () => {
    const ticket = await call('POST', '/api/v2/tickets', {
      subject: 'R',
      description: 'x',
      email: `r-${randomUUID()}@example.test`,
    });
    const path = `/api/v2/tickets/${ticket.body.id}/satisfaction_ratings`;

    expect((await call('POST', path, { ratings: { default_question: 5 } })).status).toBe(400);
    expect((await call('POST', path, { ratings: { other: 103 } })).status).toBe(400);
    expect(
      (
        await call('POST', '/api/v2/tickets/999999/satisfaction_ratings', {
          ratings: { default_question: 100 },
        })
      ).status,
    ).toBe(404);
    expect((await call('POST', path, { ratings: { default_question: 100 } }, other.key)).status).toBe(404);
    expect((await call('GET', path)).body).toEqual([]);
  });
});
