import fc from 'fast-check';
import type { ApiRoute } from '../../lib/platform/api-routes.ts';
import { recordTypes } from '../../lambdas/domain/records/record.ts';
import { hostingRegionKeys } from '../../lib/residency/index.ts';
import { basicAuth } from './http-client.ts';
import type { AuthClass, SentRequest } from './malformed-input.oracle.ts';
import type { RawRequest } from './raw-http.ts';

/**
 * Generators of malformed (and some well-formed) requests for malformed-input.property.test.ts. Each
 * generates a small printable spec; `buildRequest` turns it into bytes on the wire, so a failing case
 * prints readably (a 10 MB body prints as its size).
 */

// ---------------------------------------------------------------------------------------------------
// Headers

/** What Node's HTTP client lets into a header value: printable ASCII and Latin-1, no control bytes. */
const headerChar = fc
  .integer({ min: 0x20, max: 0xff })
  .filter((code) => code !== 0x7f)
  .map((code) => String.fromCharCode(code));
export const headerValue = fc.string({ unit: headerChar, maxLength: 64 });

const extraHeaderNames = [
  'x-forwarded-proto',
  'x-forwarded-for',
  'x-forwarded-host',
  'forwarded',
  'cookie',
  'accept',
  'accept-encoding',
  'accept-language',
  'content-encoding',
  'origin',
  'referer',
  'user-agent',
  'x-amz-date',
  'x-api-key',
  'x-http-method-override',
  'x-requested-with',
  'x-amzn-trace-id',
  'range',
  'if-none-match',
  'if-modified-since',
  'prefer',
  'idempotency-key',
] as const;

export const extraHeadersArb = fc.dictionary(fc.constantFrom(...extraHeaderNames), headerValue, {
  maxKeys: 3,
});
export const hostArb = fc.option(
  fc.constantFrom('evil.example', 'ünïcode.example', 'a b', '[::1]:99999', 'h'.repeat(300)),
  { nil: undefined },
);

/** Valid credentials, spelled as clients may: any case of the scheme, any password (it is ignored). */
export const validAuthArb = (apiKey: string) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constant(basicAuth(apiKey)) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom('Basic', 'basic', 'BASIC'), fc.string({ unit: 'binary', maxLength: 20 }))
        .map(([scheme, password]) => `${scheme} ${Buffer.from(`${apiKey}:${password}`).toString('base64')}`),
    },
  );

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

/** Invalid credentials of every shape, each with what the oracle may expect of it. */
export const invalidAuthArb = (
  apiKey: string,
): fc.Arbitrary<{ readonly header: string | undefined; readonly auth: AuthClass }> => {
  const classify = (user: string): AuthClass =>
    hostingRegionKeys.some((region) => region !== 'eea' && user.startsWith(`${region}_`))
      ? 'maybe_other_region'
      : 'unknown_key';
  const unknown = (header: string | undefined) => ({ header, auth: 'unknown_key' as const });
  return fc.oneof(
    fc.constant(unknown(undefined)),
    headerValue.filter((value) => !/^\s*basic\s/i.test(value)).map(unknown),
    fc
      .tuple(fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ maxLength: 10 }))
      .map(([user, password]) => ({ header: `Basic ${b64(`${user}:${password}`)}`, auth: classify(user) })),
    fc
      .tuple(fc.constantFrom(...hostingRegionKeys), fc.base64String({ minLength: 4, maxLength: 60 }))
      .map(([region, secret]) => {
        const user = `${region}_${secret}`;
        return { header: `Basic ${b64(`${user}:X`)}`, auth: classify(user) };
      }),
    fc
      .nat({ max: apiKey.length - 1 })
      .map((length) => unknown(`Basic ${b64(`${apiKey.slice(0, length)}:X`)}`)),
    fc
      .tuple(fc.nat({ max: apiKey.length - 1 }), fc.constantFrom('A', 'z', '0', '_', '-', 'é'))
      .filter(([index, char]) => apiKey[index] !== char)
      .map(([index, char]) =>
        unknown(`Basic ${b64(`${apiKey.slice(0, index)}${char}${apiKey.slice(index + 1)}:X`)}`),
      ),
    fc.constantFrom(
      unknown(`Bearer ${apiKey}`),
      unknown(`Basic ${apiKey}`),
      unknown(`Basic${b64(`${apiKey}:X`)}`),
      unknown(`Basic ${b64(`${apiKey}:X`)}!`),
      unknown(`Basic ${b64(`${apiKey.toUpperCase()}:X`)}`),
      unknown(`Basic ${b64(`${apiKey}x:X`)}`),
      unknown(`Basic ${Buffer.from(`${apiKey}:X`, 'utf16le').toString('base64')}`),
      unknown(`Digest username="${apiKey}"`),
      unknown('Basic'),
      unknown('Basic '),
      unknown('Basic ='),
      unknown('Basic ====:'),
      unknown(`Basic ${'A'.repeat(3000)}`),
      unknown(`Basic ${b64(':X')}`),
      unknown(`Basic ${b64('eea_:X')}`),
      { header: `Basic ${b64(`us_${'a'.repeat(200)}:X`)}`, auth: 'maybe_other_region' as const },
    ),
  );
};

// ---------------------------------------------------------------------------------------------------
// Path parameters

/** Raw (already percent-encoded) path segments standing where a route has `{id}`. */
export const idSegmentArb = (existingIds: readonly number[]) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...existingIds).map(String) },
    // The same ids with digits percent-encoded (`%31` is `1`).
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(...existingIds)
        .map((id) => [...String(id)].map((digit, i) => (i % 2 ? digit : `%3${digit}`)).join('')),
    },
    {
      weight: 2,
      arbitrary: fc
        .oneof(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }))
        .map(String),
    },
    { weight: 1, arbitrary: fc.integer({ min: -1e12, max: 0 }).map(String) },
    { weight: 1, arbitrary: fc.double().map(String) },
    { weight: 1, arbitrary: fc.bigInt({ min: 2n ** 53n, max: 10n ** 40n }).map(String) },
    { weight: 1, arbitrary: fc.nat({ max: 1_000_000 }).map((n) => `0${n}`) },
    {
      weight: 2,
      arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 20 }).map(encodeURIComponent),
    },
    {
      weight: 1,
      arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 10 }).map(encodeURIComponent),
    },
    // Dot segments and encoded slashes.
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        ...['..', '.', '%2e%2e', '%2E', '.%2e', '%2e', '%2F', 'a%2Fb', '%2F..%2F', '..%2F..%2Faccount'],
        ...['%252F', '%5C'],
      ),
    },
    // Percent-encoding that is no encoding, or no UTF-8.
    {
      weight: 1,
      arbitrary: fc.constantFrom('%', '%zz', '1%', '%FF', '%C0%AF', '%E2%82', '%ED%A0%80', '%00', '1%00'),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        ...[';', '1;x=y', '%3B', "'", '%22', '*', '1.0', '1,2', '+1', '1%20', '%201', '1e3'],
        ...['0x1F', '%D9%A1%D9%A2', '~', '$', '@', ':', '1:2', '!', '(1)', 'null', 'undefined'],
        ...['NaN', 'true', '[]', '{}', '-0', '00', '9007199254740993', '9007199254740991'],
      ),
    },
    { weight: 1, arbitrary: fc.constantFrom('a'.repeat(2000), '9'.repeat(500), '1'.repeat(17), '') },
  );

// ---------------------------------------------------------------------------------------------------
// Query strings

const isoDate = fc
  .date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true })
  .map((date) => date.toISOString());
const goodEmail = fc
  .tuple(fc.stringMatching(/^[a-z0-9]{1,12}$/), fc.stringMatching(/^[a-z0-9]{1,10}$/))
  .map(([local, domain]) => `${local}@${domain}.test`);

const goodQueryValue: Record<string, fc.Arbitrary<string>> = {
  page: fc.integer({ min: 1, max: 3 }).map(String),
  per_page: fc.integer({ min: 1, max: 100 }).map(String),
  limit: fc.integer({ min: 1, max: 100 }).map(String),
  email: goodEmail,
  company_id: fc.integer({ min: 1, max: 1_000_000 }).map(String),
  record_id: fc.integer({ min: 1, max: 1_000_000 }).map(String),
  updated_since: isoDate,
  since: isoDate,
  until: isoDate,
  state: fc.constant('deleted'),
  filter: fc.constant('deleted'),
  requester_id: fc.integer({ min: 1, max: 1_000_000 }).map(String),
  record_type: fc.constantFrom(...recordTypes),
};
const queryNames = Object.keys(goodQueryValue);

const anyQueryValue = fc.oneof(
  fc.integer({ min: -5, max: 200 }).map(String),
  fc.constantFrom(
    ...['0', '-1', '1.5', '1.0', '1e2', '0x10', ' 5', '', 'NaN', 'Infinity', '-0', '101', '10001'],
    ...['99999999999999999999', '9007199254740993', 'deleted', 'DELETED', 'deleted ', 'live'],
    ...['contact', 'Contact', 'ticket', 'nope', 'true', '[]', '{"$ne":null}', "' OR 1=1 --"],
    ...['2026-02-30T00:00:00Z', '2026-01-01', '2026-01-01T00:00:00', '2026-01-01T00:00:00+02:00'],
    ...['2026-01-01T00:00:00+0200', '2026-01-01T24:00:00Z', '2026-01-01T00:00:00.123456789Z'],
    ...['2024-02-29T12:00:00-05:30', '2023-02-29T12:00:00Z', 'yesterday', '0000-01-01T00:00:00Z'],
  ),
  isoDate,
  goodEmail,
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.constantFrom('x'.repeat(1500), '9'.repeat(300), `${'a'.repeat(250)}@example.test`),
);

const queryPair = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .constantFrom(...queryNames)
      .chain((name) =>
        fc.tuple(
          fc.constant(name),
          fc.oneof({ weight: 3, arbitrary: goodQueryValue[name]! }, { weight: 2, arbitrary: anyQueryValue }),
        ),
      ),
  },
  {
    weight: 1,
    arbitrary: fc.tuple(
      fc.oneof(
        fc.string({ unit: 'binary', maxLength: 12 }),
        fc.constantFrom('__proto__', 'constructor', 'toString', 'PAGE', 'page[]', 'query', 'id'),
      ),
      anyQueryValue,
    ),
  },
);

export interface QueryStringSpec {
  readonly pairs: readonly (readonly [string, string])[];
  /** Appended as is: empty pairs, bad percent-encoding, bare names. */
  readonly raw: string | undefined;
  /** Send a bare `?` when there is nothing else. */
  readonly bareQuestionMark: boolean;
}

export const queryArb: fc.Arbitrary<QueryStringSpec> = fc.record({
  pairs: fc.array(queryPair, { maxLength: 4 }),
  raw: fc.option(
    fc.constantFrom(
      '&',
      '&&',
      '=',
      '==',
      '%zz',
      '%FF=1',
      'page',
      '&=&',
      '%',
      ';',
      'page=1;per_page=2',
      'a=%',
    ),
    { nil: undefined, freq: 5 },
  ),
  bareQuestionMark: fc.boolean(),
});

export function queryString(spec: QueryStringSpec): string {
  const parts = spec.pairs.map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`);
  if (spec.raw !== undefined) parts.push(spec.raw);
  const query = parts.join('&');
  return query ? `?${query}` : spec.bareQuestionMark ? '?' : '';
}

// ---------------------------------------------------------------------------------------------------
// Bodies

export type BodySpec =
  | { readonly kind: 'none' }
  | { readonly kind: 'json'; readonly value: unknown }
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'bytes'; readonly bytes: Uint8Array }
  | { readonly kind: 'deep'; readonly depth: number; readonly shape: 'array' | 'object' | 'custom_fields' }
  | {
      readonly kind: 'long';
      readonly base: Record<string, unknown>;
      readonly field: string;
      readonly char: string;
      readonly length: number;
    }
  | { readonly kind: 'bad-utf8'; readonly prefix: string; readonly bytes: readonly number[] }
  | { readonly kind: 'truncated'; readonly value: unknown; readonly cut: number }
  | { readonly kind: 'oversize'; readonly bytes: number };

const contactFieldNames = [
  ...['name', 'email', 'phone', 'mobile', 'twitter_id', 'unique_external_id', 'other_emails'],
  ...['company_id', 'view_all_tickets', 'address', 'description', 'job_title', 'language'],
  ...['time_zone', 'tags', 'custom_fields'],
];

/** Contact fields with plainly valid values, any subset. */
const contactFieldsArb = fc.record(
  {
    name: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }),
    email: goodEmail,
    phone: fc.stringMatching(/^\+?[0-9]{5,12}$/),
    mobile: fc.option(fc.stringMatching(/^[0-9]{5,12}$/), { nil: null }),
    twitter_id: fc.stringMatching(/^@[a-z0-9_]{1,15}$/),
    unique_external_id: fc.uuid(),
    other_emails: fc.array(goodEmail, { maxLength: 3 }),
    company_id: fc.option(fc.integer({ min: 1, max: 2 ** 40 }), { nil: null }),
    view_all_tickets: fc.boolean(),
    address: fc.string({ maxLength: 50 }),
    description: fc.string({ unit: 'binary', maxLength: 200 }),
    job_title: fc.option(fc.string({ maxLength: 30 }), { nil: null }),
    language: fc.constantFrom('en', 'de', 'fr', 'pt-BR'),
    time_zone: fc.constantFrom('UTC', 'Europe/Berlin', 'Asia/Kolkata'),
    tags: fc.array(fc.stringMatching(/^[a-z]{1,10}$/), { maxLength: 5 }),
    custom_fields: fc.dictionary(
      fc.stringMatching(/^cf_[a-z]{1,10}$/),
      fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.boolean(), fc.constant(null)),
      { maxKeys: 3 },
    ),
  },
  { requiredKeys: [] },
);

/** A contact-shaped object: usually name and e-mail plus some fields, sometimes without them. */
const contactBaseArb = fc
  .tuple(
    fc.option(fc.record({ name: fc.string({ minLength: 1, maxLength: 20 }), email: goodEmail }), {
      freq: 4,
      nil: undefined,
    }),
    contactFieldsArb,
  )
  .map(([required, fields]) => ({ ...fields, ...required }) as Record<string, unknown>);

const unknownKeyArb = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.constantFrom(
    ...['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'id', 'created_at', 'updated_at'],
    ...['deleted', 'active', 'Name', 'name ', 'account_id', 'pk', 'sk', 'gsi1pk', 'version'],
  ),
);

/** Sets a property as an own, enumerable one, even `__proto__`, so JSON.stringify sends it. */
function withKey(target: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  const copy = { ...target };
  Object.defineProperty(copy, key, { value, enumerable: true, configurable: true, writable: true });
  return copy;
}

const contactishArb = fc
  .tuple(
    contactBaseArb,
    fc.oneof(
      fc.constant([] as [string, unknown][]),
      // Known fields with values of any type (mostly wrong ones).
      fc.array(fc.tuple(fc.constantFrom(...contactFieldNames), fc.jsonValue({ maxDepth: 2 })), {
        minLength: 1,
        maxLength: 2,
      }),
      // Unknown fields.
      fc.array(fc.tuple(unknownKeyArb, fc.jsonValue({ maxDepth: 2 })), { minLength: 1, maxLength: 3 }),
    ),
  )
  .map(([base, changes]) => changes.reduce((body, [key, value]) => withKey(body, key, value), base));

export const bodyArb: fc.Arbitrary<BodySpec> = fc.oneof(
  { weight: 2, arbitrary: fc.constant({ kind: 'none' as const }) },
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((value) => ({ kind: 'json' as const, value })) },
  { weight: 7, arbitrary: contactishArb.map((value) => ({ kind: 'json' as const, value })) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('long' as const),
      base: contactBaseArb,
      field: fc.constantFrom(
        'name',
        'description',
        'job_title',
        'email',
        'tags',
        'custom_fields',
        'x_unknown',
      ),
      char: fc.constantFrom('x', 'é', '😀', ' '),
      length: fc.constantFrom(255, 256, 10_000, 10_001, 65_536, 200_000),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('deep' as const),
      depth: fc.oneof(fc.integer({ min: 1, max: 100 }), fc.constantFrom(1_000, 10_000, 100_000)),
      shape: fc.constantFrom('array' as const, 'object' as const, 'custom_fields' as const),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('truncated' as const),
      value: contactBaseArb,
      cut: fc.nat({ max: 10_000 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.uint8Array({ maxLength: 200 }).map((bytes) => ({ kind: 'bytes' as const, bytes })),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('bad-utf8' as const),
      prefix: fc.string({ maxLength: 10 }).filter((s) => !/["\\]/.test(s)),
      bytes: fc.constantFrom(
        [0xff],
        [0xc3],
        [0xc3, 0x28],
        [0xc0, 0xaf],
        [0xe2, 0x82],
        [0xed, 0xa0, 0x80],
        [0xf4, 0x90, 0x80, 0x80],
        [0xfe, 0xff],
      ),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.string({ unit: 'binary', maxLength: 100 }).map((text) => ({ kind: 'text' as const, text })),
  },
);

/** A contact any reading of docs/api.md accepts: a name, an e-mail address and a few plain fields. */
export const wellFormedContactArb = fc
  .tuple(
    fc.record({ name: fc.stringMatching(/^[A-Z][a-z]{1,12}$/), email: goodEmail }),
    fc.record(
      { job_title: fc.stringMatching(/^[a-z ]{0,20}$/), tags: fc.array(fc.stringMatching(/^[a-z]{1,10}$/)) },
      { requiredKeys: [] },
    ),
  )
  .map(([required, optional]) => ({ ...optional, ...required }));

/** Content types that are almost, but not, application/json; and spellings that are. */
export const nearJsonContentTypes = [
  ...['application/jsonx', 'application/json-patch+json', 'application/json garbage'],
  ...['application/json,text/plain', 'application/json\u00e9', 'application/vnd.api+json'],
  ...['application/ json', 'xapplication/json', 'application/x-json', 'text/json', 'json'],
];
export const jsonContentTypes = [
  ...['application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON'],
  ...['Application/Json;charset=UTF-8', 'application/json ; charset=latin1', 'application/json;'],
];

export const contentTypeArb: fc.Arbitrary<string | undefined> = fc.oneof(
  { weight: 10, arbitrary: fc.constant('application/json') },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      'application/json; charset=utf-8',
      'APPLICATION/JSON',
      'Application/Json;charset=UTF-8',
      'application/json ; charset=latin1',
    ),
  },
  { weight: 1, arbitrary: fc.constant(undefined) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      ...['text/plain', 'text/json', 'application/x-www-form-urlencoded', 'application/xml'],
      ...['multipart/form-data; boundary=x', 'application/octet-stream', 'application/jsonx'],
      ...['application/json-patch+json', 'application/json garbage', 'application/json,text/plain'],
      ...['application/vnd.api+json', 'json', '', '*/*', 'application/*', 'application/json\u00e9'],
    ),
  },
  { weight: 1, arbitrary: headerValue },
);

const smallContact = '{"name":"Big","email":"big@example.test","description":"';

export function bodyBytes(spec: BodySpec): Buffer {
  switch (spec.kind) {
    case 'none':
      return Buffer.alloc(0);
    case 'json':
      return Buffer.from(JSON.stringify(spec.value) ?? 'null', 'utf8');
    case 'text':
      return Buffer.from(spec.text, 'utf8');
    case 'bytes':
      return Buffer.from(spec.bytes);
    case 'deep': {
      const open = spec.shape === 'object' ? '{"a":' : '[';
      const close = spec.shape === 'object' ? '}' : ']';
      const nested = `${open.repeat(spec.depth)}1${close.repeat(spec.depth)}`;
      return Buffer.from(
        spec.shape === 'custom_fields'
          ? `{"name":"Deep","email":"deep@example.test","custom_fields":{"k":${nested}}}`
          : nested,
      );
    }
    case 'long': {
      const long = spec.char.repeat(spec.length);
      const value =
        spec.field === 'tags' ? [long] : spec.field === 'custom_fields' ? { cf_long: long } : long;
      return Buffer.from(JSON.stringify(withKey(spec.base, spec.field, value)), 'utf8');
    }
    case 'bad-utf8':
      return Buffer.concat([
        Buffer.from(`{"name":"${spec.prefix}`, 'utf8'),
        Buffer.from(spec.bytes),
        Buffer.from('","email":"bytes@example.test"}', 'utf8'),
      ]);
    case 'truncated': {
      const json = JSON.stringify(spec.value);
      return Buffer.from(json.slice(0, spec.cut % json.length), 'utf8');
    }
    case 'oversize':
      // A well-formed contact, padded to the size asked for.
      return Buffer.concat([
        Buffer.from(smallContact),
        Buffer.alloc(spec.bytes - smallContact.length - 2, 'x'),
        Buffer.from('"}'),
      ]);
  }
}

// ---------------------------------------------------------------------------------------------------
// Whole requests

export interface RequestSpec {
  /** `METHOD /path/{id}` of the route the request aims at (its path may route elsewhere). */
  readonly route: string;
  readonly method: string;
  readonly path: string;
  readonly query: QueryStringSpec;
  readonly body: BodySpec;
  readonly contentType: string | undefined;
  readonly authorization: string | undefined;
  readonly auth: AuthClass;
  readonly ifMatch: string | undefined;
  readonly host: string | undefined;
  readonly headers: Readonly<Record<string, string>>;
}

/** The route's path with each `{param}` replaced by the given raw segments, in order. */
export function fillPath(route: ApiRoute, segments: readonly string[]): string {
  let index = 0;
  return route.path.replace(/\{\w+\}/g, () => segments[index++] ?? '1');
}

export const parameterCount = (route: ApiRoute) => route.path.match(/\{\w+\}/g)?.length ?? 0;

export function buildRequest(spec: RequestSpec): { raw: RawRequest; sent: SentRequest } {
  const body = bodyBytes(spec.body);
  const target = `${spec.path}${queryString(spec.query)}`;
  const headers: Record<string, string> = { ...spec.headers };
  if (spec.authorization !== undefined) headers.authorization = spec.authorization;
  if (spec.contentType !== undefined) headers['content-type'] = spec.contentType;
  if (spec.ifMatch !== undefined) headers['if-match'] = spec.ifMatch;
  if (spec.host !== undefined) headers.host = spec.host;
  return {
    raw: { method: spec.method, path: target, headers, body },
    sent: { method: spec.method, target, contentType: spec.contentType, body, auth: spec.auth },
  };
}

/** A request aimed at `route`: malformed ids, queries, bodies and headers, with valid credentials. */
export function malformedRequestArb(
  route: ApiRoute,
  apiKey: string,
  existingIds: readonly number[],
): fc.Arbitrary<RequestSpec> {
  return fc.record({
    route: fc.constant(`${route.method} ${route.path}`),
    method: fc.constant(route.method),
    path: fc
      .array(idSegmentArb(existingIds), {
        minLength: parameterCount(route),
        maxLength: parameterCount(route),
      })
      .map((segments) => fillPath(route, segments)),
    query: queryArb,
    body: bodyArb,
    contentType: contentTypeArb,
    authorization: validAuthArb(apiKey),
    auth: fc.constant('valid' as const),
    ifMatch: fc.option(fc.oneof(headerValue, fc.constantFrom('*', '""', 'W/"1"', '"v1"')), {
      nil: undefined,
    }),
    host: hostArb,
    headers: extraHeadersArb,
  });
}
