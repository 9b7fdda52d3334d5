import { describe, expect, it } from 'vitest';
import { RecordIndexItems, fromItem, toItem } from '../../lambdas/adapters/record-items.ts';
import { indexedPrefixesOf, prefixValueOf } from '../../lambdas/domain/records/prefix-value.ts';
import type { StoredRecord } from '../../lambdas/domain/records/record.ts';
import { testHasher } from './test-hasher.ts';

const company = (changes: Partial<StoredRecord> = {}): StoredRecord => ({
  accountId: 'acc-1',
  ref: { type: 'company', id: 42 },
  version: 1,
  createdAt: '2026-12-01T00:00:00.000Z',
  updatedAt: '2026-12-01T00:00:00.000Z',
  fields: { name: 'Zephyr Works' },
  subjects: [],
  prefixValues: { name: 'zephyr works' },
  ...changes,
});
const index = new RecordIndexItems('records');

describe('prefix values', () => {
  it('are lower case, Unicode-normalised, without control characters, white space made one space', () => {
    expect(prefixValueOf('  Zephyr\t\tWORKS ')).toBe('zephyr works');
    expect(prefixValueOf('Ｆｕｌｌ width')).toBe('full width');
    expect(prefixValueOf('Ab\u0000c\u001fd')).toBe('abcd');
    expect(prefixValueOf('Ärger')).toBe('ärger');
  });

  it('keep at most 200 characters, never splitting one', () => {
    const long = prefixValueOf('😀'.repeat(300));

    expect(Array.from(long)).toHaveLength(200);
    expect(long).toBe('😀'.repeat(200));
  });
});

const audit = {
  at: '2026-12-02T00:00:00.000Z',
  actor: { type: 'system', id: 'test' },
  operation: 'update',
  record: { type: 'company', id: 42 },
  changedFields: ['name'],
} as const;
const prefixItems = (parts: ReturnType<RecordIndexItems['companionsOf']>, action: 'Put' | 'Delete') =>
  parts.flatMap((part) => {
    const key = action === 'Put' ? part.Put?.Item : part.Delete?.Key;
    return key && String(key.pk).includes('#PREFIX#') ? [key] : [];
  });
const prefixPkOf = (prefix: string) => `A#acc-1#PREFIX#company#name#${testHasher.hash(prefix)}`;

describe('prefix lookup items', () => {
  it('are put per beginning of the value up to 3 characters, keyed, with the record id in the sort key', () => {
    expect(indexedPrefixesOf('zephyr works')).toEqual(['z', 'ze', 'zep']);
    expect(prefixItems(index.companionsOf(company(), 'put', testHasher), 'Put')).toEqual(
      ['z', 'ze', 'zep'].map((prefix) => ({
        pk: prefixPkOf(prefix),
        sk: '0000000000000042',
        item_type: 'prefix',
        record_id: 42,
      })),
    );
  });

  it('are neither put for nor held by a deleted or superseded record', () => {
    const deleted = company({ deletedAt: '2026-12-02T00:00:00.000Z' });
    const superseded = company({ supersededBy: { type: 'agent', id: 42 } });

    expect(prefixItems(index.companionsOf(deleted, 'put', testHasher), 'Put')).toEqual([]);
    expect(prefixItems(index.companionsOf(superseded, 'put', testHasher), 'Put')).toEqual([]);
    expect(index.companionsOf(deleted, 'delete', testHasher)).toEqual([]);
  });

  it('go with a rename: only the beginnings that changed, compared keyed with the stored record', () => {
    const stored = fromItem(toItem(company(), testHasher));
    const renamed = company({ version: 2, prefixValues: { name: 'zebra works' } });
    const parts = index.replacement(stored, renamed, audit, testHasher);

    expect(prefixItems(parts, 'Delete')).toEqual([{ pk: prefixPkOf('zep'), sk: '0000000000000042' }]);
    expect(prefixItems(parts, 'Put').map((item) => item.pk)).toEqual([prefixPkOf('zeb')]);
  });

  it('are kept keyed on the record item, so a later change knows what it held', () => {
    const item = toItem(company(), testHasher);

    expect(item.prefix_values).toEqual({
      name: ['z', 'ze', 'zep'].map((prefix) => testHasher.hash(prefix)).join(' '),
    });
    expect(JSON.stringify(item.prefix_values)).not.toContain('zep');
    expect(toItem(fromItem(item), testHasher).prefix_values).toEqual(item.prefix_values);
  });
});

describe('a contact update changing every value', () => {
  const custom = (suffix: string) =>
    Object.fromEntries(
      Array.from({ length: 40 }, (_, i) => [`cf_${String(i).padStart(2, '0')}`, `v${i}${suffix}`]),
    );
  const contact = (suffix: string, version: number): StoredRecord => ({
    accountId: 'acc-1',
    ref: { type: 'contact', id: 7 },
    version,
    createdAt: '2026-12-01T00:00:00.000Z',
    updatedAt: `2026-12-0${version}T00:00:00.000Z`,
    fields: {
      name: `Name ${suffix}`,
      email: `${suffix}@example.test`,
      phone: `+49${version}1`,
      mobile: `+49${version}2`,
      twitter_id: `tw${suffix}`,
      company_id: version,
      unique_external_id: `ext${suffix}`,
      custom_fields: custom(suffix),
    },
    subjects: [{ kind: 'contact', id: 7 }],
    uniqueValues: { email: `${suffix}@example.test` },
    lookupValues: { phone: `49${version}1`, mobile: `49${version}2`, unique_external_id: `ext${suffix}` },
    prefixValues: { name: prefixValueOf(`${suffix} name`), email: `${suffix}@example.test` },
  });

  it('stays within the 100 items of a DynamoDB transaction, prefixes included', () => {
    const stored = fromItem(toItem(contact('abc', 1), testHasher));
    const parts = index.replacement(
      stored,
      contact('xyz', 2),
      { ...audit, record: { type: 'contact', id: 7 } },
      testHasher,
    );

    expect(prefixItems(parts, 'Put')).toHaveLength(6);
    expect(prefixItems(parts, 'Delete')).toHaveLength(6);
    expect(parts.length).toBeLessThanOrEqual(100);
    expect(parts.length).toBe(98);
  });
});
