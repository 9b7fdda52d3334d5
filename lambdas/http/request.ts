import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { z } from 'zod';
import { type FieldError, NotFoundError, ValidationError } from '#domain/errors';
import { maxPagedRecords, type Paging } from '#domain/records/paging';

/** Largest JSON body the API accepts (attachments come through presigned uploads, not JSON). */
export const maxJsonBodyBytes = 256 * 1024;

/**
 * Maps zod issues to Freshdesk v2 field errors (`missing_field`, `invalid_field`, `datatype_mismatch`, …).
 * An issue about the input as a whole (a JSON body that is an array, a query parameter named '') has
 * no path: it is reported on `root`, so every validation error names a field.
 */
export function fieldErrors(error: z.ZodError, input: unknown, prefix = '', root = 'body'): FieldError[] {
  return error.issues.flatMap((issue): FieldError[] => {
    const at = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    const path = at || root;
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        field: [at, key].filter(Boolean).join('.') || root,
        message: 'Unexpected/invalid field in request',
        code: 'invalid_field',
      }));
    }
    if (issue.code === 'invalid_type' && valueAt(input, issue.path) === undefined) {
      return [{ field: path, message: 'It should be specified', code: 'missing_field' }];
    }
    if (issue.code === 'invalid_type') {
      return [{ field: path, message: `It should be a/an ${issue.expected}`, code: 'datatype_mismatch' }];
    }
    return [{ field: path, message: issue.message, code: 'invalid_value' }];
  });
}

/** The value at `path` inside `input` (zod 4 issues do not carry their input). */
function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** The JSON body of a write, validated; every problem is a 400 naming the field, never a 500. */
export function parseJsonBody<S extends z.ZodType>(event: APIGatewayProxyEventV2, schema: S): z.infer<S> {
  const bytes = event.isBase64Encoded && event.body ? Buffer.from(event.body, 'base64') : undefined;
  if ((bytes?.length ?? Buffer.byteLength(event.body ?? '')) > maxJsonBodyBytes) {
    throw new ValidationError([
      { field: 'body', message: `The body must be at most ${maxJsonBodyBytes} bytes`, code: 'invalid_size' },
    ]);
  }
  const contentType = event.headers?.['content-type'] ?? '';
  // The media type must be exactly application/json (parameters such as charset may follow): `\b`
  // also let through application/json-patch+json, "application/json garbage" and comma-joined types.
  if (!/^application\/json\s*(;|$)/i.test(contentType)) {
    throw new ValidationError([
      {
        field: 'content-type',
        message: 'Content-Type header should be application/json',
        code: 'invalid_content_type',
      },
    ]);
  }
  let json: unknown;
  try {
    // JSON text is UTF-8 (RFC 8259); a lenient decode would replace invalid bytes with U+FFFD and store
    // data the client never sent. ignoreBOM keeps a BOM in the text, so it is refused as for text bodies.
    const raw = bytes ? new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes) : event.body;
    json = JSON.parse(raw ?? '');
  } catch {
    throw new ValidationError([
      { field: 'body', message: 'The request body is not valid JSON', code: 'invalid_json' },
    ]);
  }
  const result = schema.safeParse(json);
  if (!result.success) throw new ValidationError(fieldErrors(result.error, json));
  return result.data;
}

/** Query parameters, validated the same way. */
export function parseQuery<S extends z.ZodType>(event: APIGatewayProxyEventV2, schema: S): z.infer<S> {
  const query = event.queryStringParameters ?? {};
  const result = schema.safeParse(query);
  if (!result.success) throw new ValidationError(fieldErrors(result.error, query, '', 'query'));
  return result.data;
}

/** A numeric record id from the path; anything else cannot name a record, so it is a 404. */
export function pathId(event: APIGatewayProxyEventV2, name = 'id'): number {
  const raw = event.pathParameters?.[name] ?? '';
  if (!/^[1-9][0-9]{0,15}$/.test(raw) || !Number.isSafeInteger(Number(raw))) throw new NotFoundError();
  return Number(raw);
}

/** Freshdesk v2 pagination by page number only, for lists held whole (a form's fields, an export's files). */
export const pageNumberSchema = {
  page: z.coerce
    .number()
    .int()
    .min(1)
    .max(Number.MAX_SAFE_INTEGER)
    .default(1)
    .describe(`From 1; without a cursor, page × per_page may be at most ${maxPagedRecords}`),
  per_page: z.coerce.number().int().min(1).max(100).default(30),
};

/**
 * Freshdesk v2 pagination: `page` from 1, `per_page` up to 100 (default 30), and our `cursor`, which the
 * `link` header carries to the next page (see `listPaging`).
 */
export const paginationSchema = {
  ...pageNumberSchema,
  cursor: z
    .string()
    .min(1)
    .max(2_048)
    .optional()
    .describe('Opaque: as the link header of the page before gives it; the list goes on from there'),
};

/**
 * The paging a list query asks for. With a cursor (from a `link` header) the list goes on where the
 * page before stopped and `page` only numbers it; without one, `page × per_page` may be at most
 * `maxPagedRecords`: a deeper page is a 400 naming `page`, as reading it would read that many entries.
 */
export function listPaging(query: { page: number; per_page: number; cursor?: string }): Paging {
  if (query.cursor === undefined && query.page * query.per_page > maxPagedRecords) {
    throw new ValidationError([
      {
        field: 'page',
        code: 'invalid_value',
        message: `Pages reach ${maxPagedRecords} records deep (page × per_page); to read further, follow the link header.`,
      },
    ]);
  }
  return { page: query.page, perPage: query.per_page, cursor: query.cursor };
}

/**
 * The `link` header pointing at the next page, as Freshdesk v2 sends it, while there is one: `page` and
 * `per_page` as v2 has them, and the cursor that resumes the list where this page ended.
 */
export function nextPageLink(
  event: APIGatewayProxyEventV2,
  paging: Paging,
  result: { readonly hasMore: boolean; readonly next?: string },
): Record<string, string> {
  if (!result.hasMore) return {};
  const query = new URLSearchParams(event.rawQueryString ?? '');
  query.set('page', String(paging.page + 1));
  query.set('per_page', String(paging.perPage));
  if (result.next) query.set('cursor', result.next);
  else query.delete('cursor');
  const host = event.headers?.host ?? event.requestContext?.domainName ?? 'localhost';
  const scheme =
    event.headers?.['x-forwarded-proto'] ??
    (host.startsWith('127.0.0.1') || host.startsWith('localhost') ? 'http' : 'https');
  return { link: `<${scheme}://${host}${event.rawPath}?${query.toString()}>; rel="next"` };
}
