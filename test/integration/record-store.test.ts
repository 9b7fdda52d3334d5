import { randomUUID } from 'node:crypto';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { DynamoRecordStore } from '../../lambdas/adapters/dynamo-record-store.ts';
import { ConflictError } from '../../lambdas/domain/errors.ts';
import type { AuditEntry, StoredRecord } from '../../lambdas/domain/records/record.ts';
import { emulatorDocumentClient } from './emulator-clients.ts';

const platform = inject('localPlatform');
const tableName = platform.regions.eea.table;
const client = emulatorDocumentClient(platform);
const store = new DynamoRecordStore(client, tableName);
afterAll(() => client.destroy());

const actor = { type: 'agent', id: 'agent-1' } as const;
let nextId = 1000;

function contact(accountId: string, email: string, at = '2026-01-01T00:00:00.000Z'): StoredRecord {
  const id = nextId++;
  return {
    accountId,
    ref: { type: 'contact', id },
    version: 1,
    createdAt: at,
    updatedAt: at,
    fields: { name: 'Marker Person', email },
    subjects: [{ kind: 'contact', id }],
    uniqueValues: { email },
  };
}
const audit = (
  record: StoredRecord,
  operation: AuditEntry['operation'],
  changedFields: string[] = [],
): AuditEntry => ({
  at: record.updatedAt,
  actor,
  operation,
  record: record.ref,
  changedFields,
});
async function itemsUnder(pk: string) {
  const { Items = [] } = await client.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': pk },
    }),
  );
  return Items;
}

describe('DynamoRecordStore on DynamoDB Local', () => {
  it('stores a record with its audit entry and subject link in one write', async () => {
    // Prepare
    const accountId = randomUUID();
    const record = contact(accountId, 'a@example.test');

    // Act
    await store.create(record, audit(record, 'create', ['email', 'name']));

    // Assess: read back as written, its unique value in keyed form (docs/encryption.md).
    const hasher = await store.hasherFor(accountId);
    expect(await store.get(accountId, record.ref)).toEqual({
      ...record,
      uniqueValues: { email: hasher.hash('a@example.test') },
    });
    expect(await store.auditTrail(accountId, record.ref, 10)).toEqual([
      audit(record, 'create', ['email', 'name']),
    ]);
    expect(await itemsUnder(`A#${accountId}#SUBJECT#contact#${record.ref.id}`)).toHaveLength(1);
    expect(await store.findByUniqueValue(accountId, 'contact', 'email', 'a@example.test')).toBe(
      record.ref.id,
    );
  });

  it('refuses a second contact with the same e-mail and writes nothing of it', async () => {
    const accountId = randomUUID();
    const first = contact(accountId, 'same@example.test');
    const second = contact(accountId, 'same@example.test');
    await store.create(first, audit(first, 'create'));

    await expect(store.create(second, audit(second, 'create'))).rejects.toBeInstanceOf(ConflictError);

    expect(await store.get(accountId, second.ref)).toBeUndefined();
    expect(await itemsUnder(`A#${accountId}#contact#${second.ref.id}`)).toEqual([]);
    expect(await itemsUnder(`A#${accountId}#SUBJECT#contact#${second.ref.id}`)).toEqual([]);
  });

  it('refuses an update based on a stale version, so no update is lost', async () => {
    const accountId = randomUUID();
    const original = contact(accountId, 'v@example.test');
    await store.create(original, audit(original, 'create'));
    const first = { ...original, version: 2, fields: { ...original.fields, name: 'First' } };
    const second = { ...original, version: 2, fields: { ...original.fields, name: 'Second' } };
    await store.replace(original, first, audit(first, 'update', ['name']));

    await expect(store.replace(original, second, audit(second, 'update', ['name']))).rejects.toBeInstanceOf(
      ConflictError,
    );

    expect((await store.get(accountId, original.ref))?.fields).toMatchObject({ name: 'First' });
    expect(await store.auditTrail(accountId, original.ref, 10)).toHaveLength(2);
  });

  it('frees a soft-deleted contact e-mail and hides it from the live list', async () => {
    const accountId = randomUUID();
    const original = contact(accountId, 'gone@example.test');
    await store.create(original, audit(original, 'create'));
    const deleted = {
      ...original,
      version: 2,
      deletedAt: '2026-01-02T00:00:00.000Z',
      updatedAt: '2026-01-02T00:00:00.000Z',
    };

    await store.replace(original, deleted, audit(deleted, 'delete'));

    expect(await store.findByUniqueValue(accountId, 'contact', 'email', 'gone@example.test')).toBeUndefined();
    expect((await store.list(accountId, 'contact', { page: 1, perPage: 10 })).records).toEqual([]);
    expect(
      (await store.list(accountId, 'contact', { page: 1, perPage: 10, deleted: true })).records,
    ).toHaveLength(1);
  });

  it('lists a collection spread over shards newest first, page by page, and from a point in time', async () => {
    const accountId = randomUUID();
    const records = Array.from({ length: 12 }, (_, i) =>
      contact(accountId, `p${i}@example.test`, `2026-02-${String(i + 1).padStart(2, '0')}T00:00:00.000Z`),
    );
    for (const record of records) await store.create(record, audit(record, 'create'));

    const first = await store.list(accountId, 'contact', { page: 1, perPage: 5 });
    const third = await store.list(accountId, 'contact', { page: 3, perPage: 5 });
    const recent = await store.list(accountId, 'contact', {
      page: 1,
      perPage: 100,
      updatedSince: '2026-02-10T00:00:00.000Z',
    });

    expect(first.records.map((r) => r.ref.id)).toEqual(
      records
        .slice(7)
        .reverse()
        .map((r) => r.ref.id),
    );
    expect(first.hasMore).toBe(true);
    expect(third.records.map((r) => r.ref.id)).toEqual(
      records
        .slice(0, 2)
        .reverse()
        .map((r) => r.ref.id),
    );
    expect(third.hasMore).toBe(false);
    expect(recent.records).toHaveLength(3);
  });
  it('fills pages of a parent list with live children however many deleted ones come first', async () => {
    // Prepare: five huddle messages of one ticket, the three oldest deleted.
    const accountId = randomUUID();
    const at = (n: number) => `2026-01-01T00:00:0${n}.000Z`;
    const messages: StoredRecord[] = Array.from({ length: 5 }, (_, n) => ({
      accountId,
      ref: { type: 'huddle', id: nextId++ },
      version: 1,
      createdAt: at(n),
      updatedAt: at(n),
      ...(n < 3 && { deletedAt: at(n) }),
      fields: { body: `m${n}` },
      subjects: [],
      parent: { key: 'ticket#1#huddle' },
    }));
    for (const message of messages) await store.create(message, audit(message, 'create'));

    // Act
    const live = await store.listByParent(accountId, 'ticket#1#huddle', {
      page: 1,
      perPage: 1,
      oldestFirst: true,
    });
    const all = await store.listByParent(accountId, 'ticket#1#huddle', {
      page: 1,
      perPage: 10,
      oldestFirst: true,
      includeDeleted: true,
    });

    // Assess
    expect(live.records.map((r) => r.ref.id)).toEqual([messages[3]?.ref.id]);
    expect(live.hasMore).toBe(true);
    expect(all.records.map((r) => r.ref.id)).toEqual(messages.map((m) => m.ref.id));
  });

  it('follows cursors through a collection, a parent list and a lookup list on DynamoDB Local', async () => {
    // Prepare: 20 contacts over the shards, updated a day apart; every one shares a phone lookup and a
    // company; another account has the same.
    const accountId = randomUUID();
    const other = randomUUID();
    const at = (day: number) => `2026-03-${String(day + 1).padStart(2, '0')}T00:00:00.000Z`;
    const make = (account: string, day: number) => ({
      ...contact(account, `c${day}-${account}@example.test`, at(day)),
      parent: { key: 'company#5#contact' },
      lookupValues: { phone: '+4930123' },
    });
    const records = Array.from({ length: 20 }, (_, day) => make(accountId, day));
    for (const record of [...records, ...Array.from({ length: 5 }, (_, day) => make(other, day))])
      await store.create(record, audit(record, 'create'));
    const newestFirst = [...records].reverse().map((record) => record.ref.id);
    const follow = async (read: (cursor?: string) => Promise<{ records: StoredRecord[]; next?: string }>) => {
      const ids: number[] = [];
      let cursor: string | undefined;
      do {
        const page = await read(cursor);
        ids.push(...page.records.map((record) => record.ref.id));
        cursor = page.next;
      } while (cursor);
      return ids;
    };

    // Act
    const collection = await follow((cursor) =>
      store.list(accountId, 'contact', { page: 1, perPage: 3, cursor }),
    );
    const company = await follow((cursor) =>
      store.listByParent(accountId, 'company#5#contact', { page: 1, perPage: 4, cursor }),
    );
    const phone = await follow((cursor) =>
      store.listByLookupValue(accountId, 'contact', 'phone', '+4930123', { page: 1, perPage: 6, cursor }),
    );
    const cursor = (await store.list(other, 'contact', { page: 1, perPage: 2 })).next as string;
    const replayed = store.list(accountId, 'contact', { page: 2, perPage: 2, cursor });

    // Assess: each once, in order; a cursor of the other account is refused.
    expect(collection).toEqual(newestFirst);
    expect(company).toEqual(newestFirst);
    expect(phone).toEqual(newestFirst);
    await expect(replayed).rejects.toMatchObject({
      name: 'ValidationError',
      errors: [expect.objectContaining({ field: 'cursor' })],
    });
  });
});
