import { z } from 'zod';
import type { Principal } from '#domain/account';
import { requirePermission } from '#domain/roles/permission-check';
import { AuthenticationError, NotFoundError } from '#domain/errors';
import { actorOf } from '#domain/records/record-lifecycle';
import type { RecordStore } from '#domain/records/record-store';
import type { HostingRegionKey } from '#lib/residency/index';
import { contactRef } from './contact-service.ts';
import {
  isValidPortalToken,
  type PortalSecretStore,
  portalTokenSeconds,
  readPortalToken,
  signPortalToken,
} from './portal-token.ts';

export interface PortalTokenDependencies {
  readonly store: RecordStore;
  readonly secrets: PortalSecretStore;
  readonly homeRegion: HostingRegionKey;
  readonly now: () => Date;
}

/** Signed tokens a requester (contact) acts with on their own profile and tickets. */
/** A portal token as POST /api/v2/contacts/{id}/portal_token answers it. */
export const portalTokenViewSchema = z.strictObject({
  token: z.string(),
  contact_id: z.number().int(),
  expires_at: z.string(),
});
/** What POST /api/v2/admin/portal_token_secret/rotate answers. */
export const rotatedSecretViewSchema = z.strictObject({ rotated_at: z.string() });

export class PortalTokenService {
  constructor(private readonly deps: PortalTokenDependencies) {}

  /** A token for a live contact of the caller's account, for administrators only (our addition). */
  async issue(principal: Principal, contactId: number): Promise<z.infer<typeof portalTokenViewSchema>> {
    requirePermission(principal, 'admin.portal', 'issue portal tokens');
    if (!(await this.isLiveContact(principal.accountId, contactId))) throw new NotFoundError();
    const secret = await this.deps.secrets.signing(principal.accountId, actorOf(principal));
    const expiresAt = Math.floor(this.deps.now().getTime() / 1000) + portalTokenSeconds;
    const claims = {
      homeRegion: this.deps.homeRegion,
      accountId: principal.accountId,
      contactId,
      expiresAt,
      generation: secret.generation,
    };
    return {
      token: signPortalToken(secret.value, claims),
      contact_id: contactId,
      expires_at: new Date(expiresAt * 1000).toISOString(),
    };
  }

  /**
   * Replaces the account's portal-token secret by a new generation (our addition, administrators only):
   * every token issued before stops working (docs/portal-tokens.md says how soon in warm containers).
   */
  async rotateSecret(principal: Principal): Promise<z.infer<typeof rotatedSecretViewSchema>> {
    requirePermission(principal, 'admin.portal', 'rotate the portal-token secret');
    const secret = await this.deps.secrets.rotate(principal.accountId, actorOf(principal));
    return { rotated_at: secret.createdAt };
  }

  /**
   * The requester a token (already known to be of this region) lets act: signed with the account's
   * current secret, unexpired, for a contact still live. Anything else is refused as unauthenticated.
   */
  async verify(token: string): Promise<{ accountId: string; contactId: number }> {
    const claims = readPortalToken(token);
    const secret = claims && (await this.deps.secrets.verifying(claims.accountId, claims.generation));
    if (!claims || !secret || !isValidPortalToken(secret.value, token, this.deps.now())) {
      throw new AuthenticationError('The portal token is invalid or has expired.');
    }
    return { accountId: claims.accountId, contactId: claims.contactId };
  }

  /** Whether the contact exists, is not deleted and has not become an agent. */
  async isLiveContact(accountId: string, contactId: number): Promise<boolean> {
    const contact = await this.deps.store.get(accountId, contactRef(contactId));
    return Boolean(contact && !contact.deletedAt && !contact.supersededBy);
  }
}
