import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestAccount, keyCaller, linkedRecords, type TestAgent } from './account-fixture.ts';
import { emulatorDocumentClient } from './emulator-clients.ts';

const platform = inject('localPlatform');
const { url, table } = platform.regions.in;
const client = emulatorDocumentClient(platform);
const call = keyCaller(url);
const d = '/api/v2/discussions';

let accountId: string;
let admin: TestAgent;
let agent: TestAgent;
let otherAgent: TestAgent;
let stranger: TestAgent;

beforeAll(async () => {
  const account = await createTestAccount(client, table, 'in', [
    { id: 501, role: 'admin' },
    { id: 502, role: 'agent' },
    { id: 503, role: 'supervisor' },
  ]);
  accountId = account.id;
  [admin, agent, otherAgent] = account.agents as [TestAgent, TestAgent, TestAgent];
  [stranger] = (await createTestAccount(client, table, 'in', [{ id: 511, role: 'admin' }])).agents as [
    TestAgent,
  ];
});
afterAll(() => client.destroy());

/** A category and a forum in it (by the admin), a topic in the forum and a comment on it (by the agent). */
async function thread() {
  const category = await call(admin.key, 'POST', `${d}/categories`, { name: `Help ${randomUUID()}` });
  const forum = await call(admin.key, 'POST', `${d}/categories/${category.body.id}/forums`, {
    name: 'How to',
    forum_type: 1,
    forum_visibility: 1,
  });
  const topic = await call(agent.key, 'POST', `${d}/forums/${forum.body.id}/topics`, {
    title: 'Exporting reports',
    message: 'How do I export a report?',
  });
  const comment = await call(agent.key, 'POST', `${d}/topics/${topic.body.id}/comments`, {
    body: 'Found it: Reports > Export.',
  });
  return { category: category.body, forum: forum.body, topic: topic.body, comment: comment.body };
}

const ids = (list: { id: number }[]) => list.map((item) => item.id);

describe('discussions API', () => {
  it('lets admins build categories and forums and agents post topics and comments, each listed under its parent', async () => {
    // Prepare
    const name = `Community ${randomUUID()}`;

    // Act
    const category = await call(admin.key, 'POST', `${d}/categories`, { name, description: 'Talk' });
    const renamed = await call(admin.key, 'PUT', `${d}/categories/${category.body.id}`, {
      description: 'Ask',
    });
    const forum = await call(admin.key, 'POST', `${d}/categories/${category.body.id}/forums`, {
      name: 'Ideas',
      forum_type: 2,
      forum_visibility: 3,
    });
    const forumUpdated = await call(admin.key, 'PUT', `${d}/forums/${forum.body.id}`, { name: 'Wishes' });
    const topic = await call(agent.key, 'POST', `${d}/forums/${forum.body.id}/topics`, {
      title: 'Dark mode',
      message: 'Please add a dark mode.',
      sticky: true,
    });
    const first = await call(otherAgent.key, 'POST', `${d}/topics/${topic.body.id}/comments`, { body: '+1' });
    const second = await call(agent.key, 'POST', `${d}/topics/${topic.body.id}/comments`, {
      body: 'Planned for spring.',
      answer: true,
    });
    const edited = await call(agent.key, 'PUT', `${d}/topics/${topic.body.id}`, {
      title: 'Dark mode, please',
    });
    const commentEdited = await call(otherAgent.key, 'PUT', `${d}/comments/${first.body.id}`, { body: '+2' });

    // Assess
    expect(category.status).toBe(201);
    expect(category.headers.get('location')).toBe(`${d}/categories/${category.body.id}`);
    expect(renamed.body).toMatchObject({ name, description: 'Ask' });
    expect((await call(agent.key, 'GET', `${d}/categories/${category.body.id}`)).body.description).toBe(
      'Ask',
    );
    expect(ids((await call(agent.key, 'GET', `${d}/categories?per_page=100`)).body)).toContain(
      category.body.id,
    );
    expect(forum.status).toBe(201);
    expect(forumUpdated.body).toMatchObject({
      name: 'Wishes',
      forum_category_id: category.body.id,
      forum_type: 2,
      forum_visibility: 3,
      company_ids: [],
      description: null,
    });
    expect(ids((await call(agent.key, 'GET', `${d}/categories/${category.body.id}/forums`)).body)).toEqual([
      forum.body.id,
    ]);
    expect((await call(agent.key, 'GET', `${d}/forums/${forum.body.id}`)).body.name).toBe('Wishes');
    expect(topic.status).toBe(201);
    expect(edited.body).toMatchObject({
      title: 'Dark mode, please',
      message: 'Please add a dark mode.',
      forum_id: forum.body.id,
      user_id: agent.id,
      user_type: 'agent',
      sticky: true,
      locked: false,
      published: true,
      stamp_type: null,
    });
    expect(ids((await call(agent.key, 'GET', `${d}/forums/${forum.body.id}/topics`)).body)).toEqual([
      topic.body.id,
    ]);
    expect(first.body).toMatchObject({
      topic_id: topic.body.id,
      forum_id: forum.body.id,
      user_id: otherAgent.id,
    });
    expect(second.body).toMatchObject({ answer: true, user_id: agent.id });
    expect(commentEdited.body.body).toBe('+2');
    const thread = await call(agent.key, 'GET', `${d}/topics/${topic.body.id}/comments`);
    expect(thread.body.map((c: { body: string }) => c.body)).toEqual(['+2', 'Planned for spring.']);
    expect((await call(agent.key, 'GET', `${d}/comments/${second.body.id}`)).body.body).toBe(
      'Planned for spring.',
    );
  });

  it('deletes comments, topics, forums and categories: each answers 404 afterwards and leaves its lists', async () => {
    const { category, forum, topic, comment } = await thread();

    const deletions = [
      await call(agent.key, 'DELETE', `${d}/comments/${comment.id}`),
      await call(agent.key, 'DELETE', `${d}/topics/${topic.id}`),
      await call(admin.key, 'DELETE', `${d}/forums/${forum.id}`),
      await call(admin.key, 'DELETE', `${d}/categories/${category.id}`),
    ];

    expect(deletions.map((response) => response.status)).toEqual([204, 204, 204, 204]);
    for (const path of [
      `${d}/comments/${comment.id}`,
      `${d}/topics/${topic.id}`,
      `${d}/forums/${forum.id}`,
      `${d}/categories/${category.id}`,
    ]) {
      expect((await call(admin.key, 'GET', path)).status).toBe(404);
    }
    expect(ids((await call(admin.key, 'GET', `${d}/categories?per_page=100`)).body)).not.toContain(
      category.id,
    );
  });

  it('puts everything under a deleted forum out of reach (404) and keeps its category', async () => {
    const { category, forum, topic, comment } = await thread();

    const deleted = await call(admin.key, 'DELETE', `${d}/forums/${forum.id}`);

    expect(deleted.status).toBe(204);
    const attempts = [
      await call(agent.key, 'GET', `${d}/topics/${topic.id}`),
      await call(agent.key, 'PUT', `${d}/topics/${topic.id}`, { title: 'Revived' }),
      await call(agent.key, 'DELETE', `${d}/topics/${topic.id}`),
      await call(agent.key, 'GET', `${d}/comments/${comment.id}`),
      await call(agent.key, 'PUT', `${d}/comments/${comment.id}`, { body: 'Edited' }),
      await call(agent.key, 'DELETE', `${d}/comments/${comment.id}`),
      await call(agent.key, 'GET', `${d}/forums/${forum.id}/topics`),
      await call(agent.key, 'POST', `${d}/forums/${forum.id}/topics`, { title: 'New', message: 'Hello' }),
      await call(agent.key, 'GET', `${d}/topics/${topic.id}/comments`),
      await call(agent.key, 'POST', `${d}/topics/${topic.id}/comments`, { body: 'Late reply' }),
    ];
    expect(attempts.map((response) => response.status)).toEqual(Array(attempts.length).fill(404));
    expect((await call(agent.key, 'GET', `${d}/categories/${category.id}`)).status).toBe(200);
    expect((await call(agent.key, 'GET', `${d}/categories/${category.id}/forums`)).body).toEqual([]);
  });

  it('lets only admins manage categories and forums, and authors (or admins) change their posts', async () => {
    const { category, forum, topic, comment } = await thread();

    const refused = [
      await call(agent.key, 'POST', `${d}/categories`, { name: `Mine ${randomUUID()}` }),
      await call(agent.key, 'PUT', `${d}/categories/${category.id}`, { name: 'Taken over' }),
      await call(agent.key, 'DELETE', `${d}/categories/${category.id}`),
      await call(otherAgent.key, 'POST', `${d}/categories/${category.id}/forums`, {
        name: 'Side forum',
        forum_type: 1,
        forum_visibility: 1,
      }),
      await call(agent.key, 'PUT', `${d}/forums/${forum.id}`, { name: 'Taken over' }),
      await call(agent.key, 'DELETE', `${d}/forums/${forum.id}`),
      await call(otherAgent.key, 'PUT', `${d}/topics/${topic.id}`, { title: 'Not yours' }),
      await call(otherAgent.key, 'DELETE', `${d}/topics/${topic.id}`),
      await call(otherAgent.key, 'PUT', `${d}/comments/${comment.id}`, { body: 'Not yours' }),
      await call(otherAgent.key, 'DELETE', `${d}/comments/${comment.id}`),
    ];
    const moderated = await call(admin.key, 'PUT', `${d}/topics/${topic.id}`, { locked: true });
    const removed = await call(admin.key, 'DELETE', `${d}/comments/${comment.id}`);

    expect(refused.map((response) => response.status)).toEqual(Array(refused.length).fill(403));
    expect(refused[0]?.body).toMatchObject({ code: 'access_denied' });
    expect((await call(agent.key, 'GET', `${d}/categories/${category.id}`)).body.name).toBe(category.name);
    expect((await call(agent.key, 'GET', `${d}/forums/${forum.id}`)).body.name).toBe(forum.name);
    expect(moderated.body).toMatchObject({ title: topic.title, locked: true });
    expect(removed.status).toBe(204);
  });

  it('refuses comments on a locked topic with 409 and duplicate names with 409', async () => {
    const { category, forum } = await thread();
    const locked = await call(agent.key, 'POST', `${d}/forums/${forum.id}/topics`, {
      title: 'Closed',
      message: 'No more replies',
      locked: true,
    });

    const comment = await call(agent.key, 'POST', `${d}/topics/${locked.body.id}/comments`, { body: 'Hi' });
    const sameCategory = await call(admin.key, 'POST', `${d}/categories`, {
      name: category.name.toUpperCase(),
    });
    const sameForum = await call(admin.key, 'POST', `${d}/categories/${category.id}/forums`, {
      name: 'how TO',
      forum_type: 1,
      forum_visibility: 1,
    });

    expect(comment.status).toBe(409);
    expect(comment.body.message).toMatch(/locked/);
    expect((await call(agent.key, 'GET', `${d}/topics/${locked.body.id}/comments`)).body).toEqual([]);
    expect(sameCategory.status).toBe(409);
    expect(sameForum.status).toBe(409);
  });

  it('answers 400 naming the field for bad bodies and writes nothing', async () => {
    const { category, forum, topic, comment } = await thread();

    const cases = [
      [await call(admin.key, 'POST', `${d}/categories`, { description: 'No name' }), 'name', 'missing_field'],
      [
        await call(admin.key, 'POST', `${d}/categories/${category.id}/forums`, {
          name: 'Odd',
          forum_type: 7,
          forum_visibility: 1,
        }),
        'forum_type',
        'invalid_value',
      ],
      [
        await call(agent.key, 'POST', `${d}/forums/${forum.id}/topics`, {
          title: 'Posing',
          message: 'As someone else',
          user_id: 1,
        }),
        'user_id',
        'invalid_field',
      ],
      [
        await call(agent.key, 'POST', `${d}/forums/${forum.id}/topics`, { title: 'No message' }),
        'message',
        'missing_field',
      ],
      [
        await call(agent.key, 'PUT', `${d}/topics/${topic.id}`, { sticky: 'yes' }),
        'sticky',
        'datatype_mismatch',
      ],
      [
        await call(agent.key, 'POST', `${d}/topics/${topic.id}/comments`, { body: '' }),
        'body',
        'invalid_value',
      ],
      [await call(agent.key, 'PUT', `${d}/comments/${comment.id}`, {}), 'body', 'invalid_value'],
    ] as const;

    for (const [response, field, code] of cases) {
      expect(response.status).toBe(400);
      expect(response.body.errors).toContainEqual(expect.objectContaining({ field, code }));
    }
    expect(ids((await call(agent.key, 'GET', `${d}/categories/${category.id}/forums`)).body)).toEqual([
      forum.id,
    ]);
    expect(ids((await call(agent.key, 'GET', `${d}/forums/${forum.id}/topics`)).body)).toEqual([topic.id]);
    expect(ids((await call(agent.key, 'GET', `${d}/topics/${topic.id}/comments`)).body)).toEqual([
      comment.id,
    ]);
  });

  it('writes an audit entry with each change and links every topic and comment to its author', async () => {
    const { category, topic, comment } = await thread();
    const reply = await call(otherAgent.key, 'POST', `${d}/topics/${topic.id}/comments`, { body: 'Thanks' });
    await call(agent.key, 'PUT', `${d}/topics/${topic.id}`, { title: 'Exporting reports (solved)' });

    const topicAudit = await call(
      admin.key,
      'GET',
      `/api/v2/audit_log?record_type=topic&record_id=${topic.id}`,
    );
    const categoryAudit = await call(
      admin.key,
      'GET',
      `/api/v2/audit_log?record_type=forum_category&record_id=${category.id}`,
    );

    expect(topicAudit.body).toMatchObject([
      { operation: 'update', actor: { type: 'agent', id: String(agent.id) }, changed_fields: ['title'] },
      { operation: 'create', record_type: 'topic', changed_fields: ['message', 'title'] },
    ]);
    expect(categoryAudit.body).toMatchObject([{ operation: 'create', actor: { id: String(admin.id) } }]);
    expect(await linkedRecords(client, table, accountId, { kind: 'agent', id: agent.id })).toEqual(
      expect.arrayContaining([`topic#${topic.id}`, `comment#${comment.id}`]),
    );
    expect(await linkedRecords(client, table, accountId, { kind: 'agent', id: otherAgent.id })).toContain(
      `comment#${reply.body.id}`,
    );
    expect(await linkedRecords(client, table, accountId, { kind: 'agent', id: admin.id })).not.toContain(
      `forum_category#${category.id}`,
    );
  });

  it("answers another account's ids with 404 on every route and changes nothing", async () => {
    const { category, forum, topic, comment } = await thread();
    const key = stranger.key;

    const attempts = [
      await call(key, 'GET', `${d}/categories/${category.id}`),
      await call(key, 'PUT', `${d}/categories/${category.id}`, { name: 'Mine' }),
      await call(key, 'DELETE', `${d}/categories/${category.id}`),
      await call(key, 'GET', `${d}/categories/${category.id}/forums`),
      await call(key, 'POST', `${d}/categories/${category.id}/forums`, {
        name: 'Mine',
        forum_type: 1,
        forum_visibility: 1,
      }),
      await call(key, 'GET', `${d}/forums/${forum.id}`),
      await call(key, 'PUT', `${d}/forums/${forum.id}`, { name: 'Mine' }),
      await call(key, 'DELETE', `${d}/forums/${forum.id}`),
      await call(key, 'GET', `${d}/forums/${forum.id}/topics`),
      await call(key, 'POST', `${d}/forums/${forum.id}/topics`, { title: 'Mine', message: 'Mine' }),
      await call(key, 'GET', `${d}/topics/${topic.id}`),
      await call(key, 'PUT', `${d}/topics/${topic.id}`, { title: 'Mine' }),
      await call(key, 'DELETE', `${d}/topics/${topic.id}`),
      await call(key, 'GET', `${d}/topics/${topic.id}/comments`),
      await call(key, 'POST', `${d}/topics/${topic.id}/comments`, { body: 'Mine' }),
      await call(key, 'GET', `${d}/comments/${comment.id}`),
      await call(key, 'PUT', `${d}/comments/${comment.id}`, { body: 'Mine' }),
      await call(key, 'DELETE', `${d}/comments/${comment.id}`),
    ];

    expect(attempts.map((response) => response.status)).toEqual(Array(attempts.length).fill(404));
    expect((await call(admin.key, 'GET', `${d}/categories/${category.id}`)).body).toEqual(category);
    expect((await call(admin.key, 'GET', `${d}/forums/${forum.id}`)).body).toEqual(forum);
    expect((await call(admin.key, 'GET', `${d}/topics/${topic.id}`)).body).toEqual(topic);
    expect((await call(admin.key, 'GET', `${d}/topics/${topic.id}/comments`)).body).toEqual([comment]);
    expect((await call(key, 'GET', `${d}/categories`)).body).toEqual([]);
  });
});
