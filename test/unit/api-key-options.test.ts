import { describe, expect, it } from 'vitest';
import { apiKeyIdOf, apiKeyPrefix, generateApiKey, hashApiKey } from '../../lambdas/domain/api-key.ts';
import { checkedExpiry, createApiKeySchema } from '../../lambdas/domain/api-keys/api-key-options.ts';
import { checkKeyAllows, dayOf } from '../../lambdas/domain/api-keys/key-restrictions.ts';
import { ValidationError } from '../../lambdas/domain/errors.ts';

const now = new Date('2026-12-07T10:00:00Z');
const day = 24 * 60 * 60 * 1000;

describe('API key options', () => {
  it('accepts an expiry in the future up to 730 days away, stored as UTC', () => {
    // Act
    const soon = checkedExpiry('2026-12-08T12:00:00+02:00', now);
    const latest = checkedExpiry(new Date(now.getTime() + 730 * day).toISOString(), now);

    // Assess
    expect(soon).toBe('2026-12-08T10:00:00.000Z');
    expect(latest).toBe('2028-12-06T10:00:00.000Z');
    expect(checkedExpiry(undefined, now)).toBeUndefined();
  });

  it.each([
    ['in the past', '2026-12-07T09:59:59Z'],
    ['now', '2026-12-07T10:00:00Z'],
    ['beyond 730 days', new Date(now.getTime() + 730 * day + 1).toISOString()],
  ])('refuses an expiry %s with a ValidationError naming expires_at', (_case, expiresAt) => {
    expect(() => checkedExpiry(expiresAt, now)).toThrow(ValidationError);
    try {
      checkedExpiry(expiresAt, now);
    } catch (error) {
      expect((error as ValidationError).errors).toEqual([expect.objectContaining({ field: 'expires_at' })]);
    }
  });

  it('refuses unknown options and a malformed expiry', () => {
    expect(createApiKeySchema.safeParse({ scopes: ['read'] }).success).toBe(false);
    expect(createApiKeySchema.safeParse({ expires_at: 'tomorrow' }).success).toBe(false);
    expect(createApiKeySchema.safeParse({}).success).toBe(true);
  });
});

describe('what a key allows', () => {
  it('refuses an expired key at its expiry instant, not a millisecond before', () => {
    const holder = { expiresAt: '2026-12-07T10:00:00.000Z' };

    expect(() => checkKeyAllows(holder, now.getTime() - 1, 'GET')).not.toThrow();
    expect(() => checkKeyAllows(holder, now.getTime(), 'GET')).toThrow('expired');
  });

  it('lets a read-only key GET and HEAD only', () => {
    const holder = { readOnly: true };

    expect(() => checkKeyAllows(holder, 0, 'GET')).not.toThrow();
    expect(() => checkKeyAllows(holder, 0, 'head')).not.toThrow();
    expect(() => checkKeyAllows(holder, 0, 'OPTIONS')).toThrow('read-only');
    expect(() => checkKeyAllows(holder, 0, 'POST')).toThrow('read-only');
  });

  it('names the UTC day of an instant', () => {
    expect(dayOf(Date.parse('2026-12-07T23:59:59.999Z'))).toBe('2026-12-07');
    expect(dayOf(Date.parse('2026-12-08T00:30:00+01:00'))).toBe('2026-12-07');
  });
});

describe('key ids and prefixes', () => {
  it('derives a stable id from the hash and shows the region and four characters only', () => {
    // Prepare
    const key = generateApiKey('eea');
    const hash = hashApiKey(key);

    // Act
    const id = apiKeyIdOf(hash);
    const prefix = apiKeyPrefix(key);

    // Assess
    expect(id).toBe(apiKeyIdOf(hash));
    expect(Number.isSafeInteger(id)).toBe(true);
    expect(id).toBe(Number.parseInt(hash.slice(0, 12), 16));
    expect(prefix).toBe(key.slice(0, 8));
    expect(prefix).toMatch(/^eea_[A-Za-z0-9_-]{4}$/);
  });
});
