import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestAccount, keyCaller, type TestAgent } from './account-fixture.ts';
import { emulatorDocumentClient } from './emulator-clients.ts';

/** Products over HTTP (v2), and tickets' `product_id` checked against them. */
const platform = inject('localPlatform');
const { url, table } = platform.regions.eea;
const client = emulatorDocumentClient(platform);
const call = keyCaller(url);
const v = '/api/v2';

let admin: TestAgent;
let agent: TestAgent;
let product = 0;

beforeAll(async () => {
  const account = await createTestAccount(client, table, 'eea', [
    { id: 951, role: 'admin' },
    { id: 952, role: 'agent' },
  ]);
  [admin, agent] = account.agents as [TestAgent, TestAgent];
  product = (await call(admin.key, 'POST', `${v}/products`, { name: 'Widgets' })).body.id;
});
afterAll(() => client.destroy());

describe('products', () => {
  it("creates, shows, updates, lists and deletes products with v2's fields", async () => {
    // Act
    const created = await call(admin.key, 'POST', `${v}/products`, {
      name: 'Gadgets',
      description: 'Small things',
      primary_email: 'gadgets@example.test',
    });
    const id = created.body.id as number;
    const updated = await call(admin.key, 'PUT', `${v}/products/${id}`, { description: 'Smaller things' });
    const shown = await call(agent.key, 'GET', `${v}/products/${id}`);
    const listed = await call(agent.key, 'GET', `${v}/products`);
    const deleted = await call(admin.key, 'DELETE', `${v}/products/${id}`);
    const afterDelete = await call(agent.key, 'GET', `${v}/products/${id}`);

    // Assess
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.any(Number),
      name: 'Gadgets',
      description: 'Small things',
      primary_email: 'gadgets@example.test',
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    expect(updated.body.description).toBe('Smaller things');
    expect(shown.status).toBe(200);
    expect(listed.body.map((view: { id: number }) => view.id)).toEqual(expect.arrayContaining([id, product]));
    expect(deleted.status).toBe(204);
    expect(afterDelete.status).toBe(404);
  });

  it.each([
    [{}, 'name', 'missing_field'],
    [{ name: ' ' }, 'name', 'invalid_value'],
    [{ name: 'P', primary_email: 'not an address' }, 'primary_email', 'invalid_value'],
    [{ name: 'P', colour: 'red' }, 'colour', 'invalid_field'],
  ])('refuses %j naming %s', async (body, field, code) => {
    const answer = await call(admin.key, 'POST', `${v}/products`, body);

    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field, code })]));
  });

  it('refuses a second product of the same name (409) and agents writing (403)', async () => {
    expect((await call(admin.key, 'POST', `${v}/products`, { name: 'widgets' })).status).toBe(409);
    expect((await call(agent.key, 'POST', `${v}/products`, { name: 'Mine' })).status).toBe(403);
    expect((await call(agent.key, 'PUT', `${v}/products/${product}`, { name: 'Mine' })).status).toBe(403);
    expect((await call(agent.key, 'DELETE', `${v}/products/${product}`)).status).toBe(403);
  });
});

describe("tickets' product_id", () => {
  const ticket = (fields: Record<string, unknown>) =>
    call(admin.key, 'POST', `${v}/tickets`, {
      subject: 'S',
      description: 'D',
      email: 'product-requester@example.test',
      ...fields,
    });

  it('takes an existing product, and null', async () => {
    const created = await ticket({ product_id: product });
    const cleared = await call(admin.key, 'PUT', `${v}/tickets/${created.body.id}`, { product_id: null });

    expect(created.status).toBe(201);
    expect(created.body.product_id).toBe(product);
    expect(cleared.status).toBe(200);
    expect(cleared.body.product_id).toBeNull();
  });

  it('refuses a product that does not exist or was deleted, on create and update (400 naming it)', async () => {
    // Prepare
    const gone = (await call(admin.key, 'POST', `${v}/products`, { name: 'Gone' })).body.id as number;
    await call(admin.key, 'DELETE', `${v}/products/${gone}`);
    const existing = (await ticket({})).body.id as number;

    // Act
    const unknown = await ticket({ product_id: 987654321 });
    const deleted = await ticket({ product_id: gone });
    const updated = await call(admin.key, 'PUT', `${v}/tickets/${existing}`, { product_id: gone });

    // Assess
    for (const answer of [unknown, deleted, updated]) {
      expect(answer.status).toBe(400);
      expect(answer.body.errors).toEqual([
        {
          field: 'product_id',
          message: 'There is no product matching the given product_id',
          code: 'invalid_value',
        },
      ]);
    }
    expect((await call(admin.key, 'GET', `${v}/tickets/${existing}`)).body.product_id).toBeNull();
  });
});
