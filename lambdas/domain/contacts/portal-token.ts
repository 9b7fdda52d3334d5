import { createHmac, timingSafeEqual } from 'node:crypto';
import { type HostingRegionKey, isHostingRegionKey } from '#lib/residency/index';

/** How long a requester's portal token lives. */
export const portalTokenSeconds = 3600;

/** Each account's portal-token signing secret, created on first use; never in code or environment. */
export interface PortalSecretStore {
  /** The account's secret; with `create`, made (random, 32 bytes) and stored if it has none yet. */
  secretOf(accountId: string, options?: { create?: boolean }): Promise<Buffer | undefined>;
}

/** What a portal token says: which contact of which account (homed where) acts, until when. */
export interface PortalTokenClaims {
  readonly homeRegion: HostingRegionKey;
  readonly accountId: string;
  readonly contactId: number;
  /** Whole seconds since the epoch. */
  readonly expiresAt: number;
}

const prefix = 'hdpt';

/**
 * A portal token: `hdpt.<home region>.<account id>.<contact id>.<expiry>.<HMAC-SHA256 of the rest>`.
 * It names ids only (no personal data), and the region lets any region answer 421 without a lookup.
 */
export function signPortalToken(secret: Buffer, claims: PortalTokenClaims): string {
  const payload = [prefix, claims.homeRegion, claims.accountId, claims.contactId, claims.expiresAt].join('.');
  return `${payload}.${mac(secret, payload)}`;
}

/** The claims a token states, before any check of its signature; undefined when it is not one. */
export function readPortalToken(token: string): PortalTokenClaims | undefined {
  const parts = token.split('.');
  if (parts.length !== 6 || parts[0] !== prefix) return undefined;
  const [, region, accountId = '', contact = '', expiry = ''] = parts;
  if (!isHostingRegionKey(region) || !/^[0-9a-f-]{1,64}$/i.test(accountId)) return undefined;
  if (!/^[1-9][0-9]{0,15}$/.test(contact) || !/^[1-9][0-9]{0,11}$/.test(expiry)) return undefined;
  return { homeRegion: region, accountId, contactId: Number(contact), expiresAt: Number(expiry) };
}

/** Whether `token` was signed with `secret` and is unexpired at `now`. */
export function isValidPortalToken(secret: Buffer, token: string, now: Date): boolean {
  const claims = readPortalToken(token);
  if (!claims) return false;
  const expected = Buffer.from(signPortalToken(secret, claims));
  const given = Buffer.from(token);
  return (
    expected.length === given.length &&
    timingSafeEqual(expected, given) &&
    claims.expiresAt * 1000 > now.getTime()
  );
}

const mac = (secret: Buffer, payload: string) =>
  createHmac('sha256', secret).update(payload, 'utf8').digest('base64url');

/** The bearer token of an `Authorization: Bearer …` header, if that is what it holds. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S{1,400})\s*$/i.exec(header ?? '');
  return match?.[1];
}
