import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { DynamoRecordStore } from '../../lambdas/adapters/dynamo-record-store.ts';
import type { RecordChange } from '../../lambdas/domain/records/record-store.ts';
import type { StoredRecord } from '../../lambdas/domain/records/record.ts';
import { TicketService } from '../../lambdas/domain/tickets/ticket-service.ts';
import { createTestAccount } from './account-fixture.ts';
import { emulatorDocumentClient } from './emulator-clients.ts';
import { basicAuth } from './http-client.ts';
import { multipartPoster } from './multipart-post.ts';

const platform = inject('localPlatform');
const { url, table } = platform.regions.eea;
const client = emulatorDocumentClient(platform);
const store = new DynamoRecordStore(client, table);
const account = { id: '', key: '', agentId: 701 };

beforeAll(async () => {
  const made = await createTestAccount(client, table, 'eea', [{ id: account.agentId, role: 'admin' }]);
  Object.assign(account, { id: made.id, key: made.agents[0]?.key ?? '' });
});
afterAll(() => client.destroy());

async function call(method: string, path: string, body?: unknown) {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: {
      authorization: basicAuth(account.key),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

const multipart = multipartPoster(url, () => account.key);

/**
 * A ticket with two files, a reply with one, three huddle messages; one message and one file an agent
 * deleted before (they must stay deleted on restore).
 */
async function ticketWithChildren(huddleMessages = 3) {
  const ticket = await multipart(
    '/api/v2/tickets',
    { subject: 'Cascade', description: 'x', email: `c-${randomUUID()}@example.test` },
    ['a.txt', 'b.txt'],
  );
  const reply = await multipart(`/api/v2/tickets/${ticket.id}/reply`, { body: 'r' }, ['c.txt']);
  const huddle: number[] = [];
  for (let n = 0; n < huddleMessages; n++) {
    huddle.push((await call('POST', `/api/v2/tickets/${ticket.id}/huddle`, { body: `m${n}` })).body.id);
  }
  const [earlierMessage, ...messages] = huddle as [number, ...number[]];
  const [earlierFile, ...files] = [...ticket.attachments, ...reply.attachments].map((a) => a.id) as [
    number,
    ...number[],
  ];
  expect((await call('DELETE', `/api/v2/huddle_messages/${earlierMessage}`)).status).toBe(204);
  expect((await call('DELETE', `/api/v2/attachments/${earlierFile}`)).status).toBe(204);
  return { id: ticket.id, messages, files, earlierMessage, earlierFile };
}

/** What the API shows of the ticket's children: huddle ids, the files' statuses, the views' files. */
async function visibleChildren(ticket: Awaited<ReturnType<typeof ticketWithChildren>>) {
  const huddle = await call('GET', `/api/v2/tickets/${ticket.id}/huddle?per_page=100`);
  const view = await call('GET', `/api/v2/tickets/${ticket.id}`);
  const conversations = await call('GET', `/api/v2/tickets/${ticket.id}/conversations`);
  return {
    huddle: (huddle.body as { id: number }[]).map((m) => m.id),
    files: await Promise.all(
      [...ticket.files, ticket.earlierFile].map(
        async (id) => (await call('GET', `/api/v2/attachments/${id}`)).status,
      ),
    ),
    ticketFiles: (view.body.attachments as unknown[]).length,
    replyFiles: (conversations.body as { attachments: unknown[] }[]).flatMap((c) => c.attachments).length,
  };
}

const stored = (type: 'huddle' | 'attachment', id: number) =>
  store.get(account.id, { type, id }) as Promise<StoredRecord>;

describe('ticket deletion', () => {
  it("deletes the ticket's huddle and files with it and restores exactly those", async () => {
    // Prepare
    const ticket = await ticketWithChildren();
    const before = await visibleChildren(ticket);

    // Act
    const deleted = await call('DELETE', `/api/v2/tickets/${ticket.id}`);
    const whileDeleted = await visibleChildren(ticket);
    const deleteMessage = await call('DELETE', `/api/v2/huddle_messages/${ticket.messages[0]}`);
    const deletedTicket = (await store.get(account.id, { type: 'ticket', id: ticket.id })) as StoredRecord;
    const markers = await Promise.all([
      ...ticket.messages.map((id) => stored('huddle', id)),
      ...ticket.files.map((id) => stored('attachment', id)),
    ]);
    const earlier = await Promise.all([
      stored('huddle', ticket.earlierMessage),
      stored('attachment', ticket.earlierFile),
    ]);
    const restored = await call('PUT', `/api/v2/tickets/${ticket.id}/restore`);
    const after = await visibleChildren(ticket);

    // Assess
    expect(before).toEqual({
      huddle: ticket.messages,
      files: [200, 200, 404],
      ticketFiles: 1,
      replyFiles: 1,
    });
    expect([deleted.status, restored.status]).toEqual([204, 204]);
    expect(whileDeleted).toEqual({ huddle: [], files: [404, 404, 404], ticketFiles: 0, replyFiles: 0 });
    expect(deleteMessage.status).toBe(404);
    for (const child of markers) {
      expect(child.deletedAt).toBe(deletedTicket.deletedAt);
      expect(child.deletedWith).toEqual({ type: 'ticket', id: ticket.id });
    }
    for (const child of earlier) expect(child.deletedWith).toBeUndefined();
    expect(after).toEqual(before);
    expect((await stored('huddle', ticket.messages[0] ?? 0)).deletedWith).toBeUndefined();
  });

  it('cascades over many children in several transactions', async () => {
    const ticket = await ticketWithChildren(60);

    const deleted = await call('DELETE', `/api/v2/tickets/${ticket.id}`);
    const whileDeleted = await visibleChildren(ticket);
    const still = await Promise.all(ticket.messages.map((id) => stored('huddle', id)));
    const restored = await call('PUT', `/api/v2/tickets/${ticket.id}/restore`);
    const after = await visibleChildren(ticket);

    expect([deleted.status, restored.status]).toEqual([204, 204]);
    expect(whileDeleted.huddle).toEqual([]);
    expect(still.filter((m) => !m.deletedAt)).toEqual([]);
    expect(after.huddle).toEqual(ticket.messages);
  });

  it('shows no half-done state when a cascade is cut off, and a retry through the API completes it', async () => {
    // Prepare: the domain service in this process on the same table, whose store fails its second
    // transaction once (the function dying between batches), with batches of two changes.
    const ticket = await ticketWithChildren(6);
    let commits = 0;
    const failingOnce = Object.assign(Object.create(store) as DynamoRecordStore, {
      commit: async (changes: readonly RecordChange[]) => {
        commits += 1;
        if (commits === 2) throw Object.assign(new Error('cut off'), { name: 'InternalServerError' });
        return store.commit(changes);
      },
    });
    const service = new TicketService(
      { store: failingOnce, now: () => new Date(), newId: () => Date.now() },
      2,
    );
    const principal = { accountId: account.id, agentId: account.agentId, role: 'admin' } as const;

    // Act: the deletion is cut off after its first batch; the API retries it.
    await expect(service.softDelete(principal, ticket.id)).rejects.toThrow('cut off');
    const cutOffDelete = await visibleChildren(ticket);
    const halfDeleted = await Promise.all(ticket.messages.map((id) => stored('huddle', id)));
    const retried = await call('DELETE', `/api/v2/tickets/${ticket.id}`);
    const afterRetry = await Promise.all(ticket.messages.map((id) => stored('huddle', id)));
    // Act: the restore is cut off after its first batch (the ticket comes last); the API retries it.
    commits = 0;
    await expect(service.restore(principal, ticket.id)).rejects.toThrow('cut off');
    const cutOffRestore = await visibleChildren(ticket);
    const ticketWhileRestoring = await call('GET', `/api/v2/tickets/${ticket.id}`);
    const retriedRestore = await call('PUT', `/api/v2/tickets/${ticket.id}/restore`);
    const restored = await visibleChildren(ticket);

    // Assess
    expect(halfDeleted.some((m) => !m.deletedAt)).toBe(true);
    expect(cutOffDelete).toEqual({ huddle: [], files: [404, 404, 404], ticketFiles: 0, replyFiles: 0 });
    expect(retried.status).toBe(204);
    expect(afterRetry.every((m) => m.deletedWith?.id === ticket.id)).toBe(true);
    expect(cutOffRestore.huddle).toEqual([]);
    expect(ticketWhileRestoring.body.deleted).toBe(true);
    expect(retriedRestore.status).toBe(204);
    expect(restored).toEqual({
      huddle: ticket.messages,
      files: [200, 200, 404],
      ticketFiles: 1,
      replyFiles: 1,
    });
  });
});
