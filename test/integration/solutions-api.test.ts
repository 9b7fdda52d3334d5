import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestAccount, keyCaller, linkedRecords, type TestAgent } from './account-fixture.ts';
import { emulatorDocumentClient } from './emulator-clients.ts';

const platform = inject('localPlatform');
const { url, table } = platform.regions.eea;
const client = emulatorDocumentClient(platform);
const call = keyCaller(url);
const s = '/api/v2/solutions';

let accountId: string;
let admin: TestAgent;
let author: TestAgent;
let editor: TestAgent;
let stranger: TestAgent;

beforeAll(async () => {
  const account = await createTestAccount(client, table, 'eea', [
    { id: 601, role: 'account_admin' },
    { id: 602, role: 'agent' },
    { id: 603, role: 'agent' },
  ]);
  accountId = account.id;
  [admin, author, editor] = account.agents as [TestAgent, TestAgent, TestAgent];
  [stranger] = (await createTestAccount(client, table, 'eea', [{ id: 611, role: 'admin' }])).agents as [
    TestAgent,
  ];
});
afterAll(() => client.destroy());

/** A category and a folder in it (by the admin) and an article in the folder (by the author agent). */
async function shelf() {
  const category = await call(admin.key, 'POST', `${s}/categories`, { name: `Billing ${randomUUID()}` });
  const folder = await call(admin.key, 'POST', `${s}/categories/${category.body.id}/folders`, {
    name: 'Invoices',
    visibility: 1,
  });
  const article = await call(author.key, 'POST', `${s}/folders/${folder.body.id}/articles`, {
    title: 'Download an invoice',
    description: '<p>Open Billing, then Invoices.</p>',
    status: 2,
  });
  return { category: category.body, folder: folder.body, article: article.body };
}

const ids = (list: { id: number }[]) => list.map((item) => item.id);

describe('solutions API', () => {
  it('lets admins build categories and folders and agents write articles, each listed under its parent', async () => {
    // Prepare
    const name = `Getting started ${randomUUID()}`;

    // Act
    const category = await call(admin.key, 'POST', `${s}/categories`, { name, visible_in_portals: [1] });
    const categoryUpdated = await call(admin.key, 'PUT', `${s}/categories/${category.body.id}`, {
      description: 'First steps',
    });
    const folder = await call(admin.key, 'POST', `${s}/categories/${category.body.id}/folders`, {
      name: 'Setup',
      visibility: 4,
      company_ids: [7],
    });
    const folderUpdated = await call(admin.key, 'PUT', `${s}/folders/${folder.body.id}`, { visibility: 2 });
    const article = await call(author.key, 'POST', `${s}/folders/${folder.body.id}/articles`, {
      title: 'Invite your team',
      description: '<p>Go to Admin, then Agents.</p>',
      status: 1,
      tags: ['team'],
      seo_data: { meta_title: 'Invite', meta_keywords: 'team, invite' },
    });
    const published = await call(editor.key, 'PUT', `${s}/articles/${article.body.id}`, { status: 2 });

    // Assess
    expect(category.status).toBe(201);
    expect(category.headers.get('location')).toBe(`${s}/categories/${category.body.id}`);
    expect(categoryUpdated.body).toMatchObject({ name, description: 'First steps', visible_in_portals: [1] });
    expect(ids((await call(author.key, 'GET', `${s}/categories?per_page=100`)).body)).toContain(
      category.body.id,
    );
    expect(folderUpdated.body).toMatchObject({
      name: 'Setup',
      category_id: category.body.id,
      visibility: 2,
      company_ids: [7],
      description: null,
    });
    expect(ids((await call(author.key, 'GET', `${s}/categories/${category.body.id}/folders`)).body)).toEqual([
      folder.body.id,
    ]);
    expect(article.status).toBe(201);
    expect(article.headers.get('location')).toBe(`${s}/articles/${article.body.id}`);
    expect(published.body).toMatchObject({
      title: 'Invite your team',
      status: 2,
      type: 1,
      agent_id: author.id,
      folder_id: folder.body.id,
      category_id: category.body.id,
      tags: ['team'],
      seo_data: { meta_title: 'Invite', meta_keywords: 'team, invite' },
      thumbs_up: 0,
      thumbs_down: 0,
      hits: 0,
    });
    expect((await call(admin.key, 'GET', `${s}/articles/${article.body.id}`)).body).toEqual(published.body);
    expect(ids((await call(author.key, 'GET', `${s}/folders/${folder.body.id}/articles`)).body)).toEqual([
      article.body.id,
    ]);
  });

  it('deletes articles, folders and categories: each answers 404 afterwards and leaves its lists', async () => {
    const { category, folder, article } = await shelf();

    const deletions = [
      await call(editor.key, 'DELETE', `${s}/articles/${article.id}`),
      await call(admin.key, 'DELETE', `${s}/folders/${folder.id}`),
      await call(admin.key, 'DELETE', `${s}/categories/${category.id}`),
    ];

    expect(deletions.map((response) => response.status)).toEqual([204, 204, 204]);
    for (const path of [
      `${s}/articles/${article.id}`,
      `${s}/folders/${folder.id}`,
      `${s}/categories/${category.id}`,
    ]) {
      expect((await call(admin.key, 'GET', path)).status).toBe(404);
    }
    expect(ids((await call(admin.key, 'GET', `${s}/categories?per_page=100`)).body)).not.toContain(
      category.id,
    );
  });

  it('puts every folder and article of a deleted category out of reach (404)', async () => {
    const { category, folder, article } = await shelf();

    const deleted = await call(admin.key, 'DELETE', `${s}/categories/${category.id}`);

    expect(deleted.status).toBe(204);
    const attempts = [
      await call(author.key, 'GET', `${s}/categories/${category.id}/folders`),
      await call(admin.key, 'POST', `${s}/categories/${category.id}/folders`, { name: 'New', visibility: 1 }),
      await call(author.key, 'GET', `${s}/folders/${folder.id}`),
      await call(admin.key, 'PUT', `${s}/folders/${folder.id}`, { name: 'Renamed' }),
      await call(admin.key, 'DELETE', `${s}/folders/${folder.id}`),
      await call(author.key, 'GET', `${s}/folders/${folder.id}/articles`),
      await call(author.key, 'POST', `${s}/folders/${folder.id}/articles`, {
        title: 'Late',
        description: 'x',
        status: 1,
      }),
      await call(author.key, 'GET', `${s}/articles/${article.id}`),
      await call(author.key, 'PUT', `${s}/articles/${article.id}`, { status: 1 }),
      await call(author.key, 'DELETE', `${s}/articles/${article.id}`),
    ];
    expect(attempts.map((response) => response.status)).toEqual(Array(attempts.length).fill(404));
  });

  it('lets only admins manage categories and folders; every agent writes articles', async () => {
    const { category, folder, article } = await shelf();

    const refused = [
      await call(author.key, 'POST', `${s}/categories`, { name: `Mine ${randomUUID()}` }),
      await call(author.key, 'PUT', `${s}/categories/${category.id}`, { name: 'Taken over' }),
      await call(author.key, 'DELETE', `${s}/categories/${category.id}`),
      await call(author.key, 'POST', `${s}/categories/${category.id}/folders`, {
        name: 'Side',
        visibility: 1,
      }),
      await call(author.key, 'PUT', `${s}/folders/${folder.id}`, { name: 'Taken over' }),
      await call(author.key, 'DELETE', `${s}/folders/${folder.id}`),
    ];
    const edited = await call(editor.key, 'PUT', `${s}/articles/${article.id}`, { title: 'Find an invoice' });

    expect(refused.map((response) => response.status)).toEqual(Array(refused.length).fill(403));
    expect(refused[0]?.body).toMatchObject({ code: 'access_denied' });
    expect((await call(author.key, 'GET', `${s}/categories/${category.id}`)).body).toEqual(category);
    expect((await call(author.key, 'GET', `${s}/folders/${folder.id}`)).body).toEqual(folder);
    expect(edited.body).toMatchObject({ title: 'Find an invoice', agent_id: author.id });
  });

  it('keeps category names unique per account and folder names unique per category (409)', async () => {
    const { category, folder } = await shelf();
    const otherCategory = await call(admin.key, 'POST', `${s}/categories`, { name: `Other ${randomUUID()}` });

    const sameCategory = await call(admin.key, 'POST', `${s}/categories`, {
      name: category.name.toUpperCase(),
    });
    const sameFolder = await call(admin.key, 'POST', `${s}/categories/${category.id}/folders`, {
      name: folder.name,
      visibility: 1,
    });
    const elsewhere = await call(admin.key, 'POST', `${s}/categories/${otherCategory.body.id}/folders`, {
      name: folder.name,
      visibility: 1,
    });

    expect(sameCategory.status).toBe(409);
    expect(sameFolder.status).toBe(409);
    expect(elsewhere.status).toBe(201);
  });

  it('answers 400 naming the field for bad bodies and writes nothing', async () => {
    const { category, folder, article } = await shelf();
    const articles = `${s}/folders/${folder.id}/articles`;

    const cases = [
      [await call(admin.key, 'POST', `${s}/categories`, { name: ' ' }), 'name', 'invalid_value'],
      [
        await call(admin.key, 'POST', `${s}/categories/${category.id}/folders`, { name: 'No visibility' }),
        'visibility',
        'missing_field',
      ],
      [
        await call(author.key, 'POST', articles, { title: 'Draft', description: 'x', status: 3 }),
        'status',
        'invalid_value',
      ],
      [await call(author.key, 'POST', articles, { description: 'x', status: 1 }), 'title', 'missing_field'],
      [
        await call(author.key, 'POST', articles, {
          title: 'Ghost',
          description: 'x',
          status: 1,
          agent_id: editor.id,
        }),
        'agent_id',
        'invalid_field',
      ],
      [
        await call(author.key, 'PUT', `${s}/articles/${article.id}`, { seo_data: { robots: 'noindex' } }),
        'seo_data.robots',
        'invalid_field',
      ],
      [
        await call(author.key, 'PUT', `${s}/articles/${article.id}`, { tags: 'billing' }),
        'tags',
        'datatype_mismatch',
      ],
    ] as const;

    for (const [response, field, code] of cases) {
      expect(response.status).toBe(400);
      expect(response.body.errors).toContainEqual(expect.objectContaining({ field, code }));
    }
    expect(ids((await call(author.key, 'GET', `${s}/categories/${category.id}/folders`)).body)).toEqual([
      folder.id,
    ]);
    expect((await call(author.key, 'GET', articles)).body).toEqual([article]);
  });

  it('writes an audit entry with each change and links every article to its author agent only', async () => {
    const { folder, article } = await shelf();
    await call(editor.key, 'PUT', `${s}/articles/${article.id}`, {
      description: '<p>Billing > Invoices.</p>',
    });

    const audit = await call(
      admin.key,
      'GET',
      `/api/v2/audit_log?record_type=solution_article&record_id=${article.id}`,
    );
    const folderAudit = await call(
      admin.key,
      'GET',
      `/api/v2/audit_log?record_type=solution_folder&record_id=${folder.id}`,
    );

    expect(audit.body).toMatchObject([
      {
        operation: 'update',
        actor: { type: 'agent', id: String(editor.id) },
        changed_fields: ['description'],
      },
      {
        operation: 'create',
        actor: { id: String(author.id) },
        changed_fields: ['description', 'status', 'title'],
      },
    ]);
    expect(JSON.stringify(audit.body)).not.toContain('Invoices');
    expect(folderAudit.body).toMatchObject([{ operation: 'create', changed_fields: ['name', 'visibility'] }]);
    expect(await linkedRecords(client, table, accountId, { kind: 'agent', id: author.id })).toContain(
      `solution_article#${article.id}`,
    );
    expect(await linkedRecords(client, table, accountId, { kind: 'agent', id: editor.id })).not.toContain(
      `solution_article#${article.id}`,
    );
  });

  it("answers another account's ids with 404 on every route and changes nothing", async () => {
    const { category, folder, article } = await shelf();
    const key = stranger.key;

    const attempts = [
      await call(key, 'GET', `${s}/categories/${category.id}`),
      await call(key, 'PUT', `${s}/categories/${category.id}`, { name: 'Mine' }),
      await call(key, 'DELETE', `${s}/categories/${category.id}`),
      await call(key, 'GET', `${s}/categories/${category.id}/folders`),
      await call(key, 'POST', `${s}/categories/${category.id}/folders`, { name: 'Mine', visibility: 1 }),
      await call(key, 'GET', `${s}/folders/${folder.id}`),
      await call(key, 'PUT', `${s}/folders/${folder.id}`, { name: 'Mine' }),
      await call(key, 'DELETE', `${s}/folders/${folder.id}`),
      await call(key, 'GET', `${s}/folders/${folder.id}/articles`),
      await call(key, 'POST', `${s}/folders/${folder.id}/articles`, {
        title: 'Mine',
        description: 'x',
        status: 1,
      }),
      await call(key, 'GET', `${s}/articles/${article.id}`),
      await call(key, 'PUT', `${s}/articles/${article.id}`, { title: 'Mine' }),
      await call(key, 'DELETE', `${s}/articles/${article.id}`),
    ];

    expect(attempts.map((response) => response.status)).toEqual(Array(attempts.length).fill(404));
    expect((await call(admin.key, 'GET', `${s}/categories/${category.id}`)).body).toEqual(category);
    expect((await call(admin.key, 'GET', `${s}/folders/${folder.id}`)).body).toEqual(folder);
    expect((await call(admin.key, 'GET', `${s}/folders/${folder.id}/articles`)).body).toEqual([article]);
    expect((await call(key, 'GET', `${s}/categories`)).body).toEqual([]);
  });
});
