import { describe, expect, it } from 'vitest';
import {
  apiKeyFromBasicAuth,
  apiKeyRegion,
  generateApiKey,
  hashApiKey,
} from '../../lambdas/domain/api-key.ts';

const basic = (userPass: string) => `Basic ${Buffer.from(userPass).toString('base64')}`;

describe('API keys', () => {
  it('reads the key from Basic auth as Freshdesk clients send it, ignoring the password', () => {
    expect(apiKeyFromBasicAuth(basic('eea_abcdefgh12345:X'))).toBe('eea_abcdefgh12345');
    expect(apiKeyFromBasicAuth(basic('eea_abcdefgh12345'))).toBe('eea_abcdefgh12345');
  });

  it('rejects missing, non-Basic and malformed headers', () => {
    expect(apiKeyFromBasicAuth(undefined)).toBeUndefined();
    expect(apiKeyFromBasicAuth('Bearer abcdefghijkl')).toBeUndefined();
    expect(apiKeyFromBasicAuth('Basic !!!')).toBeUndefined();
    expect(apiKeyFromBasicAuth(basic(':X'))).toBeUndefined();
  });

  it('names the home region in a generated key, and stores only a hash', () => {
    const key = generateApiKey('au');

    expect(apiKeyRegion(key)).toBe('au');
    expect(hashApiKey(key)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashApiKey(key)).not.toContain(key);
    expect(generateApiKey('au')).not.toBe(key);
  });

  it('finds no region in a key without a known prefix', () => {
    expect(apiKeyRegion('xx_abcdefghijkl')).toBeUndefined();
    expect(apiKeyRegion('plainkeywithoutprefix')).toBeUndefined();
  });
});
