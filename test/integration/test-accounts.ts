import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Role } from '../../lambdas/domain/account.ts';
import { createTestAccount as createAccountWithAgents } from './account-fixture.ts';
import type { HostingRegionKey } from '../../lib/residency/index.ts';
import { basicAuth } from './http-client.ts';

export interface TestAccount {
  readonly id: string;
  /** One API key per role asked for, each held by its own agent id. */
  readonly keys: Readonly<Record<Role, string>>;
}

/** A fresh account of `region` with an API key for each role, so a test sees only its own data. */
export async function createTestAccount(
  client: DynamoDBDocumentClient,
  table: string,
  region: HostingRegionKey,
  roles: readonly Role[] = ['admin', 'supervisor', 'agent'],
): Promise<TestAccount> {
  const made = await createAccountWithAgents(
    client,
    table,
    region,
    roles.map((role, index) => ({ id: 900 + index, role })),
  );
  const keys = Object.fromEntries(roles.map((role, index) => [role, made.agents[index]?.key ?? '']));
  return { id: made.id, keys: keys as Record<Role, string> };
}

/** Calls the API at `url` with an API key; answers status, headers and parsed JSON body. */
export function apiCaller(url: string) {
  return async (method: string, path: string, key: string, body?: unknown) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: {
        authorization: basicAuth(key),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
  };
}

/**
 * Waits for the privacy request a v2 deletion or restore answered with (its `Location`) to reach one of
 * `statuses`; erasures run as workflows, so the call's effect shows once they are done.
 */
export async function settledPrivacyRequest(
  url: string,
  key: string,
  answer: { headers: Headers },
  done: (request: PrivacyRequestView) => boolean = completed,
): Promise<PrivacyRequestView> {
  const location = answer.headers.get('location');
  if (!location) throw new Error('The answer names no privacy request');
  return privacyRequestOnceDone(url, key, location, done);
}

/** A privacy request as the API shows it, as far as waiting for its workflow needs. */
export type PrivacyRequestView = Record<string, unknown> & {
  status: string;
  trash?: { state: string; purge_due_at?: string } | null;
  failure?: { error: string; operation?: string } | null;
};

/** Polls the privacy request at `path` until `done` (or it failed, or 30 s passed); answers its last view. */
export async function privacyRequestOnceDone(
  url: string,
  key: string,
  path: string,
  done: (request: PrivacyRequestView) => boolean,
): Promise<PrivacyRequestView> {
  const call = apiCaller(url);
  const deadline = Date.now() + 30_000;
  for (;;) {
    const request = (await call('GET', path, key)).body as PrivacyRequestView;
    if (done(request) || request.status === 'failed' || Date.now() > deadline) return request;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export const completed = (request: { status: string }) => request.status === 'completed';

/**
 * Erases an agent the one way there is (DELETE /api/v2/agents/{id} makes them a contact instead): an
 * erasure request for them, verified by the admin; answers the request once settled.
 */
export async function erasedAgent(
  url: string,
  adminKey: string,
  agentId: number,
): Promise<PrivacyRequestView> {
  const call = apiCaller(url);
  const path = '/api/v2/privacy/requests';
  const created = await call('POST', path, adminKey, {
    type: 'erasure',
    mode: 'permanent',
    subject: { type: 'agent', id: agentId },
    channel: 'email',
  });
  if (created.status !== 201) throw new Error(`The erasure request was refused: ${created.status}`);
  const id = (created.body as { id: number }).id;
  const verified = await call('POST', `${path}/${id}/verify`, adminKey, { method: 'email_confirmation' });
  if (verified.status !== 200) throw new Error(`The erasure request was not verified: ${verified.status}`);
  return privacyRequestOnceDone(url, adminKey, `${path}/${id}`, completed);
}

export const restored = (request: { status: string }) => request.status === 'restored';
