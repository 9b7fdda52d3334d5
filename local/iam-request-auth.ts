import { createHash, timingSafeEqual } from 'node:crypto';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import type { APIGatewayEventRequestContextIAMAuthorizer } from 'aws-lambda';
import { localAwsAccountId, localOperatorCredentials, localOperatorRoleArn } from './local-credentials.ts';

/** API Gateway refuses a request signed more than 5 minutes before or after its own clock. */
export const maxClockSkewMs = 5 * 60 * 1000;

/** What the local gateway needs of an incoming request to check its signature. */
export interface IncomingSignedRequest {
  readonly method: string;
  /** Path and query string as sent (`/operator/v1/accounts?limit=5`). */
  readonly url: string;
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

export type IamIdentity = APIGatewayEventRequestContextIAMAuthorizer['iam'];

const authorizationPattern =
  /^AWS4-HMAC-SHA256 Credential=([^/\s]+)\/(\d{8})\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;-]+),\s*Signature=([0-9a-f]{64})$/;

/**
 * What API Gateway's IAM authorization does, for the local platform: the request must carry a SigV4
 * signature (`Authorization` header, service `execute-api`, the region's signing region) made with the
 * local operator's credentials, dated within 5 minutes of now; the signature is computed again with
 * @smithy/signature-v4 over the request as received (method, path, query, signed headers, body) and
 * compared in constant time. Answers the caller's IAM identity, or undefined (API Gateway: 403).
 */
export async function verifyIamRequest(
  request: IncomingSignedRequest,
  signingRegion: string,
  now: Date = new Date(),
): Promise<IamIdentity | undefined> {
  const match = authorizationPattern.exec(request.headers.authorization ?? '');
  if (!match) return undefined;
  const [, accessKeyId, scopeDay, region, service, signedHeaderList = '', signature = ''] = match;
  if (accessKeyId !== localOperatorCredentials.accessKeyId) return undefined;
  if (region !== signingRegion || service !== 'execute-api') return undefined;
  const amzDate = request.headers['x-amz-date'] ?? '';
  const signedAt = parseAmzDate(amzDate);
  if (!signedAt || amzDate.slice(0, 8) !== scopeDay) return undefined;
  if (Math.abs(now.getTime() - signedAt.getTime()) > maxClockSkewMs) return undefined;
  const signedHeaders = signedHeaderList.split(';');
  if (!signedHeaders.includes('host') || !signedHeaders.includes('x-amz-date')) return undefined;
  // The signer trusts a declared payload hash: it must be the body's (no unsigned payloads).
  const declaredHash = request.headers['x-amz-content-sha256'];
  if (
    declaredHash !== undefined &&
    declaredHash !== createHash('sha256').update(request.body).digest('hex')
  ) {
    return undefined;
  }

  const url = new URL(request.url, 'http://placeholder');
  const query: Record<string, string | string[]> = {};
  for (const [name, value] of url.searchParams) {
    const existing = query[name];
    query[name] =
      existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
  }
  const headers: Record<string, string> = {};
  for (const name of signedHeaders) {
    const value = request.headers[name];
    if (value === undefined) return undefined;
    headers[name] = value;
  }
  const signer = new SignatureV4({
    credentials: localOperatorCredentials,
    region: signingRegion,
    service: 'execute-api',
    sha256: Hash.bind(null, 'sha256'),
  });
  const expected = await signer.sign(
    {
      method: request.method,
      protocol: 'http:',
      hostname: headers.host ?? '',
      path: url.pathname,
      query,
      headers,
      body: request.body.length ? request.body : undefined,
    },
    { signingDate: signedAt },
  );
  const expectedSignature = /Signature=([0-9a-f]{64})/.exec(expected.headers.authorization ?? '')?.[1] ?? '';
  if (!safeEqual(expectedSignature, signature)) return undefined;
  return {
    accessKey: accessKeyId,
    accountId: localAwsAccountId,
    callerId: 'AROALOCALOPERATOR000:local',
    cognitoIdentity: null,
    principalOrgId: '',
    userArn: localOperatorRoleArn,
    userId: 'AROALOCALOPERATOR000:local',
  };
}

/** `20261207T135500Z` as a Date, or undefined. */
function parseAmzDate(value: string): Date | undefined {
  const parts = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!parts) return undefined;
  const [, y, mo, d, h, mi, s] = parts.map(Number) as number[];
  const date = new Date(Date.UTC(y ?? 0, (mo ?? 1) - 1, d, h, mi, s));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
