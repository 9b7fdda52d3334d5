import { type LookupKeys, lookupHasher } from '../../lambdas/domain/encryption/lookup-hasher.ts';

/** An account's keyed hash with a fixed key, for items built in unit tests. */
export const testHasher = lookupHasher(new Uint8Array(32).fill(7));

/** Lookup keys of unit tests (mocked DynamoDB, no KMS): every account has the key of `testHasher`. */
export const testLookupKeys: LookupKeys = { keyFor: async () => new Uint8Array(32).fill(7) };
