import { z } from 'zod';
import {
  type HostingRegionKey,
  hostingRegion,
  hostingRegionKeys,
  type ProductKey,
  productKeys,
  productsAvailableIn,
} from '#lib/residency/index';
import type { AuditEntry, StoredRecord } from '#domain/records/record';
import type { Permission } from '#domain/roles/permission-catalogue';

export const roles = ['account_admin', 'admin', 'supervisor', 'agent'] as const;
export type Role = (typeof roles)[number];

/** A suspended account's keys and tokens are refused (403 `account_suspended`); its workflows finish. */
export const accountStatuses = ['active', 'suspended'] as const;
export type AccountStatus = (typeof accountStatuses)[number];

export interface Account {
  readonly id: string;
  readonly name: string;
  readonly homeRegion: HostingRegionKey;
  readonly products: readonly ProductKey[];
  readonly createdAt: string;
  /** Absent on accounts written before operators could suspend one: active. */
  readonly status?: AccountStatus;
  /** Increases with every operator change (absent before the first: 1); changes are conditional on it. */
  readonly version?: number;
  /** The language of the account's own texts (e.g. knowledge base articles); absent: `en`. */
  readonly primaryLanguage?: string;
  /** Further languages its knowledge base is translated into; absent: none. */
  readonly supportedLanguages?: readonly string[];
}

/** Who is calling: resolved from credentials only, never from the request body. */
export interface Principal {
  readonly accountId: string;
  /** Numeric, as Freshdesk v2 agent ids are. */
  readonly agentId: number;
  readonly role: Role;
  /** The account's own request budget per minute, if it has one. */
  readonly rateLimitPerMinute?: number;
  /**
   * Which tickets the caller may see and change, read from their agent profile at request time;
   * absent means global (administrators, and agents with global scope).
   */
  readonly ticketScope?: TicketScope;
  /** Set when a requester (contact) acts through a portal token: their contact id, and nothing else. */
  readonly contactId?: number;
  /**
   * What the caller may do, from their custom role as read with their profile (docs/roles-and-sharing.md);
   * absent: what their fixed `role` allows (`fixedRolePermissions`).
   */
  readonly permissions?: readonly Permission[];
  /** Groups whose tickets sharing rules show to or hide from the caller, read with their profile. */
  readonly ticketSharing?: TicketSharing;
  /** Set when the platform itself acts for the account (a retention rule): the audit entries' actor. */
  readonly systemActor?: { readonly type: 'system'; readonly id: string };
}

/** What the account's sharing rules mean for one agent: groups whose tickets they also see, or not. */
export interface TicketSharing {
  /** Tickets of these groups are shown to the caller read-only. */
  readonly readGroupIds: readonly number[];
  /** Tickets of these groups are shown to the caller to view and change. */
  readonly writeGroupIds: readonly number[];
  /** Tickets of these groups are hidden from the caller (unless assigned to them). */
  readonly hiddenGroupIds: readonly number[];
}

/** Freshdesk v2 `ticket_scope`: 2 group (the agent's groups and own tickets), 3 restricted (own tickets). */
export interface TicketScope {
  readonly scope: 2 | 3;
  readonly groupIds: readonly number[];
}

/**
 * What an API key says about its holder: the account and agent it names, and the account's request
 * budget. Never the role or the ticket scope: those are read from the agent's current profile.
 */
export interface ApiKeyHolder {
  readonly accountId: string;
  readonly agentId: number;
  /** The account's own request budget per minute, if it has one. */
  readonly rateLimitPerMinute?: number;
  /** The key's id (`apiKeyIdOf` its hash), as the key routes name it (docs/api-keys.md). */
  readonly keyId: number;
  /** ISO instant after which the key is refused (401); none: it does not expire. */
  readonly expiresAt?: string;
  /** The key may only read (GET): any other method is refused with 403. */
  readonly readOnly?: boolean;
  /** A key for an integration rather than a person (only admins issue them). */
  readonly integration?: boolean;
}

/** What any agent credential (an API key, an SSO token) names: the account, the agent and the budget. */
export type CredentialHolder = Pick<ApiKeyHolder, 'accountId' | 'agentId' | 'rateLimitPerMinute'>;

/** An API key to store: the SHA-256 hash of its secret (the secret itself is never stored) and its holder. */
export interface ApiKeyGrant extends Omit<ApiKeyHolder, 'keyId'> {
  readonly apiKeyHash: string;
  /** What the key's list shows of it: its region prefix and a few characters (`eea_Ab3x`). */
  readonly prefix?: string;
}

/** A new record with its audit entry (the account owner's agent profile). */
export interface NewRecord {
  readonly record: StoredRecord<object>;
  readonly audit: AuditEntry;
}

export interface AccountStore {
  /** The holder an API key (by its SHA-256 hash) names, or undefined for an unknown or revoked key. */
  findApiKeyHolder(apiKeyHash: string): Promise<ApiKeyHolder | undefined>;
  getAccount(accountId: string): Promise<Account | undefined>;
  /**
   * Creates the account, its owner's agent profile and the owner's first API key together, or nothing;
   * with `audit`, also the account's audit entry and the region's operator audit entry, and always the
   * region's directory entry (operators list accounts from it).
   */
  createAccount(account: Account, owner: NewRecord, key: ApiKeyGrant, audit?: AuditEntry): Promise<void>;
  /**
   * Issues another API key to an agent of an existing account. NotFoundError unless the agent's profile
   * is live; TooManyApiKeysError (409) when the agent already holds `maxApiKeysPerAgent` keys.
   */
  addApiKey(key: ApiKeyGrant): Promise<void>;
  /**
   * Revokes every API key the agent holds, in one transaction; answers how many. The one operation
   * that ends an agent's keys outside an erasure (which revokes them with the profile): deleting or
   * suspending an agent calls it. ConflictError if a key was issued meanwhile (call it again).
   */
  revokeApiKeysOf(accountId: string, agentId: number): Promise<number>;
  /**
   * Notes that the key was used on `day` (YYYY-MM-DD): one conditional write, which does nothing if
   * the key already names that day or a later one, or is revoked.
   */
  noteApiKeyUsed(apiKeyHash: string, day: string): Promise<void>;
}

/** Products an account in `homeRegion` may hold: a product the region cannot host is refused. */
export function checkProductsAllowed(
  homeRegion: HostingRegionKey,
  products: readonly ProductKey[],
): string[] {
  const available = productsAvailableIn(homeRegion);
  return products.filter((product) => !available.includes(product));
}

/**
 * `GET /api/v2/settings/helpdesk` as Freshdesk v2 answers it: the account's primary language (`en`
 * unless set) and the languages its knowledge base is translated into. No portal here chooses its own
 * languages: `portal_languages` is empty.
 */
export const helpdeskSettingsViewSchema = z.strictObject({
  primary_language: z.string(),
  supported_languages: z.array(z.string()),
  portal_languages: z.array(z.string()),
});
export function helpdeskSettingsView(
  account: Pick<Account, 'primaryLanguage' | 'supportedLanguages'>,
): z.infer<typeof helpdeskSettingsViewSchema> {
  return {
    primary_language: account.primaryLanguage ?? 'en',
    supported_languages: [...(account.supportedLanguages ?? [])],
    portal_languages: [] as string[],
  };
}

/** The account as `GET /api/v2/account` shows it (Freshdesk-style snake_case). */
export const accountViewSchema = z.strictObject({
  account_id: z.string(),
  account_name: z.string(),
  home_region: z.enum(hostingRegionKeys),
  home_region_name: z.string(),
  aws_region: z.string(),
  products: z.array(z.enum(productKeys)),
  created_at: z.string(),
  status: z.enum(accountStatuses),
});
export function accountView(account: Account): z.infer<typeof accountViewSchema> {
  const region = hostingRegion(account.homeRegion);
  return {
    account_id: account.id,
    account_name: account.name,
    home_region: region.key,
    home_region_name: region.name,
    aws_region: region.awsRegion,
    products: [...account.products],
    created_at: account.createdAt,
    status: account.status ?? 'active',
  };
}
