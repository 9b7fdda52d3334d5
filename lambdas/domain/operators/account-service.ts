import { z } from 'zod';
import {
  type Account,
  type AccountStatus,
  type AccountStore,
  accountView,
  checkProductsAllowed,
} from '#domain/account';
import { newAgent } from '#domain/agents/agent-service';
import { generateApiKey, hashApiKey } from '#domain/api-key';
import { NotFoundError, ValidationError } from '#domain/errors';
import { type Actor, type AuditEntry, changedFieldNames } from '#domain/records/record';
import { type HostingRegionKey, hostingRegion, productKeys, type ProductKey } from '#lib/residency/index';
import { type AccountDirectory, accountRef } from './account-directory.ts';

const productsSchema = z
  .array(z.enum(productKeys))
  .min(1)
  .max(productKeys.length)
  .refine((products) => new Set(products).size === products.length, { message: 'Name each product once' });

export const createAccountSchema = z
  .object({
    name: z.string().trim().min(1).max(255),
    products: productsSchema,
    admin: z
      .object({
        name: z.string().trim().min(1).max(255),
        email: z.string().trim().max(254).email('It should be a valid email address'),
      })
      .strict(),
  })
  .strict();
export type NewAccountRequest = z.infer<typeof createAccountSchema>;

export const changeProductsSchema = z.object({ products: productsSchema }).strict();

/** What creating an account answers, once: the admin's API key is never shown again. */
export interface CreatedAccount {
  readonly account: Account;
  readonly adminAgentId: number;
  readonly apiKey: string;
}

export interface AccountServiceDependencies {
  readonly accounts: AccountStore;
  readonly directory: AccountDirectory;
  /** The region serving the request: every account created here is homed here. */
  readonly homeRegion: HostingRegionKey;
  readonly now: () => Date;
  readonly newId: () => number;
  readonly newAccountId: () => string;
}

/**
 * The lifecycle of a region's accounts, as operators (and the local seed) drive it: create with a first
 * account admin and their API key, suspend, reactivate, change products. Every change is audited with
 * its actor in the same transaction.
 */
export class AccountService {
  constructor(private readonly deps: AccountServiceDependencies) {}

  /** `languages`: the account's knowledge base languages, if not English alone (the local seed's). */
  async create(
    request: NewAccountRequest,
    actor: Actor,
    languages: Pick<Account, 'primaryLanguage' | 'supportedLanguages'> = {},
  ): Promise<CreatedAccount> {
    const { homeRegion } = this.deps;
    this.requireAllowed(request.products);
    const createdAt = this.deps.now().toISOString();
    const accountId = this.deps.newAccountId();
    const adminAgentId = this.deps.newId();
    const apiKey = generateApiKey(homeRegion);
    const account: Account = {
      id: accountId,
      name: request.name,
      homeRegion,
      products: request.products,
      createdAt,
      status: 'active',
      version: 1,
      ...languages,
    };
    // The first admin is an agent of the account (so /agents/me and the audit trail name a real agent);
    // account, profile, key and audit entries are written in one transaction.
    const admin = newAgent(accountId, adminAgentId, createdAt, { ...request.admin, role: 'account_admin' });
    await this.deps.accounts.createAccount(
      account,
      {
        record: admin,
        audit: {
          at: createdAt,
          actor,
          operation: 'create',
          record: admin.ref,
          changedFields: ['email', 'name', 'role'],
        },
      },
      { apiKeyHash: hashApiKey(apiKey), accountId, agentId: adminAgentId },
      { at: createdAt, actor, operation: 'create', record: accountRef, changedFields: ['name', 'products'] },
    );
    return { account, adminAgentId, apiKey };
  }

  list(limit: number, cursor?: string) {
    return this.deps.directory.listAccounts(limit, cursor);
  }

  /** The region's operator actions, newest first. */
  audit(limit: number, cursor?: string) {
    return this.deps.directory.operatorAudit(limit, cursor);
  }

  /** The account, if it is homed in this region; NotFoundError otherwise. */
  async get(accountId: string): Promise<Account> {
    const account = await this.deps.accounts.getAccount(accountId);
    if (!account || account.homeRegion !== this.deps.homeRegion) throw new NotFoundError();
    return account;
  }

  suspend(accountId: string, actor: Actor): Promise<Account> {
    return this.setStatus(accountId, 'suspended', actor);
  }

  reactivate(accountId: string, actor: Actor): Promise<Account> {
    return this.setStatus(accountId, 'active', actor);
  }

  async changeProducts(accountId: string, products: readonly ProductKey[], actor: Actor): Promise<Account> {
    this.requireAllowed(products);
    return this.change(accountId, { products }, actor);
  }

  private setStatus(accountId: string, status: AccountStatus, actor: Actor): Promise<Account> {
    return this.change(accountId, { status }, actor);
  }

  /** Applies `change`; a change that changes nothing is answered without a write or an audit entry. */
  private async change(
    accountId: string,
    change: Pick<Account, 'status'> | Pick<Account, 'products'>,
    actor: Actor,
  ): Promise<Account> {
    const previous = await this.get(accountId);
    const next: Account = { ...previous, ...change, version: (previous.version ?? 1) + 1 };
    const changedFields = changedFieldNames(viewed(previous), viewed(next));
    if (changedFields.length === 0) return previous;
    const audit: AuditEntry = {
      at: this.deps.now().toISOString(),
      actor,
      operation: 'update',
      record: accountRef,
      changedFields,
    };
    await this.deps.directory.changeAccount(previous, next, audit);
    return next;
  }

  private requireAllowed(products: readonly ProductKey[]): void {
    const refused = checkProductsAllowed(this.deps.homeRegion, products);
    if (refused.length === 0) return;
    const region = hostingRegion(this.deps.homeRegion);
    throw new ValidationError([
      {
        field: 'products',
        code: 'product_not_available',
        message: `Not available to accounts homed in ${region.name} (${region.key}): ${refused.join(', ')}`,
      },
    ]);
  }
}

/** The fields an operator change can touch, as compared for the audit entry's field names. */
const viewed = (account: Account) => {
  const { status, products } = accountView(account);
  return { status, products: [...products].sort() };
};
