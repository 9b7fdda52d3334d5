import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';

/** An account as the operator routes answer it. */
export interface OperatorAccount {
  readonly account_id: string;
  readonly account_name: string;
  readonly home_region: string;
  readonly home_region_name: string;
  readonly aws_region: string;
  readonly products: string[];
  readonly created_at: string;
  readonly status: 'active' | 'suspended';
  readonly version: number;
}

export interface CreatedAccount {
  readonly account: OperatorAccount;
  readonly admin: { readonly agent_id: number; readonly api_key: string };
}

export interface AccountList {
  readonly accounts: OperatorAccount[];
  readonly next_cursor: string | null;
}

export interface OperatorAuditList {
  readonly entries: {
    account_id: string;
    at: string;
    actor: { type: string; id: string };
    operation: string;
    changed_fields: string[];
    summary: string;
  }[];
  readonly next_cursor: string | null;
}

/** The operator API refused the request or failed: its status and the message of its error body. */
export class OperatorRequestError extends Error {
  constructor(
    readonly status: number,
    readonly details: string,
  ) {
    super(`HTTP ${status}${details ? `: ${details}` : ''}`);
    this.name = 'OperatorRequestError';
  }
}

/** Our error body (`description`, `errors[{field, message}]`) or API Gateway's (`message`) as one line. */
function describeError(body: unknown): string {
  const error = body as
    { description?: string; message?: string; errors?: { field?: string; message?: string }[] } | undefined;
  const fields = (error?.errors ?? [])
    .filter((entry) => entry.field)
    .map((entry) => `${entry.field}: ${entry.message}`);
  return [error?.description ?? error?.message, ...fields].filter(Boolean).join('; ');
}

/**
 * A client of a region's operator routes (`/operator/v1/…`): every request signed with SigV4 for the
 * `execute-api` service in the region's AWS region, as API Gateway's IAM authorization expects.
 */
export class OperatorClient {
  private readonly signer: SignatureV4;

  constructor(
    private readonly baseUrl: string,
    credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider,
    signingRegion: string,
  ) {
    this.signer = new SignatureV4({
      credentials,
      region: signingRegion,
      service: 'execute-api',
      sha256: Hash.bind(null, 'sha256'),
    });
  }

  async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const url = new URL(path, this.baseUrl.endsWith('/') ? this.baseUrl : `${this.baseUrl}/`);
    const text = body === undefined ? undefined : JSON.stringify(body);
    const query: Record<string, string> = Object.fromEntries(url.searchParams);
    const signed = await this.signer.sign({
      method,
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port ? Number(url.port) : undefined,
      path: url.pathname,
      query,
      headers: {
        host: url.host,
        ...(text !== undefined && { 'content-type': 'application/json' }),
      },
      body: text,
    });
    const response = await fetch(url, { method, headers: signed.headers, body: text });
    const answer = await response.text();
    let parsed: unknown;
    try {
      parsed = answer ? JSON.parse(answer) : undefined;
    } catch {
      parsed = undefined;
    }
    if (!response.ok) throw new OperatorRequestError(response.status, describeError(parsed));
    return parsed as T;
  }

  create(request: {
    name: string;
    products: string[];
    admin: { name: string; email: string };
  }): Promise<CreatedAccount> {
    return this.call('POST', 'operator/v1/accounts', request);
  }

  list(limit?: number, cursor?: string): Promise<AccountList> {
    const query = new URLSearchParams();
    if (limit) query.set('limit', String(limit));
    if (cursor) query.set('cursor', cursor);
    const suffix = query.size ? `?${query}` : '';
    return this.call('GET', `operator/v1/accounts${suffix}`);
  }

  show(accountId: string): Promise<OperatorAccount> {
    return this.call('GET', `operator/v1/accounts/${encodeURIComponent(accountId)}`);
  }

  suspend(accountId: string): Promise<OperatorAccount> {
    return this.call('POST', `operator/v1/accounts/${encodeURIComponent(accountId)}/suspend`);
  }

  reactivate(accountId: string): Promise<OperatorAccount> {
    return this.call('POST', `operator/v1/accounts/${encodeURIComponent(accountId)}/reactivate`);
  }

  products(accountId: string, products: string[]): Promise<OperatorAccount> {
    return this.call('PUT', `operator/v1/accounts/${encodeURIComponent(accountId)}/products`, { products });
  }

  audit(limit?: number): Promise<OperatorAuditList> {
    return this.call('GET', `operator/v1/audit${limit ? `?limit=${limit}` : ''}`);
  }
}
