import { createHmac } from 'node:crypto';

/**
 * Keyed hashes of the values stored beside records (docs/encryption.md, "Keyed lookups"): unique
 * claims, equality lookups and autocomplete prefixes hold HMAC-SHA-256 of the value under the account's
 * lookup key, never the value. Without the key a hash cannot be checked against a guessed e-mail
 * address, and the same value gives different hashes in two accounts.
 */
export interface LookupHasher {
  /** The keyed hash of a value; a value already in hashed form is answered as it is (idempotent). */
  hash(value: string): string;
}

/** Where an account's lookup key (32 bytes) comes from: created on first use, the same ever after. */
export interface LookupKeys {
  keyFor(accountId: string): Promise<Uint8Array>;
}

/** Version of the hashed form; a future key or algorithm gets another. */
export const keyedHashPrefix = 'k1.';
const keyedHashShape = /^k1\.[A-Za-z0-9_-]{43}$/u;

/** Whether a value is in hashed form (`k1.` and 43 base64url characters: 256 bits). */
export const isKeyedHash = (value: string) => keyedHashShape.test(value);

export const lookupKeyBytes = 32;

export function lookupHasher(key: Uint8Array): LookupHasher {
  if (key.length !== lookupKeyBytes) throw new Error(`A lookup key has ${lookupKeyBytes} bytes`);
  const secret = Buffer.from(key);
  return {
    hash: (value) =>
      isKeyedHash(value)
        ? value
        : `${keyedHashPrefix}${createHmac('sha256', secret).update(value, 'utf8').digest('base64url')}`,
  };
}

/** The hasher of one account, its key loaded (once per container: `LookupKeys` caches). */
export async function lookupHasherFor(keys: LookupKeys, accountId: string): Promise<LookupHasher> {
  return lookupHasher(await keys.keyFor(accountId));
}
