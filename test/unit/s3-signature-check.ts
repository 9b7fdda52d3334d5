import { createHash, createHmac } from 'node:crypto';

/** A request as S3 receives it through a presigned URL. */
export interface ReceivedRequest {
  readonly method: string;
  readonly url: string;
  /** The request's headers (Host is taken from the URL). */
  readonly headers: Readonly<Record<string, string>>;
  readonly at: Date;
}

/** Why S3 refuses a presigned request, or null when it accepts it. */
export type Refusal = 'SignatureDoesNotMatch' | 'AccessDenied: Request has expired' | null;

/** RFC 3986 percent-encoding, as SigV4 canonicalizes query names and values. */
const encode = (value: string) =>
  encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const hmac = (key: string | Buffer, text: string) => createHmac('sha256', key).update(text, 'utf8').digest();

/**
 * What S3 does with a request made through a presigned URL (SigV4 query authentication, written from
 * AWS's specification, independent of the SDK that signed it): it builds the canonical request from
 * the request as received (every header X-Amz-SignedHeaders names, with the value the request carries),
 * signs it with the secret key of X-Amz-Credential and compares, then checks X-Amz-Date + X-Amz-Expires.
 * s3rver skips all of this for SigV4, so only this check shows which requests AWS would refuse.
 */
export function s3Refusal(request: ReceivedRequest, secretAccessKey: string): Refusal {
  const url = new URL(request.url);
  const query = url.searchParams;
  const headers = new Map<string, string>([['host', url.host]]);
  for (const [name, value] of Object.entries(request.headers)) headers.set(name.toLowerCase(), value.trim());
  const signedHeaders = (query.get('X-Amz-SignedHeaders') ?? '').split(';');
  const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const canonicalQuery = [...query]
    .filter(([name]) => name !== 'X-Amz-Signature')
    .map(([name, value]) => [encode(name), encode(value)] as const)
    .sort(([nameA, valueA], [nameB, valueB]) => byCodePoint(nameA, nameB) || byCodePoint(valueA, valueB))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
  const canonicalRequest = [
    request.method,
    url.pathname,
    canonicalQuery,
    ...signedHeaders.map((name) => `${name}:${headers.get(name) ?? ''}`),
    '',
    signedHeaders.join(';'),
    'UNSIGNED-PAYLOAD',
  ].join('\n');
  const amzDate = query.get('X-Amz-Date') ?? '';
  const [, day = '', region = '', service = ''] = (query.get('X-Amz-Credential') ?? '').split('/');
  const scope = `${day}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
  const signingKey = [day, region, service, 'aws4_request'].reduce<Buffer | string>(
    (key, part) => hmac(key, part),
    `AWS4${secretAccessKey}`,
  );
  if (hmac(signingKey, stringToSign).toString('hex') !== query.get('X-Amz-Signature')) {
    return 'SignatureDoesNotMatch';
  }
  const signedAt = Date.parse(
    amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'),
  );
  const expiresAt = signedAt + Number(query.get('X-Amz-Expires')) * 1000;
  return request.at.getTime() > expiresAt ? 'AccessDenied: Request has expired' : null;
}
