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
