import { randomUUID } from 'node:crypto';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DynamoRecordStore } from '../../lambdas/adapters/dynamo-record-store.ts';
import { toItem } from '../../lambdas/adapters/record-items.ts';
import { purgeDueAt } from '../../lambdas/domain/purge/purge-due.ts';
import type { RecordRef, RecordType } from '../../lambdas/domain/records/record.ts';
import { recordPurgeStateMachineName } from '../../lib/platform/names.ts';
import { retention } from '../../lib/residency/index.ts';
import { emulatorDocumentClient, emulatorS3Client } from './emulator-clients.ts';
import { multipartPoster } from './multipart-post.ts';
import { apiCaller, createTestAccount } from './test-accounts.ts';
import { runWithFaults, workflowUnderTest } from './workflow-faults.ts';

/*
 * The acceptance of the trash (issue 15): every soft-deletable kind is deleted, restored exactly,
 * deleted again and, 60 days on, purged by the region's workflow, leaving no item and no object that
 * holds its marker, while its audit entries stay. `us` hosts calls and chats. Other test files delete
 * and restore records in this region, so instead of running the purge with a clock 60 days ahead
 * (which would purge their trash too), each case's deletion is moved 60 days and an hour back (its
 * item rewritten as the deletion writes it) and the purge runs with the clock an hour ago: only the
 * records of this file are due.
 */
const platform = inject('localPlatform');
const { url, table, buckets } = platform.regions.us;
const client = emulatorDocumentClient(platform);
const s3 = emulatorS3Client(platform);
const store = new DynamoRecordStore(client, table);
const workflow = workflowUnderTest('us', recordPurgeStateMachineName('us'));
const call = apiCaller(url);
const account = { id: '', key: '' };
const v2 = '/api/v2';

beforeAll(async () => {
  const made = await createTestAccount(client, table, 'us', ['admin']);
  Object.assign(account, { id: made.id, key: made.keys.admin });
});
afterAll(() => client.destroy());

const multipart = multipartPoster(url, () => account.key);

/** POSTs as the admin, expects 201, answers the body. */
async function made(path: string, body: unknown) {
  const answer = await call('POST', `${v2}${path}`, account.key, body);
  expect(answer.status, `${path}: ${JSON.stringify(answer.body)}`).toBe(201);
  return answer.body;
}

/** Uploads bytes through a presigned URL, with the headers it binds. */
async function upload(target: { upload_url: string; upload_headers: Record<string, string> }, bytes: string) {
  const answer = await fetch(target.upload_url, {
    method: 'PUT',
    headers: target.upload_headers,
    body: bytes,
  });
  expect(answer.status).toBeLessThan(300);
}

/** A ticket to hang records on: it holds no marker, stays live and is not swept. */
const liveTicket = async () =>
  (await made('/tickets', { subject: 'Parent', description: 'x', email: `p-${randomUUID()}@example.test` }))
    .id as number;

/** A soft-deletable kind: how to make one (its fields holding `marker`) and its routes. */
interface TrashCase {
  readonly kind: RecordType;
  /** The API path of the kind (`DELETE <path>/{id}`, `PUT <path>/{id}/restore`). */
  readonly path: string;
  /** Makes the record; answers its id and the records deleted and restored with it (its descendants). */
  readonly make: (marker: string) => Promise<{ id: number; along?: RecordRef[] }>;
}

const cases: TrashCase[] = [
  {
    kind: 'ticket',
    path: '/tickets',
    make: async (marker) => {
      const ticket = await multipart(
        `${v2}/tickets`,
        { subject: marker, description: 'x', email: `t-${randomUUID()}@example.test` },
        [`${marker}.txt`],
      );
      const huddle = await made(`/tickets/${ticket.id}/huddle`, { body: marker });
      return {
        id: ticket.id,
        along: [
          { type: 'huddle', id: huddle.id },
          ...ticket.attachments.map((file) => ({ type: 'attachment' as const, id: file.id })),
        ],
      };
    },
  },
  {
    kind: 'conversation',
    path: '/conversations',
    make: async (marker) => {
      // A reply with two files: deleted, restored and purged with it.
      const reply = await multipart(`${v2}/tickets/${await liveTicket()}/reply`, { body: marker }, [
        `${marker}-1.txt`,
        `${marker}-2.txt`,
      ]);
      return {
        id: reply.id,
        along: reply.attachments.map((file) => ({ type: 'attachment' as const, id: file.id })),
      };
    },
  },
  {
    kind: 'attachment',
    path: '/attachments',
    make: async (marker) => {
      const bytes = `file holding ${marker}`;
      const file = await made(`/tickets/${await liveTicket()}/attachments`, {
        name: `${marker}.txt`,
        content_type: 'text/plain',
        size: bytes.length,
      });
      await upload(file, bytes);
      return { id: file.id };
    },
  },
  {
    kind: 'huddle',
    path: '/huddle_messages',
    make: async (marker) => ({
      id: (await made(`/tickets/${await liveTicket()}/huddle`, { body: marker })).id,
    }),
  },
  {
    kind: 'time_entry',
    path: '/time_entries',
    make: async (marker) => ({
      id: (await made(`/tickets/${await liveTicket()}/time_entries`, { time_spent: '00:20', note: marker }))
        .id,
    }),
  },
  {
    kind: 'forum_category',
    path: '/discussions/categories',
    make: async (marker) => {
      const category = await made('/discussions/categories', { name: marker });
      // Never deleted itself: hidden with its category, back with it, purged with it.
      await made(`/discussions/categories/${category.id}/forums`, {
        name: marker,
        forum_type: 1,
        forum_visibility: 1,
      });
      return { id: category.id };
    },
  },
  {
    kind: 'forum',
    path: '/discussions/forums',
    make: async (marker) => ({
      id: (await forumUnder(await made('/discussions/categories', { name: `C ${randomUUID()}` }), marker)).id,
    }),
  },
  {
    kind: 'topic',
    path: '/discussions/topics',
    make: async (marker) => ({ id: (await topicUnder(marker)).id }),
  },
  {
    kind: 'comment',
    path: '/discussions/comments',
    make: async (marker) => {
      const topic = await topicUnder(`T ${randomUUID()}`);
      return { id: (await made(`/discussions/topics/${topic.id}/comments`, { body: marker })).id };
    },
  },
  {
    kind: 'solution_category',
    path: '/solutions/categories',
    make: async (marker) => ({ id: (await made('/solutions/categories', { name: marker })).id }),
  },
  {
    kind: 'solution_folder',
    path: '/solutions/folders',
    make: async (marker) => {
      const category = await made('/solutions/categories', { name: `S ${randomUUID()}` });
      return {
        id: (await made(`/solutions/categories/${category.id}/folders`, { name: marker, visibility: 1 })).id,
      };
    },
  },
  {
    kind: 'solution_article',
    path: '/solutions/articles',
    make: async (marker) => {
      const category = await made('/solutions/categories', { name: `S ${randomUUID()}` });
      const folder = await made(`/solutions/categories/${category.id}/folders`, { name: 'F', visibility: 1 });
      const article = { title: marker, description: marker, status: 1 };
      return { id: (await made(`/solutions/folders/${folder.id}/articles`, article)).id };
    },
  },
  {
    kind: 'company',
    path: '/companies',
    make: async (marker) => ({ id: (await made('/companies', { name: marker, note: marker })).id }),
  },
  {
    kind: 'group',
    path: '/groups',
    make: async (marker) => ({ id: (await made('/groups', { name: marker, description: marker })).id }),
  },
  {
    kind: 'product',
    path: '/products',
    make: async (marker) => ({ id: (await made('/products', { name: marker, description: marker })).id }),
  },
  {
    kind: 'call',
    path: '/calls',
    make: async (marker) => {
      const created = await made('/calls', {
        direction: 'incoming',
        phone_number: marker,
        started_at: '2026-11-23T10:00:00Z',
        duration_seconds: 60,
        recording_content_type: 'audio/mpeg',
      });
      await upload(created.recording, `recording holding ${marker}`);
      return { id: created.id };
    },
  },
  {
    kind: 'chat',
    path: '/chats',
    make: async (marker) => {
      const chat = await made('/chats', { started_at: '2026-11-23T10:00:00Z' });
      const messages = [
        await made(`/chats/${chat.id}/messages`, { body: marker, actor_type: 'agent' }),
        await made(`/chats/${chat.id}/messages`, { body: `${marker} again`, actor_type: 'agent' }),
      ];
      return {
        id: chat.id,
        along: messages.map((message) => ({ type: 'chat_message' as const, id: message.id })),
      };
    },
  },
  {
    kind: 'integration_link',
    path: '/integration_links',
    make: async (marker) => {
      const link = await made('/integration_links', {
        app: 'jira',
        record_type: 'ticket',
        record_id: await liveTicket(),
        external_id: marker,
        external_url: `https://jira.example.test/browse/${marker}`,
      });
      return { id: link.id };
    },
  },
];

async function forumUnder(category: { id: number }, name: string) {
  return made(`/discussions/categories/${category.id}/forums`, { name, forum_type: 1, forum_visibility: 1 });
}

async function topicUnder(title: string) {
  const category = await made('/discussions/categories', { name: `C ${randomUUID()}` });
  const forum = await forumUnder(category, 'F');
  return made(`/discussions/forums/${forum.id}/topics`, { title, message: title });
}

/** Every item of the region's table, as stored (the test's sweep: the purge itself never scans). */
async function tableItems(): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: table, ExclusiveStartKey: startKey }));
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

/**
 * The keys and contents of the account's objects in every bucket of the region that hold `marker`.
 * (s3rver keeps one version per key: every version there is, docs/aws-behaviours.md.)
 */
async function objectsHolding(marker: string): Promise<string[]> {
  const found: string[] = [];
  for (const bucket of Object.values(buckets)) {
    let token: string | undefined;
    do {
      const page = await s3.send(
        new ListObjectsV2Command({
          Bucket: bucket,
          Prefix: `accounts/${account.id}/`,
          ContinuationToken: token,
        }),
      );
      for (const object of page.Contents ?? []) {
        const body = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: object.Key }));
        const text = `${object.Key}\n${(await body.Body?.transformToString()) ?? ''}`;
        if (text.includes(marker)) found.push(object.Key ?? '');
      }
      token = page.NextContinuationToken;
    } while (token);
  }
  return found;
}

/** Whether a table item belongs to one of `refs` of the account: record, audit, claims, links, tombstone. */
const belongsTo = (item: Record<string, unknown>, refs: readonly RecordRef[]) =>
  JSON.stringify(item).includes(account.id) &&
  refs.some(
    (ref) =>
      String(item.pk).endsWith(`#${ref.type}#${ref.id}`) ||
      (item.record_type === ref.type && item.record_id === ref.id) ||
      (item.item_type === 'unique' &&
        item.record_id === ref.id &&
        String(item.pk).includes(`#${ref.type}#`)) ||
      String(item.sk).endsWith(`#${ref.type}#${ref.id}`),
  );

/**
 * The items of `refs` but their audit trail, without what every change renews (the version, the
 * update time, the collection key ordered by it and search's lookup of it).
 */
async function itemsWithoutAudit(refs: readonly RecordRef[]) {
  const renewed = new Set(['version', 'updated_at', 'gsi1sk', 'r:updated_at']);
  return (await tableItems())
    .filter((item) => belongsTo(item, refs) && item.item_type !== 'audit')
    .map((item) =>
      JSON.parse(JSON.stringify(item), (key, value: unknown) => (renewed.has(key) ? undefined : value)),
    )
    .sort((a, b) => `${a.pk}|${a.sk}`.localeCompare(`${b.pk}|${b.sk}`));
}

/** A file's view without what a read or restore renews (its presigned URL, its update time). */
const stableFile = (view: Record<string, unknown>) => ({
  ...view,
  attachment_url: undefined,
  updated_at: undefined,
});

const dayMs = 24 * 60 * 60 * 1000;
const hourMs = 60 * 60 * 1000;

/** Moves a soft-deleted record's deletion back by `ms`, rewriting its item as a deletion writes it. */
async function backdateDeletion(ref: RecordRef, ms: number): Promise<string> {
  const record = await store.get(account.id, ref);
  const deletedAt = new Date(Date.parse(record?.deletedAt ?? '') - ms).toISOString();
  if (!record) throw new Error(`${ref.type} ${ref.id} is not stored`);
  // Without its undefined attributes, as the platform's client writes it.
  const item = JSON.parse(
    JSON.stringify(toItem({ ...record, deletedAt }, await store.hasherFor(account.id))),
  );
  await client.send(new PutCommand({ TableName: table, Item: item }));
  return deletedAt;
}

describe('every soft-deletable kind: delete, restore, delete, purged 60 days on', () => {
  it.each(cases.map((c) => [c.kind, c] as const))(
    '%s: restored exactly, then purged with its descendants and objects; its audit trail stays',
    async (_kind, trashCase) => {
      // Prepare: the record, its marker in its fields (and its file or recording).
      const marker = `mk-${randomUUID()}`;
      const { id, along = [] } = await trashCase.make(marker);
      const ref: RecordRef = { type: trashCase.kind, id };
      const refs = [ref, ...along];
      const asCreated = await itemsWithoutAudit(refs);
      const path = `${v2}${trashCase.path}/${id}`;

      // Act: deleted, restored, deleted again; 60 days (and an hour) on, the purge.
      const deleted = await call('DELETE', path, account.key);
      const inTrash = await itemsWithoutAudit(refs);
      const restored = await call('PUT', `${path}/restore`, account.key);
      const asRestored = await itemsWithoutAudit(refs);
      const deletedAgain = await call('DELETE', path, account.key);
      const deletedAt = await backdateDeletion(ref, retention.trashDays * dayMs + hourMs);
      const before = purgeDueAt(deletedAt);
      const execution = await runWithFaults(workflow(), { day: before.slice(0, 10), before }, (_s, h) => h);

      // Assess
      expect([deleted.status, restored.status, deletedAgain.status]).toEqual([204, 204, 204]);
      expect(inTrash).not.toEqual(asCreated);
      expect(asRestored).toEqual(asCreated);
      expect(execution.status).toBe('SUCCEEDED');
      expect(JSON.parse(execution.output ?? '{}').purged).toMatchObject({ [trashCase.kind]: 1 });
      const items = await tableItems();
      expect(items.filter((item) => JSON.stringify(item).includes(marker))).toEqual([]);
      expect(await objectsHolding(marker)).toEqual([]);
      const left = new Set(items.filter((item) => belongsTo(item, refs)).map((item) => item.item_type));
      expect(left).toEqual(new Set(['audit', 'erased_record']));
      const trail = await store.auditTrail(account.id, ref, 10);
      // (The purge's entry is at the run's clock, an hour ago: the order by time is not the order here.)
      expect(trail.map((entry) => entry.operation).sort()).toEqual([
        'create',
        'delete',
        'delete',
        'purge',
        'restore',
      ]);
      expect((await call('PUT', `${path}/restore`, account.key)).status).toBe(404);
    },
  );
});

describe('a restore', () => {
  it('leaves a live record as it is, does not know an unknown id, and names a deleted parent (409)', async () => {
    // Prepare: a topic in a forum in a category, all live.
    const category = await made('/discussions/categories', { name: `C ${randomUUID()}` });
    const forum = await forumUnder(category, 'F');
    const topic = await made(`/discussions/forums/${forum.id}/topics`, { title: 'T', message: 'M' });
    const d = `${v2}/discussions`;
    const liveBefore = await call('GET', `${d}/topics/${topic.id}`, account.key);

    // Act
    const live = await call('PUT', `${d}/topics/${topic.id}/restore`, account.key);
    const liveAfter = await call('GET', `${d}/topics/${topic.id}`, account.key);
    const unknown = await call('PUT', `${d}/topics/999999999/restore`, account.key);
    for (const path of [`topics/${topic.id}`, `forums/${forum.id}`, `categories/${category.id}`]) {
      expect((await call('DELETE', `${d}/${path}`, account.key)).status).toBe(204);
    }
    const underDeletedForum = await call('PUT', `${d}/topics/${topic.id}/restore`, account.key);
    const forumUnderDeletedCategory = await call('PUT', `${d}/forums/${forum.id}/restore`, account.key);
    const categoryBack = await call('PUT', `${d}/categories/${category.id}/restore`, account.key);
    const forumBack = await call('PUT', `${d}/forums/${forum.id}/restore`, account.key);
    const topicBack = await call('PUT', `${d}/topics/${topic.id}/restore`, account.key);

    // Assess
    expect(live.status).toBe(204);
    expect(liveAfter.body).toEqual(liveBefore.body);
    expect(liveAfter.headers.get('etag')).toBe(liveBefore.headers.get('etag'));
    expect(unknown.status).toBe(404);
    expect(underDeletedForum.status).toBe(409);
    expect(underDeletedForum.body.code).toBe('conflict');
    expect(underDeletedForum.body.message).toContain('forum');
    expect(forumUnderDeletedCategory.status).toBe(409);
    expect(forumUnderDeletedCategory.body.message).toContain('forum_category');
    expect([categoryBack.status, forumBack.status, topicBack.status]).toEqual([204, 204, 204]);
    const back = (await call('GET', `${d}/topics/${topic.id}`, account.key)).body;
    expect({ ...back, updated_at: undefined }).toEqual({ ...liveBefore.body, updated_at: undefined });
  });

  it('of a conversation brings back exactly the files deleted with it, not one deleted before', async () => {
    // Prepare: a reply with three files, one deleted on its own first.
    const ticket = await liveTicket();
    const reply = await multipart(`${v2}/tickets/${ticket}/reply`, { body: 'r' }, [
      'a.txt',
      'b.txt',
      'c.txt',
    ]);
    const [kept, other, alone] = reply.attachments.map((file) => `${v2}/attachments/${file.id}`) as [
      string,
      string,
      string,
    ];
    expect((await call('DELETE', alone, account.key)).status).toBe(204);
    const filesBefore = await Promise.all([kept, other].map((path) => call('GET', path, account.key)));

    // Act
    const deleted = await call('DELETE', `${v2}/conversations/${reply.id}`, account.key);
    const whileDeleted = await Promise.all([kept, other].map((path) => call('GET', path, account.key)));
    const aloneRestoredFirst = await call('PUT', `${alone}/restore`, account.key);
    const restored = await call('PUT', `${v2}/conversations/${reply.id}/restore`, account.key);
    const filesAfter = await Promise.all([kept, other, alone].map((path) => call('GET', path, account.key)));
    const listed = await call('GET', `${v2}/tickets/${ticket}/conversations`, account.key);
    expect((await call('DELETE', `${v2}/tickets/${ticket}`, account.key)).status).toBe(204);
    const underDeletedTicket = await call('DELETE', `${v2}/conversations/${reply.id}`, account.key);

    // Assess
    expect([deleted.status, restored.status]).toEqual([204, 204]);
    expect(whileDeleted.map((answer) => answer.status)).toEqual([404, 404]);
    // A deleted ticket hides it: its restore would bring back the files its own deletion took.
    expect(underDeletedTicket.status).toBe(404);
    expect(aloneRestoredFirst.status).toBe(409);
    expect(aloneRestoredFirst.body.message).toContain('conversation');
    expect(filesAfter.map((answer) => answer.status)).toEqual([200, 200, 404]);
    expect(filesAfter.slice(0, 2).map((answer) => stableFile(answer.body))).toEqual(
      filesBefore.map((answer) => stableFile(answer.body)),
    );
    const [conversation] = listed.body as { attachments: { id: number }[] }[];
    expect(conversation?.attachments.map((file) => file.id)).toEqual(
      reply.attachments.slice(0, 2).map((file) => file.id),
    );
  });

  it('of a chat brings back exactly the messages deleted with it', async () => {
    // Prepare
    const chat = await made('/chats', { started_at: '2026-11-23T10:00:00Z' });
    const message = await made(`/chats/${chat.id}/messages`, { body: 'Hello', actor_type: 'agent' });

    // Act
    const deleted = await call('DELETE', `${v2}/chats/${chat.id}`, account.key);
    const whileDeleted = await call('GET', `${v2}/chats/${chat.id}/messages`, account.key);
    const messageInTrash = await store.get(account.id, { type: 'chat_message', id: message.id });
    const restored = await call('PUT', `${v2}/chats/${chat.id}/restore`, account.key);
    const after = await call('GET', `${v2}/chats/${chat.id}/messages`, account.key);

    // Assess
    expect(deleted.status).toBe(204);
    expect(whileDeleted.status).toBe(404);
    expect(messageInTrash?.deletedWith).toEqual({ type: 'chat', id: chat.id });
    expect(restored.status).toBe(204);
    expect(after.body.map((view: { id: number }) => view.id)).toEqual([message.id]);
  });
});
