import { randomUUID } from 'node:crypto';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DynamoRecordStore } from '../../lambdas/adapters/dynamo-record-store.ts';
import { purgeDueAt } from '../../lambdas/domain/purge/purge-due.ts';
import type { RecordRef } from '../../lambdas/domain/records/record.ts';
import { purgeStates } from '../../lib/constructs/record-purge-workflow.ts';
import { recordPurgeStateMachineName } from '../../lib/platform/names.ts';
import { emulatorDocumentClient, emulatorS3Client } from './emulator-clients.ts';
import { multipartPoster } from './multipart-post.ts';
import { apiCaller, createTestAccount } from './test-accounts.ts';
import { injectedError, runWithFaults, type TaskHandler, workflowUnderTest } from './workflow-faults.ts';

/*
 * The purge runs on the whole region's due records: this file uses `au`, where no other test restores
 * what it deletes, and moves the run's clock (its input) past the 60 days of its own deletions.
 */
const platform = inject('localPlatform');
const { url, table, buckets } = platform.regions.au;
const client = emulatorDocumentClient(platform);
const s3 = emulatorS3Client(platform);
const store = new DynamoRecordStore(client, table);
const workflow = workflowUnderTest('au', recordPurgeStateMachineName('au'));
const call = apiCaller(url);
const account = { id: '', key: '' };

beforeAll(async () => {
  const made = await createTestAccount(client, table, 'au', ['admin']);
  Object.assign(account, { id: made.id, key: made.keys.admin });
});
afterAll(() => client.destroy());

const multipart = multipartPoster(url, () => account.key);

/** Every table item of the account (a test's sweep: the purge itself never scans). */
async function accountItems(): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: table, ExclusiveStartKey: startKey }));
    items.push(...(page.Items ?? []).filter((item) => JSON.stringify(item).includes(account.id)));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

/** The account's objects in the attachments bucket. */
async function accountObjects(): Promise<string[]> {
  const listed = await s3.send(
    new ListObjectsV2Command({ Bucket: buckets.attachments, Prefix: `accounts/${account.id}/` }),
  );
  return (listed.Contents ?? []).map((object) => object.Key ?? '');
}

/** The items of `refs` left in the table, by kind (record, link, audit, tombstone, …). */
function itemsOf(items: Record<string, unknown>[], refs: readonly RecordRef[]) {
  const of = (item: Record<string, unknown>) =>
    refs.some(
      (ref) =>
        String(item.pk).endsWith(`#${ref.type}#${ref.id}`) ||
        (item.record_type === ref.type && item.record_id === ref.id) ||
        String(item.sk).endsWith(`#${ref.type}#${ref.id}`),
    );
  return items.filter(of).map((item) => String(item.item_type));
}

/** A view without what every change or read renews (update times, presigned URLs). */
const stable = (view: unknown): unknown =>
  JSON.parse(JSON.stringify(view), (key, value: unknown) =>
    key === 'updated_at' || key === 'attachment_url' ? undefined : value,
  );

/** Places a hold on a target of the account (expects 201); answers its id. */
async function placeHold(target_type: 'ticket' | 'contact', target_id: number, reason: string) {
  const hold = await call('POST', '/api/v2/legal_holds', account.key, { target_type, target_id, reason });
  expect(hold.status).toBe(201);
  return hold.body.id as number;
}

/** Deletes a ticket through the API (expects 204); answers when it is due for the purge. */
async function deleteTicket(id: number): Promise<string> {
  expect((await call('DELETE', `/api/v2/tickets/${id}`, account.key)).status).toBe(204);
  const deleted = await store.get(account.id, { type: 'ticket', id });
  return purgeDueAt(deleted?.deletedAt ?? '');
}

const runPurge = (before: string, wrap = (_state: string, handler: TaskHandler) => handler) =>
  runWithFaults(workflow(), { day: before.slice(0, 10), before }, wrap);

describe('the 60-day purge', () => {
  it('removes a ticket deleted, restored and deleted again, with its files, huddle and conversation, exactly 60 days after', async () => {
    // Prepare: a ticket with two files, a reply with one, a huddle message, a note deleted on its own.
    const ticket = await multipart(
      '/api/v2/tickets',
      { subject: 'Purge', description: 'x', email: `p-${randomUUID()}@example.test` },
      ['a.txt', 'b.txt'],
    );
    const reply = await multipart(`/api/v2/tickets/${ticket.id}/reply`, { body: 'r' }, ['c.txt']);
    const huddle = await call('POST', `/api/v2/tickets/${ticket.id}/huddle`, account.key, { body: 'm' });
    const note = await call('POST', `/api/v2/tickets/${ticket.id}/notes`, account.key, { body: 'n' });
    expect((await call('DELETE', `/api/v2/conversations/${note.body.id}`, account.key)).status).toBe(204);
    const files = [...ticket.attachments, ...reply.attachments].map((a) => a.id);
    const before = (await call('GET', `/api/v2/tickets/${ticket.id}`, account.key)).body;
    const objectsBefore = await accountObjects();
    expect(objectsBefore).toHaveLength(3);

    // Act: deleted, restored (exactly as it was), deleted again.
    expect((await call('DELETE', `/api/v2/tickets/${ticket.id}`, account.key)).status).toBe(204);
    expect((await call('PUT', `/api/v2/tickets/${ticket.id}/restore`, account.key)).status).toBe(204);
    const restored = (await call('GET', `/api/v2/tickets/${ticket.id}`, account.key)).body;
    expect((await call('DELETE', `/api/v2/tickets/${ticket.id}`, account.key)).status).toBe(204);
    const deleted = await store.get(account.id, { type: 'ticket', id: ticket.id });
    const due = purgeDueAt(deleted?.deletedAt ?? '');
    const early = await runPurge(new Date(Date.parse(due) - 1).toISOString());
    const itemsEarly = await accountItems();
    const onTime = await runPurge(due);

    // Assess: a moment early nothing of it goes; on time nothing of it stays but audit and tombstones.
    expect(stable(restored)).toEqual(stable(before));
    expect(early.status).toBe('SUCCEEDED');
    const refs: RecordRef[] = [
      { type: 'ticket', id: ticket.id },
      { type: 'conversation', id: reply.id },
      { type: 'conversation', id: note.body.id },
      { type: 'huddle', id: huddle.body.id },
      ...files.map((id) => ({ type: 'attachment' as const, id })),
    ];
    expect(itemsOf(itemsEarly, [{ type: 'ticket', id: ticket.id }])).toContain('record');
    expect(onTime.status).toBe('SUCCEEDED');
    // The note, deleted first, was due a moment earlier: the early run took it.
    const output = JSON.parse(onTime.output ?? '{}');
    expect(JSON.parse(early.output ?? '{}').purged).toMatchObject({ conversation: 1 });
    // The reply was never deleted itself: hidden with its ticket, it goes with it.
    expect(output.purged).toMatchObject({ ticket: 1, attachment: 3, huddle: 1, conversation: 1 });
    expect(JSON.stringify(output)).not.toContain(account.id);
    const left = itemsOf(await accountItems(), refs);
    expect(new Set(left)).toEqual(new Set(['audit', 'erased_record']));
    expect(await accountObjects()).toEqual([]);
    const trail = await store.auditTrail(account.id, { type: 'ticket', id: ticket.id }, 10);
    // (The agent's reply updated the ticket's stats.)
    expect(trail.map((entry) => entry.operation)).toEqual([
      'purge',
      'delete',
      'restore',
      'delete',
      'update',
      'create',
    ]);
    expect(await store.erasedAmong(account.id, refs)).toHaveLength(refs.length);
  });

  it('keeps a ticket a legal hold covers past its 60 days, and purges it once the hold is released', async () => {
    // Prepare: a ticket with a reply, held, then deleted
    const ticket = await call('POST', '/api/v2/tickets', account.key, {
      subject: 'Held',
      description: 'x',
      email: `h-${randomUUID()}@example.test`,
    });
    const reply = await call('POST', `/api/v2/tickets/${ticket.body.id}/reply`, account.key, { body: 'r' });
    const hold = await placeHold('ticket', ticket.body.id, 'Pending litigation');
    const due = await deleteTicket(ticket.body.id);
    const refs: RecordRef[] = [
      { type: 'ticket', id: ticket.body.id },
      { type: 'conversation', id: reply.body.id },
    ];

    // Act
    const whileHeld = await runPurge(due);
    const itemsWhileHeld = itemsOf(await accountItems(), refs);
    const released = await call('DELETE', `/api/v2/legal_holds/${hold}`, account.key);
    const afterRelease = await runPurge(new Date(Date.parse(due) + 1).toISOString());

    // Assess
    expect(whileHeld.status).toBe('SUCCEEDED');
    expect(JSON.parse(whileHeld.output ?? '{}').held).toBeGreaterThanOrEqual(1);
    expect(itemsWhileHeld).toContain('record');
    expect(released.status).toBeLessThan(300);
    expect(afterRelease.status).toBe('SUCCEEDED');
    expect(new Set(itemsOf(await accountItems(), refs))).toEqual(new Set(['audit', 'erased_record']));
  });

  it("keeps a held contact's conversation on an unheld ticket, and the ticket with it, until the hold ends", async () => {
    // Prepare: a ticket of one requester with a reply written by another contact, who is held.
    const author = await call('POST', '/api/v2/contacts', account.key, {
      name: 'Witness',
      email: `w-${randomUUID()}@example.test`,
    });
    const ticket = await call('POST', '/api/v2/tickets', account.key, {
      subject: 'Unheld',
      description: 'x',
      email: `u-${randomUUID()}@example.test`,
    });
    const reply = await call('POST', `/api/v2/tickets/${ticket.body.id}/reply`, account.key, {
      body: 'From the witness',
      user_id: author.body.id,
    });
    const hold = await placeHold('contact', author.body.id, 'Witness in a pending case');
    const due = await deleteTicket(ticket.body.id);
    const ticketRef: RecordRef = { type: 'ticket', id: ticket.body.id };
    const replyRef: RecordRef = { type: 'conversation', id: reply.body.id };

    // Act
    const whileHeld = await runPurge(due);
    const ticketWhileHeld = itemsOf(await accountItems(), [ticketRef]);
    const replyWhileHeld = itemsOf(await accountItems(), [replyRef]);
    await call('DELETE', `/api/v2/legal_holds/${hold}`, account.key);
    const afterRelease = await runPurge(new Date(Date.parse(due) + 1).toISOString());

    // Assess: held, the reply stayed, and so did the ticket it hangs on; released, both went.
    expect(whileHeld.status).toBe('SUCCEEDED');
    expect(JSON.parse(whileHeld.output ?? '{}').held).toBeGreaterThanOrEqual(2);
    expect(replyWhileHeld).toContain('record');
    expect(ticketWhileHeld).toContain('record');
    expect(afterRelease.status).toBe('SUCCEEDED');
    const left = itemsOf(await accountItems(), [ticketRef, replyRef]);
    expect(new Set(left)).toEqual(new Set(['audit', 'erased_record']));
  });

  it('removes a deleted forum category with the forum, topic and comment it hid', async () => {
    // Prepare
    const d = '/api/v2/discussions';
    const category = await call('POST', `${d}/categories`, account.key, { name: `P ${randomUUID()}` });
    const forum = await call('POST', `${d}/categories/${category.body.id}/forums`, account.key, {
      name: 'How to',
      forum_type: 1,
      forum_visibility: 1,
    });
    const topic = await call('POST', `${d}/forums/${forum.body.id}/topics`, account.key, {
      title: 'Reports',
      message: 'How do I export a report?',
    });
    const comment = await call('POST', `${d}/topics/${topic.body.id}/comments`, account.key, {
      body: 'Here.',
    });
    expect((await call('DELETE', `${d}/categories/${category.body.id}`, account.key)).status).toBe(204);
    const deleted = await store.get(account.id, { type: 'forum_category', id: category.body.id });

    // Act
    const execution = await runPurge(purgeDueAt(deleted?.deletedAt ?? ''));

    // Assess
    const refs: RecordRef[] = [
      { type: 'forum_category', id: category.body.id },
      { type: 'forum', id: forum.body.id },
      { type: 'topic', id: topic.body.id },
      { type: 'comment', id: comment.body.id },
    ];
    expect(execution.status).toBe('SUCCEEDED');
    expect(JSON.parse(execution.output ?? '{}').purged).toMatchObject({
      forum_category: 1,
      forum: 1,
      topic: 1,
      comment: 1,
    });
    expect(new Set(itemsOf(await accountItems(), refs))).toEqual(new Set(['audit', 'erased_record']));
  });

  it('removes a deleted company, group and integration link, and frees nothing a new record holds', async () => {
    // Prepare: each created and deleted; a new company then takes the deleted one's name.
    const name = `Acme ${randomUUID()}`;
    const company = await call('POST', '/api/v2/companies', account.key, { name });
    const group = await call('POST', '/api/v2/groups', account.key, { name: `G ${randomUUID()}` });
    const ticket = await call('POST', '/api/v2/tickets', account.key, {
      subject: 'Linked',
      description: 'x',
      email: `l-${randomUUID()}@example.test`,
    });
    const link = await call('POST', '/api/v2/integration_links', account.key, {
      app: 'jira',
      external_id: 'PROJ-1',
      external_url: 'https://jira.example.test/browse/PROJ-1',
      record_type: 'ticket',
      record_id: ticket.body.id,
    });
    for (const path of [
      `/api/v2/companies/${company.body.id}`,
      `/api/v2/groups/${group.body.id}`,
      `/api/v2/integration_links/${link.body.id}`,
    ]) {
      expect((await call('DELETE', path, account.key)).status).toBe(204);
    }
    const successor = await call('POST', '/api/v2/companies', account.key, { name });
    const deleted = await store.get(account.id, { type: 'integration_link', id: link.body.id });

    // Act
    const execution = await runPurge(purgeDueAt(deleted?.deletedAt ?? ''));

    // Assess
    const refs: RecordRef[] = [
      { type: 'company', id: company.body.id },
      { type: 'group', id: group.body.id },
      { type: 'integration_link', id: link.body.id },
    ];
    expect(execution.status).toBe('SUCCEEDED');
    expect(new Set(itemsOf(await accountItems(), refs))).toEqual(new Set(['audit', 'erased_record']));
    expect(successor.status).toBe(201);
    expect((await call('GET', `/api/v2/companies/${successor.body.id}`, account.key)).status).toBe(200);
    expect((await call('POST', '/api/v2/companies', account.key, { name })).status).toBe(409);
  });

  it('removes a file and a huddle message deleted on their own from a live ticket, which stays', async () => {
    // Prepare
    const ticket = await multipart(
      '/api/v2/tickets',
      { subject: 'Alone', description: 'x', email: `a-${randomUUID()}@example.test` },
      ['gone.txt', 'kept.txt'],
    );
    const [gone, kept] = ticket.attachments.map((a) => a.id) as [number, number];
    const huddle = await call('POST', `/api/v2/tickets/${ticket.id}/huddle`, account.key, { body: 'm' });
    const objectsBefore = await accountObjects();
    expect((await call('DELETE', `/api/v2/attachments/${gone}`, account.key)).status).toBe(204);
    expect((await call('DELETE', `/api/v2/huddle_messages/${huddle.body.id}`, account.key)).status).toBe(204);
    const deleted = await store.get(account.id, { type: 'huddle', id: huddle.body.id });

    // Act
    const execution = await runPurge(purgeDueAt(deleted?.deletedAt ?? ''));

    // Assess
    expect(execution.status).toBe('SUCCEEDED');
    const refs: RecordRef[] = [
      { type: 'attachment', id: gone },
      { type: 'huddle', id: huddle.body.id },
    ];
    expect(new Set(itemsOf(await accountItems(), refs))).toEqual(new Set(['audit', 'erased_record']));
    expect((await call('GET', `/api/v2/tickets/${ticket.id}`, account.key)).status).toBe(200);
    expect((await call('GET', `/api/v2/attachments/${kept}`, account.key)).status).toBe(200);
    const objectsAfter = await accountObjects();
    expect(objectsAfter).toHaveLength(objectsBefore.length - 1);
    expect(objectsAfter.some((key) => key.endsWith(`/${gone}`))).toBe(false);
  });

  it('retries a failed page and resumes where it stopped', async () => {
    // Prepare: a deleted ticket with a file.
    const ticket = await multipart(
      '/api/v2/tickets',
      { subject: 'Faults', description: 'x', email: `f-${randomUUID()}@example.test` },
      ['a.txt'],
    );
    expect((await call('DELETE', `/api/v2/tickets/${ticket.id}`, account.key)).status).toBe(204);
    const deleted = await store.get(account.id, { type: 'ticket', id: ticket.id });
    let failures = 0;

    // Act: the first page fails once (a throttled table), then succeeds on the retry.
    const execution = await runPurge(purgeDueAt(deleted?.deletedAt ?? ''), (state, handler) =>
      state === purgeStates.pages
        ? async (input) => {
            if (failures++ === 0) throw injectedError('ProvisionedThroughputExceededException');
            return handler(input);
          }
        : handler,
    );

    // Assess
    expect(execution.status).toBe('SUCCEEDED');
    expect(failures).toBeGreaterThan(1);
    expect(await store.get(account.id, { type: 'ticket', id: ticket.id })).toBeUndefined();
    expect(
      await store.get(account.id, { type: 'attachment', id: ticket.attachments[0]?.id ?? 0 }),
    ).toBeUndefined();
  });
});
