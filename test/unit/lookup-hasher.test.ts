import { describe, expect, it } from 'vitest';
import { keyedLookups, keyedPrefixes, keyedUniqueValues } from '../../lambdas/adapters/keyed-values.ts';
import { isKeyedHash, lookupHasher } from '../../lambdas/domain/encryption/lookup-hasher.ts';

const accountA = lookupHasher(new Uint8Array(32).fill(1));
const accountB = lookupHasher(new Uint8Array(32).fill(2));

describe('the keyed hash of lookup values', () => {
  it('is HMAC-SHA-256 under the account key, versioned, and holds nothing of the value', () => {
    const hash = accountA.hash('ida@example.test');

    expect(hash).toMatch(/^k1\.[A-Za-z0-9_-]{43}$/u);
    expect(isKeyedHash(hash)).toBe(true);
    expect(hash).not.toContain('ida');
    expect(accountA.hash('ida@example.test')).toBe(hash);
    expect(accountA.hash('ida@example.tesT')).not.toBe(hash);
  });

  it('differs between accounts: the same e-mail address gives another hash in another account', () => {
    expect(accountA.hash('ida@example.test')).not.toBe(accountB.hash('ida@example.test'));
  });

  it('is idempotent: a hashed value is answered as it is, so stored and new values compare alike', () => {
    const hash = accountA.hash('+49301234');

    expect(accountA.hash(hash)).toBe(hash);
    expect(accountB.hash(hash)).toBe(hash);
  });

  it('refuses a key that is not 32 bytes', () => {
    expect(() => lookupHasher(new Uint8Array(16))).toThrow('32 bytes');
  });
});

describe('what is keyed beside a record', () => {
  it('keys unique values, equality lookups (key and value) and prefixes; range values stay sortable', () => {
    const lookups = keyedLookups(
      {
        phone: '+49301234',
        's:email|"ida@example.test"': '"ida@example.test"',
        's:agent_id+group_id|[7,3]': '[7,3]',
        'r:created_at': '2026-12-01T00:00:00.000Z',
      },
      accountA,
    );

    expect(keyedUniqueValues({ email: 'ida@example.test' }, accountA)).toEqual({
      email: accountA.hash('ida@example.test'),
    });
    expect(lookups).toEqual({
      phone: accountA.hash('+49301234'),
      [`s:email|${accountA.hash('"ida@example.test"')}`]: accountA.hash('"ida@example.test"'),
      [`s:agent_id+group_id|${accountA.hash('[7,3]')}`]: accountA.hash('[7,3]'),
      'r:created_at': '2026-12-01T00:00:00.000Z',
    });
    expect(keyedLookups(lookups, accountA)).toEqual(lookups);
    const prefixes = keyedPrefixes({ name: 'ida vernon', email: '' }, accountA);
    expect(prefixes).toEqual({
      name: ['i', 'id', 'ida'].map((prefix) => accountA.hash(prefix)).join(' '),
      email: '',
    });
    expect(keyedPrefixes(prefixes, accountA)).toEqual(prefixes);
  });
});
