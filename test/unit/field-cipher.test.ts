import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type FieldPlace,
  looksSealed,
  openValue,
  SealedValueError,
  sealValue,
  sealingSubjectOf,
} from '../../lambdas/domain/encryption/field-cipher.ts';
import type { DataKey } from '../../lambdas/domain/encryption/subject-keys.ts';

const keyOf = (id: number, kind: 'contact' | 'agent' = 'contact'): DataKey => ({
  subject: { kind, id },
  material: new Uint8Array(randomBytes(32)),
});
const place: FieldPlace = { accountId: 'acc-1', record: { type: 'ticket', id: 7 }, field: 'subject' };

describe('field cipher', () => {
  const key = keyOf(42);

  it.each([
    ['a string', 'Printer on fire'],
    ['an empty string', ''],
    ['a number', 12.5],
    ['a boolean', true],
    ['null', null],
    ['an array', ['a@example.com', 'b@example.com']],
    ['a map', { cf_vip: true, cf_note: 'x', cf_count: 3, cf_empty: null }],
    ['unicode', 'Zoë – 東京 🎉'],
  ])('round-trips %s', (_what, value) => {
    const sealed = sealValue(key, place, value);
    expect(looksSealed(sealed)).toBe(true);
    expect(openValue(key, place, sealed)).toEqual(value);
  });

  it('round-trips any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const expected: unknown = JSON.parse(JSON.stringify(value));
        expect(openValue(key, place, sealValue(key, place, value))).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });

  it('names the sealing subject in a versioned prefix and holds no plaintext', () => {
    const sealed = sealValue(key, place, 'Printer on fire');
    expect(sealed).toMatch(/^enc:v1:contact:42:[A-Za-z0-9_-]+$/);
    expect(sealed).not.toContain('Printer');
    expect(sealingSubjectOf(sealed)).toEqual({ kind: 'contact', id: 42 });
    expect(sealingSubjectOf('plain text')).toBeUndefined();
  });

  it('uses a fresh IV: the same value seals differently every time', () => {
    expect(sealValue(key, place, 'same')).not.toBe(sealValue(key, place, 'same'));
  });

  it.each([
    ['another record id', { ...place, record: { type: 'ticket' as const, id: 8 } }],
    ['another record type', { ...place, record: { type: 'contact' as const, id: 7 } }],
    ['another field', { ...place, field: 'description' }],
    ['another account', { ...place, accountId: 'acc-2' }],
  ])('refuses a value moved to %s', (_what, elsewhere) => {
    const sealed = sealValue(key, place, 'Printer on fire');
    expect(() => openValue(key, elsewhere, sealed)).toThrow(SealedValueError);
  });

  it('refuses a tampered ciphertext, whatever byte changed', () => {
    const sealed = sealValue(key, place, 'Printer on fire');
    const head = sealed.slice(0, sealed.lastIndexOf(':') + 1);
    const bytes = Buffer.from(sealed.slice(head.length), 'base64url');
    for (let index = 0; index < bytes.length; index++) {
      const changed = Buffer.from(bytes);
      changed[index] = (changed[index] ?? 0) ^ 0x01;
      expect(() => openValue(key, place, head + changed.toString('base64url'))).toThrow(SealedValueError);
    }
  });

  it('refuses another subject key, and a prefix rewritten to name another subject', () => {
    const sealed = sealValue(key, place, 'Printer on fire');
    expect(() => openValue(keyOf(42), place, sealed)).toThrow(SealedValueError);
    const other = keyOf(43);
    expect(() => openValue(other, place, sealed.replace('contact:42', 'contact:43'))).toThrow(
      SealedValueError,
    );
  });

  it('names the kind, id and field in its error, never the value', () => {
    const sealed = sealValue(key, place, 'Printer on fire');
    expect(() => openValue(key, { ...place, field: 'description' }, sealed)).toThrow(
      'The sealed value of field description of ticket 7 cannot be opened.',
    );
  });
});
