import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Actor } from '#domain/records/record';
import { type HostingRegionKey, isHostingRegionKey } from '#lib/residency/index';

/** How long a requester's portal token lives. */
export const portalTokenSeconds = 3600;

/** One generation of an account's portal-token signing secret. */
export interface PortalSecret {
  /** 32 random bytes; stored only encrypted with the region's data key, never in code or environment. */
  readonly value: Buffer;
  /** 1 for the account's first secret, one more with every rotation; tokens name the one that signed them. */
  readonly generation: number;
  /** When this generation was made (a rotation's time). */
  readonly createdAt: string;
}

/** Each account's portal-token signing secret (see PortalSecrets): made on first use, rotated by admins. */
export interface PortalSecretStore {
  /** The current secret to sign a new token with, read afresh; made (generation 1) if the account has none. */
  signing(accountId: string, actor: Actor): Promise<PortalSecret>;
  /** The secret of `generation` if it is the account's current one (as far as this container knows). */
  verifying(accountId: string, generation: number): Promise<PortalSecret | undefined>;
  /** Replaces the secret by a new generation: tokens signed before stop working. */
  rotate(accountId: string, actor: Actor): Promise<PortalSecret>;
}

/** What a portal token says: which contact of which account (homed where) acts, until when. */
export interface PortalTokenClaims {
  readonly homeRegion: HostingRegionKey;
  readonly accountId: string;
  readonly contactId: number;
  /** Whole seconds since the epoch. */
  readonly expiresAt: number;
  /** The generation of the account's secret that signed it; a rotated-out one is refused without a MAC check. */
  readonly generation: number;
}

const prefix = 'hdpt';

/**
 * A portal token: `hdpt.<home region>.<account id>.<contact id>.<expiry>.<generation>.<HMAC-SHA256 of
 * the rest>`. It names ids only (no personal data), and the region lets any region answer 421 without
 * a lookup.
 */
export function signPortalToken(secret: Buffer, claims: PortalTokenClaims): string {
  const payload = [
    prefix,
    claims.homeRegion,
    claims.accountId,
    claims.contactId,
    claims.expiresAt,
    claims.generation,
  ].join('.');
  return `${payload}.${mac(secret, payload)}`;
}

/** The claims a token states, before any check of its signature; undefined when it is not one. */
export function readPortalToken(token: string): PortalTokenClaims | undefined {
  const parts = token.split('.');
  if (parts.length !== 7 || parts[0] !== prefix) return undefined;
  const [, region, accountId = '', contact = '', expiry = '', generation = ''] = parts;
  if (!isHostingRegionKey(region) || !/^[0-9a-f-]{1,64}$/i.test(accountId)) return undefined;
  if (!/^[1-9][0-9]{0,15}$/.test(contact) || !/^[1-9][0-9]{0,11}$/.test(expiry)) return undefined;
  if (!/^[1-9][0-9]{0,8}$/.test(generation)) return undefined;
  return {
    homeRegion: region,
    accountId,
    contactId: Number(contact),
    expiresAt: Number(expiry),
    generation: Number(generation),
  };
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
