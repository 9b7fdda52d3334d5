import { randomUUID } from 'node:crypto';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { accountKey } from '../../lambdas/adapters/keys.ts';
import { DynamoRecordStore } from '../../lambdas/adapters/dynamo-record-store.ts';
import type { Principal } from '../../lambdas/domain/account.ts';
import { RecordLifecycle } from '../../lambdas/domain/records/record-lifecycle.ts';
import { createTestAccount, keyCaller, linkedRecords, type TestAgent } from './account-fixture.ts';
import { emulatorDocumentClient } from './emulator-clients.ts';
import { erasedAgent } from './test-accounts.ts';

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
  await translatesIntoGermanDutchSwedish(accountId);
  [stranger] = (await createTestAccount(client, table, 'eea', [{ id: 611, role: 'admin' }])).agents as [
    TestAgent,
  ];
});
afterAll(() => client.destroy());

/** The account writes in English and translates into German, Dutch and Swedish. */
async function translatesIntoGermanDutchSwedish(id: string) {
  await client.send(
    new UpdateCommand({
      TableName: table,
      Key: accountKey(id),
      UpdateExpression: 'SET primary_language = :primary, supported_languages = :supported',
      ExpressionAttributeValues: { ':primary': 'en', ':supported': ['de', 'nl', 'sv'] },
    }),
  );
}

/** A category and a folder in it (by the admin) and a published article in the folder (by the author agent). */
async function shelf(title = 'Download an invoice') {
  const category = await call(admin.key, 'POST', `${s}/categories`, { name: `Billing ${randomUUID()}` });
  const folder = await call(admin.key, 'POST', `${s}/categories/${category.body.id}/folders`, {
    name: 'Invoices',
    visibility: 1,
  });
  const article = await call(author.key, 'POST', `${s}/folders/${folder.body.id}/articles`, {
    title,
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

/** A word no other test writes, so a search finds this test's articles only. */
const marker = () => `m${randomUUID().replaceAll('-', '').slice(0, 10)}`;

const search = async (term: string) => {
  const answer = await call(author.key, 'GET', `/api/v2/search/solutions?term=${encodeURIComponent(term)}`);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return (answer.body as { id: number; language: string }[]).map((hit) => `${hit.id}:${hit.language}`);
};

describe('translations of the knowledge base', () => {
  it('translates a category, a folder and an article; the primary stays in its language', async () => {
    const { category, folder, article } = await shelf();

    const categoryDe = await call(admin.key, 'POST', `${s}/categories/${category.id}/de`, {
      name: 'Mitgliedschaft',
    });
    const folderNl = await call(admin.key, 'POST', `${s}/folders/${folder.id}/nl`, {
      name: 'Contracten',
      description: 'Opzeggen',
    });
    const articleSv = await call(editor.key, 'POST', `${s}/articles/${article.id}/sv`, {
      title: 'Säg upp ditt medlemskap',
      description: '<p>Skriv till medlemskontoret.</p>',
      status: 1,
      tags: ['medlemskap'],
    });
    const changed = await call(editor.key, 'PUT', `${s}/articles/${article.id}/sv`, { status: 2 });
    const viaUpperCase = await call(editor.key, 'PUT', `${s}/articles/${article.id}/SV`, { status: 1 });

    expect(categoryDe.status).toBe(201);
    expect(categoryDe.body).toEqual({
      ...category,
      name: 'Mitgliedschaft',
      description: null,
      language: 'de',
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    expect(folderNl.body).toMatchObject({
      id: folder.id,
      name: 'Contracten',
      description: 'Opzeggen',
      visibility: 1,
    });
    expect(articleSv.status).toBe(201);
    expect(articleSv.headers.get('etag')).toMatch(/^"solution_article_translation-\d+-v1"$/);
    expect(articleSv.body).toMatchObject({
      id: article.id,
      title: 'Säg upp ditt medlemskap',
      status: 1,
      tags: ['medlemskap'],
      folder_id: folder.id,
      category_id: category.id,
      agent_id: editor.id,
      language: 'sv',
    });
    expect(changed.body).toMatchObject({ title: 'Säg upp ditt medlemskap', status: 2 });
    expect(viaUpperCase.body).toMatchObject({ status: 1, language: 'sv' });
    expect((await call(author.key, 'GET', `${s}/articles/${article.id}/sv`)).body).toEqual(viaUpperCase.body);
    expect((await call(author.key, 'GET', `${s}/categories/${category.id}`)).body).toEqual(category);
    expect((await call(author.key, 'GET', `${s}/folders/${folder.id}`)).body).toEqual(folder);
    expect((await call(author.key, 'GET', `${s}/articles/${article.id}`)).body).toEqual(article);
    const linked = await linkedRecords(client, table, accountId, { kind: 'agent', id: editor.id });
    expect(linked.filter((ref) => ref.startsWith('solution_article_translation#'))).toHaveLength(1);
  });

  it('answers 400 for a language the account does not support, 404 for a missing translation, 409 for a second one', async () => {
    const { category, article } = await shelf();
    const body = { title: 'Kündigen', description: '<p>Schreiben Sie uns.</p>', status: 2 };
    await call(editor.key, 'POST', `${s}/articles/${article.id}/de`, body);

    const unsupported = await call(editor.key, 'POST', `${s}/articles/${article.id}/fr`, body);
    const primary = await call(editor.key, 'POST', `${s}/articles/${article.id}/en`, body);
    const readUnsupported = await call(editor.key, 'GET', `${s}/articles/${article.id}/fr`);
    const missing = await call(editor.key, 'GET', `${s}/articles/${article.id}/nl`);
    const missingUpdate = await call(editor.key, 'PUT', `${s}/articles/${article.id}/nl`, { status: 1 });
    const noPrimary = await call(editor.key, 'GET', `${s}/articles/1/de`);
    const notALanguage = await call(editor.key, 'GET', `${s}/articles/${article.id}/d%20e`);
    const again = await call(editor.key, 'POST', `${s}/articles/${article.id}/de`, body);
    const againUpperCase = await call(editor.key, 'POST', `${s}/articles/${article.id}/DE`, body);
    const noStatus = await call(editor.key, 'POST', `${s}/articles/${article.id}/sv`, {
      title: 'Säg upp',
      description: 'x',
    });
    const foreignField = await call(admin.key, 'POST', `${s}/categories/${category.id}/nl`, {
      name: 'Lidmaatschap',
      visible_in_portals: [1],
    });
    const notAdmin = await call(editor.key, 'POST', `${s}/categories/${category.id}/nl`, { name: 'Lid' });
    const otherAccount = await call(stranger.key, 'GET', `${s}/articles/${article.id}/de`);

    for (const answer of [unsupported, primary, readUnsupported]) {
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({
        description: 'Validation failed',
        errors: [expect.objectContaining({ field: 'language', code: 'invalid_value' })],
      });
    }
    expect(unsupported.body.errors[0].message).toContain('de, nl, sv');
    expect([missing.status, missingUpdate.status, noPrimary.status, notALanguage.status]).toEqual([
      404, 404, 404, 404,
    ]);
    expect(missing.body).toMatchObject({ code: 'not_found' });
    expect([again.status, againUpperCase.status]).toEqual([409, 409]);
    expect(again.body).toMatchObject({ code: 'conflict' });
    expect(noStatus.body.errors).toContainEqual(
      expect.objectContaining({ field: 'status', code: 'missing_field' }),
    );
    expect(foreignField.body.errors).toContainEqual(
      expect.objectContaining({ field: 'visible_in_portals', code: 'invalid_field' }),
    );
    expect(notAdmin.status).toBe(403);
    expect(otherAccount.status).toBe(404);
    expect((await call(author.key, 'GET', `${s}/articles/${article.id}/sv`)).status).toBe(404);
    expect((await call(author.key, 'GET', `${s}/categories/${category.id}/nl`)).status).toBe(404);
  });

  it('hides the translations with their deleted primary and brings them back with its restore', async () => {
    const word = marker();
    const { category, article } = await shelf(`Cancel ${word}`);
    await call(editor.key, 'POST', `${s}/articles/${article.id}/de`, {
      title: `Kündigung ${word}`,
      description: '<p>Schreiben Sie uns.</p>',
      status: 2,
    });
    await call(admin.key, 'POST', `${s}/categories/${category.id}/de`, { name: 'Mitgliedschaft' });
    const principal: Principal = { accountId, agentId: admin.id, role: 'account_admin' };
    const lifecycle = new RecordLifecycle(
      { store: new DynamoRecordStore(client, table), now: () => new Date() },
      (record) => record,
      'conflict',
    );
    const before = await search(word);

    await call(author.key, 'DELETE', `${s}/articles/${article.id}`);
    const whileDeleted = [
      (await call(author.key, 'GET', `${s}/articles/${article.id}/de`)).status,
      (await call(author.key, 'PUT', `${s}/articles/${article.id}/de`, { status: 1 })).status,
      (
        await call(author.key, 'POST', `${s}/articles/${article.id}/nl`, {
          title: 'x',
          description: 'x',
          status: 1,
        })
      ).status,
    ];
    const foundWhileDeleted = await search(word);
    await lifecycle.restore(principal, { type: 'solution_article', id: article.id });
    const restored = await call(author.key, 'GET', `${s}/articles/${article.id}/de`);
    const foundAfterRestore = await search(`kündigung ${word}`);
    await call(admin.key, 'DELETE', `${s}/categories/${category.id}`);
    const categoryDeleted = [
      (await call(author.key, 'GET', `${s}/categories/${category.id}/de`)).status,
      (await call(author.key, 'GET', `${s}/articles/${article.id}/de`)).status,
    ];
    const foundInDeletedCategory = await search(word);

    expect(before.sort()).toEqual([`${article.id}:de`, `${article.id}:en`]);
    expect(whileDeleted).toEqual([404, 404, 404]);
    expect(foundWhileDeleted).toEqual([]);
    expect(restored.body).toMatchObject({ title: `Kündigung ${word}`, language: 'de' });
    expect(foundAfterRestore).toEqual([`${article.id}:de`]);
    expect(categoryDeleted).toEqual([404, 404]);
    expect(foundInDeletedCategory).toEqual([]);
  });
});

describe("an erased translator's translations", () => {
  it('stay, with the placeholder in place of the translator', async () => {
    // Prepare: an account of its own, so erasing its agent leaves the other tests' agents alone.
    const made = await createTestAccount(client, table, 'eea', [
      { id: 721, role: 'account_admin' },
      { id: 722, role: 'agent' },
    ]);
    await translatesIntoGermanDutchSwedish(made.id);
    const [owner, writer] = made.agents as [TestAgent, TestAgent];
    const category = await call(owner.key, 'POST', `${s}/categories`, { name: 'Hilfe' });
    const folder = await call(owner.key, 'POST', `${s}/categories/${category.body.id}/folders`, {
      name: 'Konto',
      visibility: 1,
    });
    const article = await call(owner.key, 'POST', `${s}/folders/${folder.body.id}/articles`, {
      title: 'Close your account',
      description: 'Write to us.',
      status: 2,
    });
    const translation = `${s}/articles/${article.body.id}/de`;
    await call(writer.key, 'POST', translation, { title: 'Konto schließen', description: 'x', status: 2 });

    // Act
    const done = await erasedAgent(url, owner.key, writer.id);

    // Assess
    expect(done).toMatchObject({ status: 'completed' });
    expect((done.certificate as { counts: unknown }).counts).toMatchObject({
      anonymised: { solution_article_translation: 1 },
    });
    expect((await call(owner.key, 'GET', translation)).body).toMatchObject({
      title: 'Konto schließen',
      agent_id: writer.id,
      author_placeholder: 'Deleted agent 722',
    });
  });
});

describe('GET /api/v2/search/solutions', () => {
  it('finds German, Dutch and Swedish texts by their words, accents and case folded', async () => {
    const word = marker();
    const { article } = await shelf(`Membership ${word}`);
    const translate = (language: string, title: string, description: string) =>
      call(editor.key, 'POST', `${s}/articles/${article.id}/${language}`, {
        title,
        description,
        status: 2,
      });
    await translate(
      'de',
      `Kündigung der Mitgliedschaft ${word}`,
      '<p>Bitte schicken Sie uns Ihre Änderung per Straße.</p>',
    );
    await translate(
      'nl',
      `Opzegging van het lidmaatschap ${word}`,
      '<p>Het ĳsbeer-team in IJmuiden helpt.</p>',
    );
    await translate('sv', `Uppsägning av medlemskap ${word}`, '<p>Kontoret i Växjö och skärgården.</p>');

    // Each term with the test's word, and the languages it finds the article in.
    const cases: ReadonlyArray<readonly [string, string[]]> = [
      ['Kündigung', ['de']],
      ['KUNDIGUNG', ['de']],
      ['kundigung mitgliedschaft', ['de']],
      ['anderung strasse', ['de']],
      ['Straße', ['de']],
      ['ijsbeer', ['nl']],
      ['ĳmuiden', ['nl']],
      ['IJsbeer team', ['nl']],
      ['uppsagning', ['sv']],
      ['Växjö skärgården', ['sv']],
      ['vaxjo', ['sv']],
      ['membership', ['en']],
      ['', ['de', 'en', 'nl', 'sv']],
      // Whole words, every one: a prefix or words of two texts find nothing.
      ['kundig', []],
      ['kundigung vaxjo', []],
    ];
    for (const [term, languages] of cases) {
      const found = await search(`${term} ${word}`);
      expect(found.sort(), term).toEqual(languages.map((language) => `${article.id}:${language}`));
    }
  });

  it('finds published articles only, by their current words', async () => {
    const word = marker();
    const { article } = await shelf(`Invoices ${word}`);
    await call(editor.key, 'POST', `${s}/articles/${article.id}/de`, {
      title: `Rechnungen ${word}`,
      description: 'Entwurf',
      status: 1,
    });
    const draft = await search(`rechnungen ${word}`);

    await call(editor.key, 'PUT', `${s}/articles/${article.id}/de`, { status: 2 });
    const published = await search(`rechnungen ${word}`);
    await call(editor.key, 'PUT', `${s}/articles/${article.id}/de`, { title: `Gutschriften ${word}` });
    const renamedOld = await search(`rechnungen ${word}`);
    const renamedNew = await search(`gutschriften ${word}`);
    await call(author.key, 'PUT', `${s}/articles/${article.id}`, { status: 1 });
    const primaryDraft = await search(`invoices ${word}`);

    expect(draft).toEqual([]);
    expect(published).toEqual([`${article.id}:de`]);
    expect(renamedOld).toEqual([]);
    expect(renamedNew).toEqual([`${article.id}:de`]);
    expect(primaryDraft).toEqual([]);
  });

  it('answers 400 naming term for no term, a term without a searchable word, or too many words', async () => {
    const answers = [
      await call(author.key, 'GET', '/api/v2/search/solutions'),
      await call(author.key, 'GET', '/api/v2/search/solutions?term=%20'),
      await call(author.key, 'GET', '/api/v2/search/solutions?term=und%20die'),
      await call(author.key, 'GET', '/api/v2/search/solutions?term=eins%20zwei%20drei%20vier%20funf%20sechs'),
      await call(author.key, 'GET', '/api/v2/search/solutions?term=x&sort=title'),
    ];

    expect(answers.map((answer) => answer.status)).toEqual([400, 400, 400, 400, 400]);
    for (const answer of answers.slice(0, 4)) {
      expect(answer.body.errors).toContainEqual(expect.objectContaining({ field: 'term' }));
    }
    expect(answers[4]?.body.errors).toContainEqual(expect.objectContaining({ field: 'sort' }));
  });

  it("never finds another account's articles", async () => {
    const word = marker();
    await shelf(`Private ${word}`);

    const answer = await call(stranger.key, 'GET', `/api/v2/search/solutions?term=${word}`);

    expect(answer.status).toBe(200);
    expect(answer.body).toEqual([]);
  });
});
