import { isUtf8 } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import type { ApiRoute } from '#lib/platform/api-routes';
import type { IamIdentity } from './iam-request-auth.ts';

/** API Gateway HTTP APIs accept request bodies up to 10 MB. */
const maxBodyBytes = 10 * 1024 * 1024;
const textContentTypes = /^(application\/(json|x-www-form-urlencoded|xml)|text\/)/i;

export type LambdaHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyResultV2>;

interface CompiledRoute {
  readonly route: ApiRoute;
  readonly pattern: RegExp;
  readonly parameterNames: string[];
}

/** Matches request paths against API Gateway route paths (`/tickets/{id}`, greedy `{proxy+}`). */
export function compileRoutes(routes: readonly ApiRoute[]): (
  method: string,
  path: string,
) =>
  | {
      route: ApiRoute;
      pathParameters: Record<string, string>;
    }
  | undefined {
  const compiled: CompiledRoute[] = routes.map((route) => {
    const parameterNames: string[] = [];
    const source = route.path
      .split('/')
      .map((segment) => {
        const parameter = /^\{(\w+)(\+?)\}$/.exec(segment);
        if (!parameter?.[1]) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        parameterNames.push(parameter[1]);
        return parameter[2] ? '(.+)' : '([^/]+)';
      })
      .join('/');
    return { route, pattern: new RegExp(`^${source}$`), parameterNames };
  });
  // API Gateway picks the most specific route: literal segments beat `{param}`, which beats `{proxy+}`.
  const specificity = (route: ApiRoute) =>
    route.path
      .split('/')
      .map((segment) => (segment.endsWith('+}') ? '2' : segment.startsWith('{') ? '1' : '0'))
      .join('');
  compiled.sort((a, b) => specificity(a.route).localeCompare(specificity(b.route)));
  return (method, path) => {
    for (const { route, pattern, parameterNames } of compiled) {
      if (route.method !== method) continue;
      const match = pattern.exec(path);
      if (!match) continue;
      const pathParameters = Object.fromEntries(
        parameterNames.map((name, index) => [name, decodePathParameter(match[index + 1] ?? '')]),
      );
      return { route, pathParameters };
    }
    return undefined;
  };
}

/**
 * A path parameter's value, percent-decoded. A segment that is not valid percent-encoding (`%zz`, or
 * `%FF`, which is no UTF-8) is passed on as sent: decodeURIComponent throws on it, and a throw here was
 * answered 500 for what is a client's malformed request. The function then refuses the value (404).
 */
function decodePathParameter(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Reads a request body, refusing bodies larger than API Gateway would accept. */
export async function readBody(request: IncomingMessage): Promise<Buffer | 'too_large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > maxBodyBytes) return 'too_large';
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** The request's headers as API Gateway passes them: lower-case names, repeated values comma-joined. */
export function lowerCaseHeaders(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  return headers;
}

/** Builds the payload-format-2.0 event API Gateway would send for this request. */
export function toApiGatewayEvent(
  request: IncomingMessage,
  body: Buffer,
  route: ApiRoute,
  pathParameters: Record<string, string>,
  /** The caller's verified IAM identity, on routes with IAM authorization (as API Gateway passes it). */
  iam?: IamIdentity,
): APIGatewayProxyEventV2 {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const headers = lowerCaseHeaders(request);
  const queryStringParameters: Record<string, string> = {};
  for (const [name, value] of url.searchParams) {
    queryStringParameters[name] =
      name in queryStringParameters ? `${queryStringParameters[name]},${value}` : value;
  }
  const contentType = headers['content-type'] ?? '';
  // Bytes that are not UTF-8 go base64-encoded even under a text content type: decoding them to a string
  // replaced them with U+FFFD, so a function stored data the client never sent instead of refusing it.
  const isText = body.length === 0 || (textContentTypes.test(contentType) && isUtf8(body));
  const now = new Date();
  const requestId = randomUUID();
  const routeKey = `${route.method} ${route.path}`;
  return {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    cookies: headers.cookie?.split(';').map((cookie) => cookie.trim()),
    headers,
    queryStringParameters: url.search ? queryStringParameters : undefined,
    pathParameters: Object.keys(pathParameters).length ? pathParameters : undefined,
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'local',
      http: {
        method: route.method,
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId,
      routeKey,
      stage: '$default',
      time: now.toISOString(),
      timeEpoch: now.getTime(),
      ...(iam && { authorizer: { iam } }),
    },
    body: body.length === 0 ? undefined : isText ? body.toString('utf8') : body.toString('base64'),
    isBase64Encoded: !isText,
  };
}

/** Lambda takes at most 6 MB of event from a synchronous invoke (API Gateway answers 413 past it). */
export const lambdaMaxEventBytes = 6 * 1024 * 1024;

/** Whether API Gateway could hand this event to a function: a base64 body counts at its encoded size. */
export function fitsLambdaInvoke(event: APIGatewayProxyEventV2): boolean {
  return Buffer.byteLength(JSON.stringify(event)) <= lambdaMaxEventBytes;
}

/** The Lambda context object the runtime passes to handlers. */
export function lambdaContext(functionName: string, requestId: string, timeoutMs = 29_000): Context {
  const deadline = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** Writes a handler's result as API Gateway does (structured result, or a bare value as JSON). */
export function writeResult(
  response: ServerResponse,
  result: APIGatewayProxyResultV2,
  requestId: string,
): void {
  response.setHeader('apigw-requestid', requestId);
  if (typeof result === 'string' || !result || typeof result !== 'object' || !('statusCode' in result)) {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(typeof result === 'string' ? result : JSON.stringify(result));
    return;
  }
  for (const [name, value] of Object.entries(result.headers ?? {})) response.setHeader(name, String(value));
  if (result.cookies?.length) response.setHeader('set-cookie', result.cookies);
  response.writeHead(result.statusCode ?? 200);
  const body = result.body ?? '';
  response.end(result.isBase64Encoded ? Buffer.from(body, 'base64') : body);
}

/**
 * API Gateway's own answers where no function runs (a request IAM authorization refuses, unknown route,
 * oversize body, function failure).
 */
export function writeGatewayError(
  response: ServerResponse,
  status: 403 | 404 | 413 | 500,
  requestId: string,
): void {
  const message = {
    403: 'Forbidden',
    404: 'Not Found',
    413: 'Request Entity Too Large',
    500: 'Internal Server Error',
  }[status];
  response.setHeader('apigw-requestid', requestId);
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify({ message }));
}
