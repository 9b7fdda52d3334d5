import {
  type HostingRegionKey,
  hostingRegion,
  type ProductKey,
  productsAvailableIn,
} from '#lib/residency/index';

export const roles = ['account_admin', 'admin', 'supervisor', 'agent'] as const;
export type Role = (typeof roles)[number];

export interface Account {
  readonly id: string;
  readonly name: string;
  readonly homeRegion: HostingRegionKey;
  readonly products: readonly ProductKey[];
  readonly createdAt: string;
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
}

/** Freshdesk v2 `ticket_scope`: 2 group (the agent's groups and own tickets), 3 restricted (own tickets). */
export interface TicketScope {
  readonly scope: 2 | 3;
  readonly groupIds: readonly number[];
}

export interface AccountStore {
  /** The principal an API key (by its SHA-256 hash) belongs to, or undefined. */
  findPrincipalByApiKeyHash(apiKeyHash: string): Promise<Principal | undefined>;
  getAccount(accountId: string): Promise<Account | undefined>;
  /** Creates the account and its first API key together, or neither. */
  createAccount(account: Account, apiKeyHash: string, owner: Principal): Promise<void>;
  /** Issues another API key of an existing account to one of its agents. */
  addApiKey(apiKeyHash: string, holder: Principal): Promise<void>;
}

/** Products an account in `homeRegion` may hold: a product the region cannot host is refused. */
export function checkProductsAllowed(
  homeRegion: HostingRegionKey,
  products: readonly ProductKey[],
): string[] {
  const available = productsAvailableIn(homeRegion);
  return products.filter((product) => !available.includes(product));
}

/** The account as `GET /api/v2/account` shows it (Freshdesk-style snake_case). */
export function accountView(account: Account) {
  const region = hostingRegion(account.homeRegion);
  return {
    account_id: account.id,
    account_name: account.name,
    home_region: region.key,
    home_region_name: region.name,
    aws_region: region.awsRegion,
    products: [...account.products],
    created_at: account.createdAt,
  };
}
