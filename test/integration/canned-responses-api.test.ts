import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestAccount, keyCaller, type TestAgent } from './account-fixture.ts';
import { emulatorDocumentClient } from './emulator-clients.ts';

/**
 * Canned responses and their folders over HTTP: v2's fields and validation, who writes (admins), who
 * sees what (visibility 0, 1, 2), folders' counts kept with each response, the audit trail.
 */
const platform = inject('localPlatform');
const { url, table } = platform.regions.eea;
const client = emulatorDocumentClient(platform);
const call = keyCaller(url);

let admin: TestAgent;
let member: TestAgent;
let outsider: TestAgent;
let group = 0;
let folder = 0;
let otherFolder = 0;

const v = '/api/v2';
const respond = async (body: Record<string, unknown>) => {
  const answer = await call(admin.key, 'POST', `${v}/canned_responses`, {
    title: 'Greeting',
    content_html: '<p>Hello <b>there</b></p>',
    folder_id: folder,
    ...body,
  });
  if (answer.status !== 201) throw new Error(`${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body.id as number;
};
const ids = (body: Array<{ id: number }>) => body.map((view) => view.id);

beforeAll(async () => {
  const account = await createTestAccount(client, table, 'eea', [
    { id: 901, role: 'admin' },
    { id: 902, role: 'agent' },
    { id: 903, role: 'agent' },
  ]);
  [admin, member, outsider] = account.agents as [TestAgent, TestAgent, TestAgent];
  group = (await call(admin.key, 'POST', `${v}/groups`, { name: 'Canned A' })).body.id;
  await call(admin.key, 'PUT', `${v}/agents/${member.id}`, { group_ids: [group] });
  folder = (await call(admin.key, 'POST', `${v}/canned_response_folders`, { name: 'Replies' })).body.id;
  otherFolder = (await call(admin.key, 'POST', `${v}/canned_response_folders`, { name: 'Others' })).body.id;
});
afterAll(() => client.destroy());

describe('canned response folders', () => {
  it('creates, shows, renames and lists folders as v2 does', async () => {
    // Act
    const created = await call(admin.key, 'POST', `${v}/canned_response_folders`, { name: 'Billing' });
    const renamed = await call(admin.key, 'PUT', `${v}/canned_response_folders/${created.body.id}`, {
      name: 'Billing and refunds',
    });
    const listed = await call(member.key, 'GET', `${v}/canned_response_folders`);

    // Assess
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Billing', personal: false, responses_count: 0 });
    expect(renamed.status).toBe(200);
    expect(renamed.body.name).toBe('Billing and refunds');
    expect(listed.status).toBe(200);
    expect(ids(listed.body)).toEqual(expect.arrayContaining([folder, otherFolder, created.body.id]));
  });

  it('refuses a duplicate name (409), a blank one and unknown fields (400), agents writing (403)', async () => {
    const duplicate = await call(admin.key, 'POST', `${v}/canned_response_folders`, { name: 'replies' });
    const blank = await call(admin.key, 'POST', `${v}/canned_response_folders`, { name: ' ' });
    const unknown = await call(admin.key, 'POST', `${v}/canned_response_folders`, { name: 'X', colour: 1 });
    const byAgent = await call(member.key, 'POST', `${v}/canned_response_folders`, { name: 'Mine' });
    const renamedByAgent = await call(member.key, 'PUT', `${v}/canned_response_folders/${folder}`, {
      name: 'Mine',
    });

    expect(duplicate.status).toBe(409);
    expect(blank.status).toBe(400);
    expect(blank.body.errors[0]).toMatchObject({ field: 'name' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0]).toMatchObject({ field: 'colour', code: 'invalid_field' });
    expect(byAgent.status).toBe(403);
    expect(renamedByAgent.status).toBe(403);
  });

  it('answers 404 for a folder that does not exist', async () => {
    expect((await call(admin.key, 'GET', `${v}/canned_response_folders/987654321`)).status).toBe(404);
    expect((await call(admin.key, 'GET', `${v}/canned_response_folders/987654321/responses`)).status).toBe(
      404,
    );
  });
});

describe('canned responses', () => {
  it("creates a response with v2's fields and counts it in its folder", async () => {
    // Prepare
    const before = (await call(admin.key, 'GET', `${v}/canned_response_folders/${folder}`)).body;

    // Act
    const created = await call(admin.key, 'POST', `${v}/canned_responses`, {
      title: 'Welcome',
      content_html: '<p>Welcome <b>aboard</b></p>',
      folder_id: folder,
    });
    const after = await call(member.key, 'GET', `${v}/canned_response_folders/${folder}`);

    // Assess
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.any(Number),
      title: 'Welcome',
      content_html: '<p>Welcome <b>aboard</b></p>',
      content: 'Welcome aboard',
      folder_id: folder,
      visibility: 0,
      group_ids: [],
      attachments: [],
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    expect(after.body.responses_count).toBe(before.responses_count + 1);
    expect(ids(after.body.canned_responses)).toContain(created.body.id);
    const trail = await call(
      admin.key,
      'GET',
      `${v}/audit_log?record_type=canned_response&record_id=${created.body.id}`,
    );
    expect(trail.body[0]).toMatchObject({ operation: 'create' });
  });

  it.each([
    [{ title: 'T', content_html: 'C' }, 'folder_id', 'missing_field'],
    [{ title: 'T', folder_id: 1 }, 'content_html', 'missing_field'],
    [{ title: '', content_html: 'C', folder_id: 1 }, 'title', 'invalid_value'],
    [{ title: 'T', content_html: 'C', folder_id: 987654321 }, 'folder_id', 'invalid_value'],
    [{ title: 'T', content_html: 'C', folder_id: 1, visibility: 3 }, 'visibility', 'invalid_value'],
    [{ title: 'T', content_html: 'C', folder_id: 1, visibility: 'all' }, 'visibility', 'datatype_mismatch'],
    [{ title: 'T', content_html: 'C', folder_id: 1, colour: 'red' }, 'colour', 'invalid_field'],
  ])('refuses %j naming %s', async (body, field, code) => {
    const answer = await call(admin.key, 'POST', `${v}/canned_responses`, body);

    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field, code })]));
  });

  it('refuses a group response without groups or with a group that does not exist', async () => {
    const none = await call(admin.key, 'POST', `${v}/canned_responses`, {
      title: 'T',
      content_html: 'C',
      folder_id: folder,
      visibility: 2,
    });
    const unknown = await call(admin.key, 'POST', `${v}/canned_responses`, {
      title: 'T',
      content_html: 'C',
      folder_id: folder,
      visibility: 2,
      group_ids: [987654321],
    });

    expect(none.status).toBe(400);
    expect(none.body.errors[0]).toMatchObject({ field: 'group_ids', code: 'invalid_value' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0]).toMatchObject({ field: 'group_ids', code: 'invalid_value' });
  });

  it('lets agents read but not write', async () => {
    const id = await respond({});

    const created = await call(member.key, 'POST', `${v}/canned_responses`, {
      title: 'T',
      content_html: 'C',
      folder_id: folder,
    });
    const updated = await call(member.key, 'PUT', `${v}/canned_responses/${id}`, { title: 'Mine' });
    const read = await call(member.key, 'GET', `${v}/canned_responses/${id}`);

    expect(created.status).toBe(403);
    expect(updated.status).toBe(403);
    expect(read.status).toBe(200);
  });

  it('shows a personal response to its author only, a group one to its groups and admins', async () => {
    // Prepare
    const personal = await respond({ title: 'Personal', visibility: 1 });
    const grouped = await respond({ title: 'Grouped', visibility: 2, group_ids: [group] });
    const shared = await respond({ title: 'Shared' });

    // Act
    const seen = async (agent: TestAgent) => ({
      personal: (await call(agent.key, 'GET', `${v}/canned_responses/${personal}`)).status,
      grouped: (await call(agent.key, 'GET', `${v}/canned_responses/${grouped}`)).status,
      listed: ids(
        (await call(agent.key, 'GET', `${v}/canned_response_folders/${folder}/responses?per_page=100`)).body,
      ),
      all: ids((await call(agent.key, 'GET', `${v}/canned_responses?per_page=100`)).body),
    });
    const asAdmin = await seen(admin);
    const asMember = await seen(member);
    const asOutsider = await seen(outsider);

    // Assess
    expect(asAdmin).toMatchObject({ personal: 200, grouped: 200 });
    expect(asAdmin.listed).toEqual(expect.arrayContaining([personal, grouped, shared]));
    expect(asMember).toMatchObject({ personal: 404, grouped: 200 });
    expect(asMember.listed).toEqual(expect.arrayContaining([grouped, shared]));
    expect(asMember.listed).not.toContain(personal);
    expect(asOutsider).toMatchObject({ personal: 404, grouped: 404 });
    expect(asOutsider.listed).toContain(shared);
    expect(asOutsider.listed).not.toContain(grouped);
    expect(asOutsider.all).toContain(shared);
    expect(asOutsider.all).not.toContain(grouped);
    expect(asOutsider.all).not.toContain(personal);
  });

  it('moves a response to another folder, changing both counts in one go', async () => {
    // Prepare
    const id = await respond({ title: 'Moving' });
    const count = async (id: number) =>
      (await call(admin.key, 'GET', `${v}/canned_response_folders/${id}`)).body.responses_count as number;
    const [from, to] = [await count(folder), await count(otherFolder)];

    // Act
    const moved = await call(admin.key, 'PUT', `${v}/canned_responses/${id}`, {
      folder_id: otherFolder,
      content_html: '<i>Moved</i>',
    });
    const unknownFolder = await call(admin.key, 'PUT', `${v}/canned_responses/${id}`, {
      folder_id: 987654321,
    });

    // Assess
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ folder_id: otherFolder, content: 'Moved' });
    expect(await count(folder)).toBe(from - 1);
    expect(await count(otherFolder)).toBe(to + 1);
    expect(unknownFolder.status).toBe(400);
    expect(unknownFolder.body.errors[0]).toMatchObject({ field: 'folder_id' });
    const listed = (await call(admin.key, 'GET', `${v}/canned_response_folders/${otherFolder}/responses`))
      .body;
    expect(ids(listed)).toContain(id);
  });

  it('answers 404 for a response that does not exist, 400 for an empty update', async () => {
    const id = await respond({});

    expect((await call(admin.key, 'GET', `${v}/canned_responses/987654321`)).status).toBe(404);
    expect((await call(admin.key, 'PUT', `${v}/canned_responses/987654321`, { title: 'X' })).status).toBe(
      404,
    );
    expect((await call(admin.key, 'PUT', `${v}/canned_responses/${id}`, {})).status).toBe(400);
  });
});
