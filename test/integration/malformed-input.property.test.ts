import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { DynamoAccountStore } from '../../lambdas/adapters/dynamo-account-store.ts';
import { testAgentProfile } from './account-fixture.ts';
import { generateApiKey, hashApiKey } from '../../lambdas/domain/api-key.ts';
import { type ApiRoute, apiRoutes } from '../../lib/platform/api-routes.ts';
import { hostingRegionKeys } from '../../lib/residency/index.ts';
import { emulatorDocumentClient } from './emulator-clients.ts';
import { basicAuth } from './http-client.ts';
import {
  type RequestSpec,
  buildRequest,
  extraHeadersArb,
  fillPath,
  idSegmentArb,
  invalidAuthArb,
  jsonContentTypes,
  malformedRequestArb,
  nearJsonContentTypes,
  parameterCount,
  validAuthArb,
  wellFormedContactArb,
} from './malformed-input.arbitraries.ts';
import { type Expectation, contractOf, expectationFor } from './malformed-input.oracle.ts';
import { type RawResponse, closeRawAgent, sendRaw } from './raw-http.ts';
import { AccountChangeFeed } from './account-change-feed.ts';
import { settledPrivacyRequest } from './test-accounts.ts';

/**
 * Property-based tests: malformed bodies, path parameters, query strings and headers sent to every
 * route of the table (routes added later are covered without touching this file) get only documented
 * answers, never a 5xx, always the documented error body, and nothing is written when a request is
 * refused. What answer a request may get is decided by malformed-input.oracle.ts, from the documented
 * contract; the generators are in malformed-input.arbitraries.ts.
 */
const platform = inject('localPlatform');
const { url, table } = platform.regions.eea;
const client = emulatorDocumentClient(platform);
const seed = 20261123;
/**
 * Each route's property gets its own fixed seed, derived from 20261123 and the route (not its place in
 * the table), so routes do not all replay one sequence and adding a route changes no other route's runs.
 */
const routeSeed = (route: ApiRoute) =>
  seed +
  ([...`${route.method} ${route.path}`].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7) % 1_000_000);
/** About 900 malformed requests spread over the routes (~20 s on two cores), at least 20 per route. */
const runsPerRoute = Math.max(20, Math.round(900 / apiRoutes.length));

// A dedicated admin account, so that only these tests write to the items compared before and after.
const apiKey = generateApiKey('eea');
const accountId = randomUUID();
const existingIds: number[] = [];
/**
 * The account's writes, but its request counters: every authenticated request spends one request of
 * the minute's budget, refused or not (Freshdesk counts every call), and that is no data written.
 */
const writes = new AccountChangeFeed(platform, table, accountId, ['rate_window']);

beforeAll(async () => {
  await new DynamoAccountStore(client, table).createAccount(
    {
      id: accountId,
      name: 'Malformed input',
      homeRegion: 'eea',
      products: ['helpdesk'],
      createdAt: new Date().toISOString(),
    },
    testAgentProfile(accountId, { id: 424_242, role: 'account_admin' }),
    // A budget well above the ~1,100 requests of this file, so no answer is a 429.
    { apiKeyHash: hashApiKey(apiKey), accountId, agentId: 424_242, rateLimitPerMinute: 100_000 },
  );
  for (const name of ['Ada', 'Grace']) existingIds.push(await createContact(name));
  await writes.start();
  // The feed must see a write, or every check below would pass without looking.
  existingIds.push(await createContact('Edsger'));
  const contactCreated = await writes.changes();
  expect(contactCreated.map((change) => change.event)).toContain('INSERT');
  expect(contactCreated.every((change) => change.key.startsWith(`A#${accountId}#`))).toBe(true);
});

async function createContact(name: string): Promise<number> {
  const response = await sendRaw(url, {
    method: 'POST',
    path: '/api/v2/contacts',
    headers: { authorization: basicAuth(apiKey), 'content-type': 'application/json' },
    body: Buffer.from(
      JSON.stringify({ name, email: `${name.toLowerCase()}-${randomUUID()}@fuzz.example.test` }),
    ),
  });
  expect(response.status).toBe(201);
  return (JSON.parse(response.text) as { id: number }).id;
}

/**
 * A contact made an agent is no longer a contact (its id answers 404 on contact routes from now on):
 * a new contact takes its place among the existing ones.
 */
async function replaceConvertedContact(expectation: Expectation, response: RawResponse): Promise<void> {
  const converted =
    expectation.kind === 'function' &&
    expectation.route.path === '/api/v2/contacts/{id}/make_agent' &&
    response.status === 200;
  if (!converted) return;
  const index = existingIds.indexOf((JSON.parse(response.text) as { id: number }).id);
  existingIds.splice(index, 1, await createContact('Successor'));
  await writes.changes();
}
// Each property's last run of requests is checked before the next property (or the end) begins.
afterEach(verifyNothingWritten);

afterAll(() => {
  closeRawAgent();
  client.destroy();
  writes.close();
});

const gatewayMessages: Record<number, string> = {
  403: 'Forbidden',
  404: 'Not Found',
  413: 'Request Entity Too Large',
};

/** The documented error body: Freshdesk v2's `{description, errors:[{field?, message, code}]}`. */
function assessErrorBody(response: RawResponse, context: string): void {
  expect(String(response.headers['content-type']), context).toMatch(/^application\/json/);
  const body = JSON.parse(response.text) as Record<string, unknown>;
  expect(body, context).toEqual(
    expect.objectContaining({ description: expect.any(String), errors: expect.any(Array) }),
  );
  const errors = body.errors as unknown[];
  expect(errors.length, context).toBeGreaterThan(0);
  for (const error of errors) {
    expect(error, context).toEqual(
      expect.objectContaining({ message: expect.any(String), code: expect.any(String) }),
    );
    // A validation error names the field it is about.
    if (response.status === 400) {
      expect((error as { field?: unknown }).field, context).toEqual(expect.stringMatching(/./));
    }
  }
  if (response.status !== 400) {
    const [first] = errors as { code: string; message: string }[];
    expect({ code: body.code, message: body.message }, context).toEqual({
      code: first?.code,
      message: first?.message,
    });
  }
  if (response.status === 401) expect(response.headers['www-authenticate'], context).toMatch(/^Basic /);
  if (response.status === 421) {
    expect(
      hostingRegionKeys.filter((region) => region !== 'eea'),
      context,
    ).toContain(body.home_region);
  }
}

function assessAnswer(response: RawResponse, expectation: Expectation, context: string): void {
  expect(response.status, context).toBeLessThan(500);
  if (expectation.kind === 'gateway') {
    expect(expectation.statuses, context).toContain(response.status);
    expect(JSON.parse(response.text), context).toEqual({ message: gatewayMessages[response.status] });
    return;
  }
  expect(expectation.allowed, context).toContain(response.status);
  if (response.status >= 400) assessErrorBody(response, context);
}

/**
 * A v2 deletion or restore that succeeded started an erasure workflow (its request in `Location`): the
 * items change until it is done, so the next comparison starts from its end state.
 */
async function workflowSettled(raw: { method: string; path: string }, response: RawResponse): Promise<void> {
  const location = response.headers.location;
  if (response.status >= 300 || typeof location !== 'string' || !location.includes('/privacy/requests/'))
    return;
  // A restore's request is `completed` (trash held) until its execution starts: wait for its own end.
  const isRestore = raw.method === 'PUT' && raw.path.split('?')[0]?.endsWith('/restore');
  await settledPrivacyRequest(url, apiKey, { headers: new Headers({ location }) }, (request) =>
    isRestore
      ? request.status === 'restored' || request.failure?.operation === 'restore'
      : ['completed', 'restored', 'failed'].includes(request.status) &&
        !['restoring', 'purging'].includes(request.trash?.state ?? ''),
  );
}

/**
 * Requests answered since the account's writes were last read that must have written nothing (refused,
 * or reads). The writes are read once for a run of them, not after each; a run ends before any request
 * that may write, and after `unverifiedLimit` requests.
 */
const unverified: string[] = [];
const unverifiedLimit = 25;

/** Reads the account's writes since the last read and checks that the requests since then made none. */
async function verifyNothingWritten(): Promise<void> {
  if (unverified.length === 0) return;
  const changes = await writes.changes();
  const requests = unverified.splice(0);
  expect(
    changes.map((change) => `${change.event} ${change.key}`),
    `no item may change; one of these requests wrote:\n${requests.join('\n---\n')}`,
  ).toEqual([]);
}

/** Whether the oracle lets this request succeed with a write (anything but a read may then write). */
const mayWrite = (expectation: Expectation, method: string) =>
  method !== 'GET' && expectation.kind === 'function' && expectation.allowed.some((status) => status < 400);

/** Sends one generated request, checks the answer against the oracle and the items against before. */
async function exchange(spec: RequestSpec): Promise<void> {
  // Prepare: what came before is checked first when this request may write.
  const { raw, sent } = buildRequest(spec);
  const expectation = expectationFor(apiRoutes, sent, new Set(existingIds));
  if (mayWrite(expectation, raw.method)) await verifyNothingWritten();

  // Act
  const response = await sendRaw(url, raw);

  // Assess
  const context = [
    `${raw.method} ${raw.path.slice(0, 300)} (body ${raw.body?.length ?? 0} bytes)`,
    `answered ${response.status} ${response.text.slice(0, 400)}`,
    `expected ${JSON.stringify(expectation).slice(0, 600)}`,
  ].join('\n');
  assessAnswer(response, expectation, context);
  if (response.status >= 400 || raw.method === 'GET') {
    unverified.push(context);
    if (unverified.length >= unverifiedLimit) await verifyNothingWritten();
  } else {
    // It wrote, as it may: what it changed is the new state to compare against.
    await workflowSettled(raw, response);
    await writes.changes();
  }
  await replaceConvertedContact(expectation, response);
}

/** A plain request to `route` (its ids all `id`, valid credentials), with some fields overridden. */
function requestTo(route: ApiRoute, id: number, overrides: Partial<RequestSpec>): RequestSpec {
  return {
    route: `${route.method} ${route.path}`,
    method: route.method,
    path: fillPath(route, Array<string>(parameterCount(route)).fill(String(id))),
    query: { pairs: [], raw: undefined, bareQuestionMark: false },
    body: { kind: 'none' },
    contentType: undefined,
    authorization: basicAuth(apiKey),
    auth: 'valid',
    ifMatch: undefined,
    host: undefined,
    headers: {},
    ...overrides,
  };
}

describe('malformed input, property-based', () => {
  it.each(apiRoutes.map((route) => [`${route.method} ${route.path}`, route] as const))(
    '%s: malformed ids, queries, bodies and headers get documented answers and write nothing',
    async (_name, route) => {
      // Prepare, Act and Assess: each run is one exchange.
      await fc.assert(fc.asyncProperty(malformedRequestArb(route, apiKey, existingIds), exchange), {
        seed: routeSeed(route),
        numRuns: runsPerRoute,
      });
    },
    120_000,
  );

  it('random Authorization headers never get past authentication, on any route', async () => {
    // Prepare
    const requestArb = fc
      .tuple(
        fc.constantFrom(...apiRoutes),
        invalidAuthArb(apiKey),
        fc.constantFrom(...existingIds),
        extraHeadersArb,
      )
      .map(([route, { header, auth }, id, headers]) =>
        requestTo(route, id, {
          // A well-formed contact, so only the credentials stand between the request and a write.
          body: { kind: 'json', value: { name: 'Intruder', email: `intruder-${id}@fuzz.example.test` } },
          contentType: 'application/json',
          authorization: header,
          auth,
          headers,
        }),
      );

    // Act and Assess
    await fc.assert(fc.asyncProperty(requestArb, exchange), { seed, numRuns: 100 });
  }, 120_000);

  it('a well-formed contact is read only under the application/json media type', async () => {
    // Prepare: the routes that read contacts, with content types that are (nearly) application/json
    const bodyRoutes = apiRoutes.filter((route) =>
      ['contact-create', 'contact-update'].includes(contractOf(route).body),
    );
    const requestArb = fc
      .tuple(
        fc.constantFrom(...bodyRoutes),
        fc.oneof(fc.constantFrom(...nearJsonContentTypes), fc.constantFrom(...jsonContentTypes)),
        wellFormedContactArb,
        fc.constantFrom(...existingIds),
      )
      .map(([route, contentType, contact, id]) =>
        requestTo(route, id, { body: { kind: 'json', value: contact }, contentType }),
      );

    // Act and Assess
    await fc.assert(fc.asyncProperty(requestArb, exchange), { seed, numRuns: 40 });
  }, 120_000);

  it('paths and methods near every route: API Gateway 404 where nothing routes, else documented answers', async () => {
    // Prepare
    const mutations = [
      (path: string) => `${path}/`,
      (path: string) => `${path}/extra`,
      (path: string) => `${path}.json`,
      (path: string) => path.toUpperCase(),
      (path: string) => path.replace('/api/v2', '/api/v1'),
      (path: string) => path.replace('/api/v2', '/api//v2'),
      (path: string) => path.replace('/api/v2/', '/api/v2/%2e%2e/'),
      (path: string) => `${path}/%2e%2e/%2e%2e/account`,
      (path: string) => path.slice(0, path.lastIndexOf('/')),
      (path: string) => path,
    ];
    const requestArb = fc
      .tuple(
        fc.constantFrom(...apiRoutes),
        fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH'),
        fc.nat({ max: mutations.length - 1 }),
        fc.array(idSegmentArb(existingIds), { minLength: 2, maxLength: 2 }),
        validAuthArb(apiKey),
      )
      .map(([route, method, mutation, segments, authorization]) =>
        requestTo(route, 1, { method, path: mutations[mutation]!(fillPath(route, segments)), authorization }),
      );

    // Act and Assess
    await fc.assert(fc.asyncProperty(requestArb, exchange), { seed, numRuns: 60 });
  }, 120_000);

  it('bodies over 256 KiB are refused with 400 where a body is read; over 10 MB API Gateway answers 413', async () => {
    // Prepare
    const readingRoutes = apiRoutes.filter(
      (route) => !['ignored', 'unknown'].includes(contractOf(route).body),
    );
    const requestArb = fc
      .oneof(
        fc.tuple(fc.constantFrom(...readingRoutes), fc.constant(256 * 1024 + 1)),
        fc.tuple(fc.constantFrom(...apiRoutes), fc.constant(10 * 1024 * 1024 + 1)),
      )
      .map(([route, bytes]) =>
        requestTo(route, existingIds[0]!, {
          body: { kind: 'oversize', bytes },
          contentType: 'application/json',
        }),
      );

    // Act and Assess: few runs, each large body is 10 MB on the wire.
    await fc.assert(fc.asyncProperty(requestArb, exchange), { seed, numRuns: 6 });
  }, 120_000);
});
