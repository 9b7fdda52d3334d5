import { describe, expect, it } from 'vitest';
import { RecordIndexItems, fromItem, toItem } from '../../lambdas/adapters/record-items.ts';
import { prefixValueOf } from '../../lambdas/domain/records/prefix-value.ts';
import type { StoredRecord } from '../../lambdas/domain/records/record.ts';

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

describe('prefix lookup items', () => {
  it('are put under the first character with the value and id in the sort key', () => {
    expect(index.putPrefixes(company(), {})).toEqual([
      {
        Put: {
          TableName: 'records',
          Item: {
            pk: 'A#acc-1#PREFIX#company#name#z',
            sk: 'zephyr works\u001f42',
            item_type: 'prefix',
            record_id: 42,
          },
        },
      },
    ]);
  });

  it('are neither put for nor held by a deleted or superseded record, nor for a value already held', () => {
    const deleted = company({ deletedAt: '2026-12-02T00:00:00.000Z' });
    const superseded = company({ supersededBy: { type: 'agent', id: 42 } });

    expect(index.putPrefixes(deleted, {})).toEqual([]);
    expect(index.putPrefixes(superseded, {})).toEqual([]);
    expect(index.putPrefixes(company(), { name: 'zephyr works' })).toEqual([]);
    expect(index.companionsOf(deleted, 'delete')).toEqual([]);
  });

  it('go with a rename: the old value deleted, the new one put', () => {
    const renamed = company({ prefixValues: { name: 'umber works' } });

    expect(index.deletePrefixes(company(), renamed.prefixValues ?? {})).toEqual([
      {
        Delete: {
          TableName: 'records',
          Key: { pk: 'A#acc-1#PREFIX#company#name#z', sk: 'zephyr works\u001f42' },
        },
      },
    ]);
    expect(index.putPrefixes(renamed, company().prefixValues ?? {})[0]?.Put?.Item?.pk).toBe(
      'A#acc-1#PREFIX#company#name#u',
    );
  });

  it('are kept on the record item, so a later change knows what it held', () => {
    expect(fromItem(toItem(company())).prefixValues).toEqual({ name: 'zephyr works' });
  });
});
