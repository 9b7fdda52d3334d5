import { createHash, randomBytes } from 'node:crypto';
import { type HostingRegionKey, isHostingRegionKey } from '#lib/residency/index';
import { ConflictError } from '#domain/errors';

/**
 * API keys are opaque secrets prefixed with their account's home region (`eea_…`), so any region can
 * tell a caller where its account lives without a cross-region lookup. Only the SHA-256 hash is stored.
 */
export function generateApiKey(homeRegion: HostingRegionKey): string {
  return `${homeRegion}_${randomBytes(24).toString('base64url')}`;
}

export function hashApiKey(apiKey: string): string {
  return createHash('sha256').update(apiKey, 'utf8').digest('hex');
}

/**
 * A key's id, derived from its hash (the first 48 bits): stable, the same for keys issued before ids
 * existed, and revealing nothing of the secret (a SHA-256 hash is not reversible).
 */
export const apiKeyIdOf = (apiKeyHash: string): number => Number.parseInt(apiKeyHash.slice(0, 12), 16);

/** How many characters of the secret after the region a key's list shows (24 of its 192 random bits). */
const shownCharacters = 4;

/** What a key's list shows of it: the region prefix and the first few characters (`eea_Ab3x`). */
export function apiKeyPrefix(apiKey: string): string {
  const separator = apiKey.indexOf('_');
  return apiKey.slice(0, separator + 1 + shownCharacters);
}

/** The home region named by a key's prefix, if it has one. */
export function apiKeyRegion(apiKey: string): HostingRegionKey | undefined {
  const prefix = apiKey.split('_', 1)[0];
  return isHostingRegionKey(prefix) ? prefix : undefined;
}

/**
 * Reads the API key from an HTTP Basic `Authorization` header as Freshdesk v2 clients send it
 * (`apikey:X`; the password is ignored). Returns undefined when absent or malformed.
 */
export function apiKeyFromBasicAuth(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header);
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const separator = decoded.indexOf(':');
  const key = separator === -1 ? decoded : decoded.slice(0, separator);
  return key.length >= 8 && key.length <= 200 ? key : undefined;
}

/**
 * How long a container trusts a resolved API key unless configured (API_KEY_CACHE_SECONDS): a revoked
 * key is refused after at most this (docs/api-keys.md).
 */
export const defaultKeyCacheMs = 30_000;

/**
 * How many API keys one agent may hold. Bounded so that revoking all of them fits in the transaction
 * that removes the agent's profile (DynamoDB: at most 100 items; an agent's erasure writes about 15).
 */
export const maxApiKeysPerAgent = 10;

/** The agent holds as many API keys as one may (409); revoke one before issuing another. */
export class TooManyApiKeysError extends ConflictError {
  constructor() {
    super(`An agent may hold at most ${maxApiKeysPerAgent} API keys; revoke one before issuing another.`);
    this.name = 'TooManyApiKeysError';
  }
}
