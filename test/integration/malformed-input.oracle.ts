import type { ApiRoute } from '../../lib/platform/api-routes.ts';
import { recordTypes } from '../../lambdas/domain/records/record.ts';

/**
 * The test oracle of malformed-input.property.test.ts: from a request as sent, which answers the API
 * may give. It is written from the documented contract (docs/api.md, Freshdesk v2, API Gateway's
 * behaviour), not from the handlers' code, and it is deliberately three-valued: a part of a request is
 * `good`, `bad` (the request must be refused, with the status that part causes) or `unsure` (the
 * contract does not say; either answer is accepted). Anything not covered here must not be 2xx.
 */
export type Judgement = 'good' | 'bad' | 'unsure';

/** One reason the request may or must be refused, with the statuses that reason allows. */
export interface Finding {
  readonly certain: boolean;
  readonly statuses: readonly number[];
  readonly why: string;
}

export type Expectation =
  /** API Gateway answers itself (no function runs): `{"message": …}`. */
  | { readonly kind: 'gateway'; readonly statuses: readonly (403 | 404 | 413)[]; readonly why: string }
  /** A function answers; `allowed` lists every acceptable status. */
  | {
      readonly kind: 'function';
      readonly route: ApiRoute;
      readonly allowed: readonly number[];
      readonly why: readonly string[];
    };

/** What the Authorization header is, as the generator built it. */
export type AuthClass = 'valid' | 'unknown_key' | 'maybe_other_region';

export const maxJsonBodyBytes = 256 * 1024;
export const maxGatewayBodyBytes = 10 * 1024 * 1024;
const maxSafe = BigInt(Number.MAX_SAFE_INTEGER);

// ---------------------------------------------------------------------------------------------------
// Route contracts

type BodyContract =
  /** The route never reads a body: any body is fine (up to API Gateway's limit). */
  | 'ignored'
  /** A JSON object is required; what it must hold is not known here (routes added later). */
  | 'json-object'
  | 'contact-create'
  | 'contact-update'
  /** Nothing known: any of 400/409 or success. */
  | 'unknown';

interface QueryParam {
  readonly judge: (value: string) => Judgement;
}

export interface QuerySpec {
  readonly params: Readonly<Record<string, QueryParam>>;
  /** Rules across parameters (given the parameters present, by name). */
  readonly combine?: (present: ReadonlyMap<string, string>) => Judgement;
}

export interface RouteContract {
  readonly auth: 'none' | 'api-key';
  readonly body: BodyContract;
  readonly query: 'ignored' | 'unknown' | QuerySpec;
  /** Statuses of a valid request. */
  readonly success: readonly number[];
  /** Other statuses the route may give whatever the request (a route without a contract: 404). */
  readonly mayAlso?: readonly number[];
  /** For routes with a record id: statuses an existing contact id may still give (e.g. soft-deleted). */
  readonly existingMay: readonly number[];
  /**
   * Whether the route's ids are contacts: then the test knows which exist (its own), and a well-formed
   * id of none of them must give 404. For other routes a well-formed id may name a record made during
   * the run, so it may give 404 or succeed; an id that is not a well-formed id must still give 404.
   */
  readonly contactIds: boolean;
}

export const intParam = (min: number, max: number): QueryParam => ({
  judge: (value) => {
    if (/^(0|[1-9][0-9]*)$/.test(value)) {
      const n = BigInt(value);
      if (n > maxSafe) return 'unsure';
      return n >= BigInt(min) && n <= BigInt(max) ? 'good' : 'bad';
    }
    // `?page=` could fairly mean "the default"; other spellings (' 5', '0x10', '1e2') are left open.
    if (value === '') return 'unsure';
    const n = Number(value);
    if (!Number.isFinite(n) || !Number.isInteger(n)) return 'bad';
    return n < min || n > max ? 'bad' : 'unsure';
  },
});

const daysInMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** ISO 8601 date-time with an offset, as the API documents `updated_since`, `since` and `until`. */
export const dateTimeParam: QueryParam = {
  judge: (value) => {
    const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-](\d{2}):(\d{2}))$/.exec(
      value,
    );
    if (!m) return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value) ? 'unsure' : 'bad';
    const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as number[];
    const offsetHours = m[9] === undefined ? 0 : Number(m[9]);
    const offsetMinutes = m[10] === undefined ? 0 : Number(m[10]);
    const valid =
      month! >= 1 &&
      month! <= 12 &&
      day! >= 1 &&
      day! <= daysInMonth(year!, month!) &&
      hour! <= 23 &&
      minute! <= 59 &&
      second! <= 59 &&
      offsetHours <= 23 &&
      offsetMinutes <= 59;
    return valid ? 'good' : 'bad';
  },
};

const maxLengthParam = (max: number): QueryParam => ({
  judge: (value) => (value.length <= max ? 'good' : 'bad'),
});
const enumParam = (values: readonly string[]): QueryParam => ({
  judge: (value) => (values.includes(value) ? 'good' : 'bad'),
});
/** v2's `include`: a comma-separated list of some of `values` (docs/api.md, "List parameters"). */
const includeParam = (values: readonly string[]): QueryParam => ({
  judge: (value) =>
    value.length <= 200 && value.split(',').every((name) => values.includes(name.trim())) ? 'good' : 'bad',
});

/**
 * Paging (docs/api-limits.md): `page` from 1 and `per_page` 1 to 100; without a cursor `page × per_page`
 * (per_page 30 by default) may be at most 2,000. A cursor is one the API gave: none made up here is.
 */
const pagingParams = {
  page: intParam(1, Number.MAX_SAFE_INTEGER),
  per_page: intParam(1, 100),
  cursor: { judge: (): Judgement => 'bad' },
};
const pagingDepth = (present: ReadonlyMap<string, string>): Judgement => {
  if (present.has('cursor')) return 'good';
  const page = present.get('page') ?? '1';
  const perPage = present.get('per_page') ?? '30';
  if (!/^[1-9][0-9]{0,15}$/.test(page) || !/^[1-9][0-9]{0,2}$/.test(perPage)) return 'unsure';
  return Number(page) * Number(perPage) > 2_000 ? 'bad' : 'good';
};

export const contactListQuery: QuerySpec = {
  params: {
    ...pagingParams,
    email: maxLengthParam(254),
    phone: maxLengthParam(255),
    mobile: maxLengthParam(255),
    company_id: intParam(1, Number.MAX_SAFE_INTEGER),
    updated_since: dateTimeParam,
    state: enumParam(['blocked', 'deleted', 'unverified', 'verified']),
    unique_external_id: {
      judge: (value) => (value.trim() === '' || value.trim().length > 255 ? 'bad' : 'good'),
    },
  },
  combine: pagingDepth,
};

export const auditLogQuery: QuerySpec = {
  params: {
    record_type: enumParam(recordTypes),
    record_id: intParam(1, Number.MAX_SAFE_INTEGER),
    since: dateTimeParam,
    until: dateTimeParam,
    limit: intParam(1, 100),
  },
  // docs/api.md: "for one record (record_type, record_id) or a time range (since, until)".
  combine: (present) => {
    if (present.has('record_type') !== present.has('record_id')) return 'bad';
    return present.has('record_type') || present.has('since') ? 'good' : 'bad';
  },
};

export const ticketListQuery: QuerySpec = {
  params: {
    ...pagingParams,
    requester_id: intParam(1, Number.MAX_SAFE_INTEGER),
    email: maxLengthParam(254),
    company_id: intParam(1, Number.MAX_SAFE_INTEGER),
    updated_since: dateTimeParam,
    filter: enumParam(['new_and_my_open', 'watching', 'spam', 'deleted']),
    include: includeParam(['requester', 'description', 'company', 'stats']),
  },
  combine: pagingDepth,
};

export const pageQuery: QuerySpec = {
  params: pagingParams,
  combine: pagingDepth,
};

export const integrationLinkListQuery: QuerySpec = {
  params: {
    ...pagingParams,
    record_type: enumParam(['ticket', 'contact', 'company', 'call', 'chat']),
    record_id: intParam(1, Number.MAX_SAFE_INTEGER),
    app: { judge: (value) => (value.length >= 1 && value.length <= 64 ? 'good' : 'bad') },
  },
  combine: (present) => {
    if (present.has('record_type') !== present.has('record_id')) return 'bad';
    return present.has('record_type') && present.has('app') ? 'bad' : pagingDepth(present);
  },
};

export const privacyRequestListQuery: QuerySpec = {
  params: {
    ...pagingParams,
    status: enumParam(['pending_verification', 'verified', 'running', 'completed', 'failed', 'rejected']),
    type: enumParam(['export', 'erasure']),
    overdue: enumParam(['true', 'false']),
  },
  combine: pagingDepth,
};

/** A ticket or conversation route: API key, no contact ids, fields not spelled out here. */
const ticketRoute = (
  body: BodyContract,
  query: RouteContract['query'],
  success: readonly number[],
): RouteContract => ({ auth: 'api-key', body, query, success, existingMay: [], contactIds: false });

const contracts: Readonly<Record<string, RouteContract>> = {
  'GET /api/v2/health': {
    auth: 'none',
    body: 'ignored',
    query: 'ignored',
    success: [200],
    existingMay: [],
    contactIds: false,
  },
  'GET /api/v2/openapi.json': {
    auth: 'none',
    body: 'ignored',
    query: 'ignored',
    success: [200],
    existingMay: [],
    contactIds: false,
  },
  'GET /api/v2/account': {
    auth: 'api-key',
    body: 'ignored',
    query: 'ignored',
    success: [200],
    existingMay: [],
    contactIds: false,
  },
  'POST /api/v2/contacts': {
    auth: 'api-key',
    body: 'contact-create',
    query: 'ignored',
    success: [201],
    existingMay: [],
    contactIds: false,
  },
  'GET /api/v2/contacts': {
    auth: 'api-key',
    body: 'ignored',
    query: contactListQuery,
    success: [200],
    existingMay: [],
    contactIds: false,
  },
  // A soft-deleted contact is still shown (with deleted: true).
  'GET /api/v2/contacts/{id}': {
    auth: 'api-key',
    body: 'ignored',
    query: 'ignored',
    success: [200],
    existingMay: [],
    contactIds: true,
  },
  // An earlier run may have soft-deleted the contact: then 404.
  'PUT /api/v2/contacts/{id}': {
    auth: 'api-key',
    body: 'contact-update',
    query: 'ignored',
    success: [200],
    existingMay: [404],
    contactIds: true,
  },
  'DELETE /api/v2/contacts/{id}': {
    auth: 'api-key',
    body: 'ignored',
    query: 'ignored',
    success: [204],
    existingMay: [404],
    contactIds: true,
  },
  // A permanent erasure: an existing (or soft-erased) contact of the test's own account.
  'DELETE /api/v2/contacts/{id}/hard_delete': {
    auth: 'api-key',
    body: 'ignored',
    query: 'ignored',
    success: [204],
    existingMay: [404],
    contactIds: true,
  },
  // "a live contact is left as it is": restore always answers 204 for an existing contact.
  'PUT /api/v2/contacts/{id}/restore': {
    auth: 'api-key',
    body: 'ignored',
    query: 'ignored',
    success: [204],
    existingMay: [],
    contactIds: true,
  },
  'GET /api/v2/audit_log': {
    auth: 'api-key',
    body: 'ignored',
    query: auditLogQuery,
    success: [200],
    existingMay: [],
    contactIds: false,
  },
  // docs/api.md: tickets are paginated and filtered "as contacts", with their own documented filters; the
  // ticket and conversation fields are not spelled out here, so a JSON object body may or may not do.
  'POST /api/v2/tickets': ticketRoute('json-object', 'ignored', [201]),
  'GET /api/v2/tickets': ticketRoute('ignored', ticketListQuery, [200]),
  'GET /api/v2/tickets/{id}': ticketRoute(
    'ignored',
    { params: { include: includeParam(['requester', 'company', 'stats', 'conversations']) } },
    [200],
  ),
  'PUT /api/v2/tickets/{id}': ticketRoute('json-object', 'ignored', [200]),
  'DELETE /api/v2/tickets/{id}': ticketRoute('ignored', 'ignored', [204]),
  'PUT /api/v2/tickets/{id}/restore': ticketRoute('ignored', 'ignored', [204]),
  // docs/api.md "Merges": a JSON object naming tickets; ids of tickets that do not exist give 404, a
  // ticket merged elsewhere 409.
  // docs/api.md "Merges": a JSON object naming contacts; 202 while a large merge is under way, 404 for
  // contacts that do not exist, 409 while a hold or a privacy request covers one.
  'POST /api/v2/contacts/merge': {
    ...ticketRoute('json-object', 'ignored', [202, 204]),
    mayAlso: [404, 409],
  },
  'PUT /api/v2/tickets/merge': { ...ticketRoute('json-object', 'ignored', [204]), mayAlso: [404, 409] },
  // docs/api.md "Ticket watchers": watch takes no body or an optional `user_id`; bulk ones a JSON object.
  'POST /api/v2/tickets/{id}/watch': ticketRoute('unknown', 'ignored', [204]),
  'PUT /api/v2/tickets/{id}/unwatch': ticketRoute('ignored', 'ignored', [204]),
  'GET /api/v2/tickets/{id}/watchers': ticketRoute('ignored', 'ignored', [200]),
  'POST /api/v2/tickets/bulk_watch': ticketRoute('json-object', 'ignored', [204]),
  'PUT /api/v2/tickets/bulk_unwatch': ticketRoute('json-object', 'ignored', [204]),
  'POST /api/v2/tickets/{id}/reply': ticketRoute('json-object', 'ignored', [201]),
  'POST /api/v2/tickets/{id}/notes': ticketRoute('json-object', 'ignored', [201]),
  'GET /api/v2/tickets/{id}/conversations': ticketRoute('ignored', pageQuery, [200]),
  'PUT /api/v2/conversations/{id}': ticketRoute('json-object', 'ignored', [200]),
  'DELETE /api/v2/conversations/{id}': ticketRoute('ignored', 'ignored', [204]),
  // docs/api.md: discussions and solutions list pages of records (under a parent where the path names one).
  'GET /api/v2/discussions/categories': ticketRoute('ignored', pageQuery, [200]),
  'GET /api/v2/discussions/categories/{id}/forums': ticketRoute('ignored', pageQuery, [200]),
  'GET /api/v2/discussions/forums/{id}/topics': ticketRoute('ignored', pageQuery, [200]),
  'GET /api/v2/discussions/topics/{id}/comments': ticketRoute('ignored', pageQuery, [200]),
  'GET /api/v2/solutions/categories': ticketRoute('ignored', pageQuery, [200]),
  'GET /api/v2/solutions/categories/{id}/folders': ticketRoute('ignored', pageQuery, [200]),
  'GET /api/v2/solutions/folders/{id}/articles': ticketRoute('ignored', pageQuery, [200]),
  // docs/api.md: the body is optional and its properties are agent settings (not spelled out here). A
  // converted contact is no longer a contact: the test puts a new one in its place (property test).
  'PUT /api/v2/contacts/{id}/make_agent': {
    auth: 'api-key',
    body: 'unknown',
    query: 'ignored',
    success: [200],
    existingMay: [404],
    contactIds: true,
  },
  // docs/api.md "Attachments": a large file is announced as JSON; attachments are read and deleted by id.
  'POST /api/v2/tickets/{id}/attachments': ticketRoute('json-object', 'ignored', [201]),
  // docs/api.md "Bulk work and jobs": `bulk_action` bodies; job ids are 32 hex digits, so no id the
  // test can form names a job (404).
  'POST /api/v2/tickets/bulk_update': ticketRoute('json-object', 'ignored', [202]),
  'POST /api/v2/tickets/bulk_delete': ticketRoute('json-object', 'ignored', [202]),
  'GET /api/v2/jobs/{id}': ticketRoute('ignored', 'ignored', [200]),
  'GET /api/v2/attachments/{id}': ticketRoute('ignored', 'ignored', [200]),
  'DELETE /api/v2/attachments/{id}': ticketRoute('ignored', 'ignored', [204]),
  // docs/api.md "Integration links": CRUD; listed by a record (record_type and record_id together) or by app.
  'POST /api/v2/integration_links': ticketRoute('json-object', 'ignored', [201]),
  'GET /api/v2/integration_links': ticketRoute('ignored', integrationLinkListQuery, [200]),
  'GET /api/v2/integration_links/{id}': ticketRoute('ignored', 'ignored', [200]),
  'PUT /api/v2/integration_links/{id}': ticketRoute('json-object', 'ignored', [200]),
  'DELETE /api/v2/integration_links/{id}': ticketRoute('ignored', 'ignored', [204]),
  // docs/api.md "Roles": an admin issues a contact's portal token; no body, no query. A contact made an agent
  // or deleted during the run is no longer one (404).
  'POST /api/v2/contacts/{id}/portal_token': {
    auth: 'api-key',
    body: 'ignored',
    query: 'ignored',
    success: [201],
    existingMay: [404],
    contactIds: true,
  },
  // docs/portal-tokens.md: an admin rotates the account's portal-token secret; no body, no query.
  'POST /api/v2/admin/portal_token_secret/rotate': {
    auth: 'api-key',
    body: 'ignored',
    query: 'ignored',
    success: [200],
    existingMay: [],
    contactIds: false,
  },
  // docs/api-keys.md: the body is optional (no body: a key without options); an agent holds at most 10
  // keys (409). Issuing to an agent by id: 403 for another agent's id unless admin, 404 for no agent.
  'POST /api/v2/api_keys': { ...ticketRoute('unknown', 'ignored', [201]), mayAlso: [409] },
  'POST /api/v2/agents/{id}/api_keys': {
    ...ticketRoute('unknown', 'ignored', [201]),
    mayAlso: [403, 404, 409],
  },
  'POST /api/v2/privacy/requests': ticketRoute('json-object', 'ignored', [201]),
  'GET /api/v2/privacy/requests': ticketRoute('ignored', privacyRequestListQuery, [200]),
  'GET /api/v2/privacy/requests/{id}': ticketRoute('ignored', 'ignored', [200]),
  'POST /api/v2/privacy/requests/{id}/verify': ticketRoute('json-object', 'ignored', [200]),
  'POST /api/v2/privacy/requests/{id}/reject': ticketRoute('json-object', 'ignored', [200]),
};

/**
 * The contract of a route. Routes without an entry (added after this test was written) get a cautious
 * one: API key required, POST/PATCH bodies must be JSON objects, malformed ids give 404, and whatever
 * else they do (success, 400, 404, 409) must still be a documented answer that writes nothing when it
 * refuses. Give a new route an entry above to check it more closely.
 */
export function contractOf(route: ApiRoute): RouteContract {
  return (
    contracts[`${route.method} ${route.path}`] ?? {
      auth: 'api-key',
      body: route.method === 'POST' || route.method === 'PATCH' ? 'json-object' : 'unknown',
      query: 'unknown',
      success: [200, 201, 202, 204],
      // It may read a record the test's account does not have (e.g. the caller's own agent profile).
      mayAlso: [404],
      existingMay: [400, 404, 409],
      contactIds: false,
    }
  );
}

// ---------------------------------------------------------------------------------------------------
// Routing (an independent matcher over the route table, as API Gateway routes)

export interface RouteMatch {
  readonly route: ApiRoute;
  /** Path parameter values as they appear in the normalised path (still percent-encoded). */
  readonly rawParams: Readonly<Record<string, string>>;
}

export function matchRoute(
  routes: readonly ApiRoute[],
  method: string,
  normalisedPath: string,
): RouteMatch | undefined {
  const segments = normalisedPath.split('/');
  for (const route of routes) {
    if (route.method !== method) continue;
    const template = route.path.split('/');
    if (template.length !== segments.length) continue;
    const rawParams: Record<string, string> = {};
    const matches = template.every((part, index) => {
      const segment = segments[index] ?? '';
      const parameter = /^\{(\w+)\}$/.exec(part)?.[1];
      if (!parameter) return part === segment;
      rawParams[parameter] = segment;
      return segment !== '';
    });
    if (matches) return { route, rawParams };
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------
// Bodies

/** `application/json`, any case, with or without parameters (charset); nothing else. */
export function isJsonMediaType(contentType: string | undefined): boolean {
  return contentType?.split(';')[0]?.trim().toLowerCase() === 'application/json';
}

const certain = (statuses: readonly number[], why: string): Finding => ({ certain: true, statuses, why });
const maybe = (statuses: readonly number[], why: string): Finding => ({ certain: false, statuses, why });

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

type FieldJudge = (value: unknown) => Judgement;

const worst = (judgements: Iterable<Judgement>): Judgement => {
  let result: Judgement = 'good';
  for (const judgement of judgements) {
    if (judgement === 'bad') return 'bad';
    if (judgement === 'unsure') result = 'unsure';
  }
  return result;
};

const textField =
  (max: number, { nullable = true, nonBlank = false } = {}): FieldJudge =>
  (value) => {
    if (value === null) return nullable ? 'good' : 'bad';
    if (typeof value !== 'string') return 'bad';
    const trimmed = value.trim();
    return trimmed.length > max || (nonBlank && trimmed.length === 0) ? 'bad' : 'good';
  };

/** An e-mail address: plainly valid ones are good, ones without `@` or with spaces bad, the rest open. */
const emailJudge =
  ({ nullable }: { nullable: boolean }): FieldJudge =>
  (value) => {
    if (value === null) return nullable ? 'good' : 'bad';
    if (typeof value !== 'string') return 'bad';
    const trimmed = value.trim();
    if (trimmed.length > 254 || !trimmed.includes('@') || /\s/.test(trimmed)) return 'bad';
    return /^[a-z0-9]+([._+-][a-z0-9]+)*@[a-z0-9]+(-[a-z0-9]+)*(\.[a-z0-9]+(-[a-z0-9]+)*)*\.[a-z]{2,10}$/i.test(
      trimmed,
    )
      ? 'good'
      : 'unsure';
  };

/** Contact fields and limits as docs/api.md and Freshdesk v2 document them. */
const contactFields: Readonly<Record<string, FieldJudge>> = {
  name: textField(255, { nullable: false, nonBlank: true }),
  email: emailJudge({ nullable: true }),
  phone: textField(255),
  mobile: textField(255),
  twitter_id: textField(255),
  unique_external_id: textField(255),
  other_emails: (value) =>
    Array.isArray(value) && value.length <= 10 ? worst(value.map(emailJudge({ nullable: false }))) : 'bad',
  company_id: (value) => {
    if (value === null) return 'good';
    if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) return 'bad';
    return Number.isSafeInteger(value) ? 'good' : 'unsure';
  },
  view_all_tickets: (value) => (typeof value === 'boolean' ? 'good' : 'bad'),
  address: textField(255),
  description: textField(10_000),
  job_title: textField(255),
  language: textField(10, { nullable: false }),
  time_zone: textField(64, { nullable: false }),
  tags: (value) =>
    Array.isArray(value) &&
    value.length <= 50 &&
    value.every((tag) => typeof tag === 'string' && tag.trim().length >= 1 && tag.trim().length <= 32)
      ? 'good'
      : 'bad',
  // Custom fields must be defined by the account's admins (docs/api.md "Contact fields and ticket
  // fields"): a well-typed one may still be unknown or of another type, so it is 'unsure'.
  custom_fields: (value) => {
    if (!isPlainObject(value)) return 'bad';
    return worst(
      Object.entries(value).map(([key, field]): Judgement => {
        if (key.length > 64) return 'bad';
        if (typeof field === 'string') return field.length <= 10_000 ? 'unsure' : 'bad';
        if (typeof field === 'number') return Number.isFinite(field) ? 'unsure' : 'bad';
        return typeof field === 'boolean' || field === null ? 'unsure' : 'bad';
      }),
    );
  },
};
const contactIdentifiers = ['email', 'phone', 'mobile', 'twitter_id', 'unique_external_id'];

function judgeContact(body: Record<string, unknown>, create: boolean): Judgement {
  const judgements = Object.entries(body).map(([key, value]): Judgement => {
    const judge = Object.hasOwn(contactFields, key) ? contactFields[key] : undefined;
    return judge ? judge(value) : 'bad';
  });
  if (create) {
    if (!Object.hasOwn(body, 'name')) return 'bad';
    const identified = contactIdentifiers.some((field) => {
      const value = body[field];
      return typeof value === 'string' && value.trim() !== '';
    });
    if (!identified) judgements.push('bad');
  } else if (Object.keys(body).length === 0) {
    return 'bad';
  }
  return worst(judgements);
}

function judgeBody(contract: BodyContract, contentType: string | undefined, body: Buffer): Finding[] {
  if (contract === 'ignored') return [];
  if (contract === 'unknown') return [maybe([400, 409], 'body of a route without a contract')];
  const refuse = (why: string) => [certain([400], why)];
  if (body.length === 0) return refuse('no body');
  if (!isJsonMediaType(contentType)) return refuse(`content-type ${JSON.stringify(contentType)}`);
  if (body.length > maxJsonBodyBytes) return refuse('body over 256 KiB');
  let text: string;
  try {
    // JSON text is UTF-8 (RFC 8259 §8.1); bytes that are not must not be silently replaced.
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body);
  } catch {
    return refuse('body is not UTF-8');
  }
  const findings: Finding[] = [];
  // RFC 8259 lets a parser either ignore a byte order mark or refuse it.
  if (text.startsWith('\uFEFF')) {
    text = text.slice(1);
    findings.push(maybe([400], 'byte order mark'));
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return [...findings, ...refuse('body is not JSON')];
  }
  if (!isPlainObject(json)) return [...findings, ...refuse('body is not a JSON object')];
  const judgement = contract === 'json-object' ? 'unsure' : judgeContact(json, contract === 'contact-create');
  if (judgement === 'bad') return [...findings, ...refuse('contact fields invalid')];
  if (judgement === 'unsure') findings.push(maybe([400], 'contact fields possibly invalid'));
  // A well-formed write can still conflict (e-mail of another contact, If-Match of an older version).
  findings.push(maybe([409], 'write conflict'));
  return findings;
}

// ---------------------------------------------------------------------------------------------------
// Query strings

function judgeQuery(contract: RouteContract['query'], search: URLSearchParams): Finding[] {
  if (contract === 'ignored') return [];
  if (contract === 'unknown') return [maybe([400], 'query of a route without a contract')];
  // API Gateway (payload 2.0) joins repeated parameters with commas.
  const values = new Map<string, string>();
  for (const [name, value] of search) {
    const previous = values.get(name);
    values.set(name, previous === undefined ? value : `${previous},${value}`);
  }
  const judgements: Judgement[] = [];
  for (const [name, value] of values) {
    const param = Object.hasOwn(contract.params, name) ? contract.params[name] : undefined;
    judgements.push(param ? param.judge(value) : 'bad');
  }
  if (contract.combine) judgements.push(contract.combine(values));
  const judgement = worst(judgements);
  if (judgement === 'bad') return [certain([400], 'query invalid')];
  return judgement === 'unsure' ? [maybe([400], 'query possibly invalid')] : [];
}

// ---------------------------------------------------------------------------------------------------
// Path parameters

export type IdClass = 'existing' | 'absent' | 'malformed';

/** What a raw path segment names: one of the test's contacts, a well-formed id of nothing, or nothing. */
export function classifyId(raw: string, existingIds: ReadonlySet<number>): IdClass {
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return 'malformed';
  }
  if (!/^[1-9][0-9]*$/.test(decoded) || BigInt(decoded) > maxSafe) return 'malformed';
  return existingIds.has(Number(decoded)) ? 'existing' : 'absent';
}

function judgeParams(
  contract: RouteContract,
  rawParams: Readonly<Record<string, string>>,
  existingIds: ReadonlySet<number>,
): Finding[] {
  return Object.entries(rawParams).map(([name, raw]) => {
    if (name !== 'id' && !name.endsWith('_id')) return maybe([400, 404], `path parameter ${name}`);
    const idClass = classifyId(raw, existingIds);
    if (idClass === 'malformed') return certain([404], 'malformed id');
    if (!contract.contactIds) return maybe([404], 'well-formed id of a record that may exist');
    if (idClass === 'absent') return certain([404], 'id of no record');
    return maybe(contract.existingMay, 'existing id');
  });
}

// ---------------------------------------------------------------------------------------------------
// The whole request

export interface SentRequest {
  readonly method: string;
  /** As on the request line: path and query, percent-encoded. */
  readonly target: string;
  readonly contentType: string | undefined;
  readonly body: Buffer;
  readonly auth: AuthClass;
}

export function expectationFor(
  routes: readonly ApiRoute[],
  request: SentRequest,
  existingIds: ReadonlySet<number>,
): Expectation {
  // Dot segments (`.`, `..`, `%2e`) are resolved as every URL parser does before routing.
  const url = new URL(request.target, 'http://oracle.invalid');
  const match = matchRoute(routes, request.method, url.pathname);
  const oversize = request.body.length > maxGatewayBodyBytes;
  if (!match) {
    return {
      kind: 'gateway',
      statuses: oversize ? [404, 413] : [404],
      why: `no route for ${request.method} ${url.pathname}`,
    };
  }
  if (oversize) return { kind: 'gateway', statuses: [413], why: 'body over 10 MB' };
  const { route } = match;
  // The operator routes are authorized by AWS IAM at the gateway: no request here is SigV4-signed.
  if (route.authorization === 'iam') {
    return { kind: 'gateway', statuses: [403], why: 'IAM authorization: not signed by an operator' };
  }
  const contract = contractOf(route);
  // Authentication comes first, and a refused caller learns nothing else about the request.
  if (contract.auth === 'api-key' && request.auth !== 'valid') {
    const allowed = request.auth === 'maybe_other_region' ? [401, 421] : [401];
    return { kind: 'function', route, allowed, why: [`credentials: ${request.auth}`] };
  }
  const findings = [
    ...judgeParams(contract, match.rawParams, existingIds),
    ...judgeQuery(contract.query, url.searchParams),
    ...judgeBody(contract.body, request.contentType, request.body),
    ...(contract.mayAlso ? [maybe(contract.mayAlso, 'route without a contract')] : []),
  ];
  const allowed = new Set(findings.flatMap((finding) => finding.statuses));
  if (!findings.some((finding) => finding.certain)) contract.success.forEach((s) => allowed.add(s));
  return {
    kind: 'function',
    route,
    allowed: [...allowed].sort(),
    why: findings.map((f) => `${f.certain ? 'must' : 'may'} ${f.statuses.join('/')}: ${f.why}`),
  };
}
