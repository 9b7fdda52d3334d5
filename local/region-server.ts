import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type ApiFunctionName, apiFunctions, apiRoutes } from '#lib/platform/api-routes';
import { hostingRegion, isHostingRegionKey } from '#lib/residency/index';
import {
  compileRoutes,
  fitsLambdaInvoke,
  type LambdaHandler,
  lambdaContext,
  lowerCaseHeaders,
  readBody,
  toApiGatewayEvent,
  writeGatewayError,
  writeResult,
} from './api-gateway-adapter.ts';
import { type IamIdentity, verifyIamRequest } from './iam-request-auth.ts';

/**
 * One hosting region's HTTP API, run as its own process with the environment the region's Lambda
 * functions get, so handlers read their configuration exactly as on AWS. It serves on a free loopback
 * port and tells the parent which one over IPC.
 */
const repoRoot = resolve(import.meta.dirname, '..');
const matchRoute = compileRoutes(apiRoutes);
const handlers = new Map<ApiFunctionName, Promise<LambdaHandler>>();
const homeRegion = process.env.HOME_REGION ?? '';
/** Operator routes are signed for the region's AWS region, as API Gateway there expects. */
const signingRegion = isHostingRegionKey(homeRegion) ? hostingRegion(homeRegion).awsRegion : '';

function loadHandler(name: ApiFunctionName): Promise<LambdaHandler> {
  let handler = handlers.get(name);
  if (!handler) {
    const entry = pathToFileURL(resolve(repoRoot, apiFunctions[name].entry)).href;
    handler = import(entry).then((module: { handler: LambdaHandler }) => module.handler);
    handlers.set(name, handler);
  }
  return handler;
}

const server = createServer(async (request, response) => {
  const requestId = randomUUID();
  try {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const matched = matchRoute(request.method ?? 'GET', path);
    if (!matched) return writeGatewayError(response, 404, requestId);
    const body = await readBody(request);
    if (body === 'too_large') return writeGatewayError(response, 413, requestId);
    let iam: IamIdentity | undefined;
    if (matched.route.authorization === 'iam') {
      // API Gateway's IAM authorization: an unsigned or badly signed request never reaches the function.
      iam = await verifyIamRequest(
        {
          method: request.method ?? 'GET',
          url: request.url ?? '/',
          headers: lowerCaseHeaders(request),
          body,
        },
        signingRegion,
      );
      if (!iam) return writeGatewayError(response, 403, requestId);
    }
    const event = toApiGatewayEvent(request, body, matched.route, matched.pathParameters, iam);
    if (!fitsLambdaInvoke(event)) return writeGatewayError(response, 413, requestId);
    const handler = await loadHandler(matched.route.function);
    const result = await handler(
      event,
      lambdaContext(matched.route.function, event.requestContext.requestId),
    );
    writeResult(response, result, event.requestContext.requestId);
  } catch (error) {
    // A function that throws is what API Gateway reports as 500 Internal Server Error.
    process.stderr.write(`function failed: ${(error as Error)?.name}\n`);
    if (!response.headersSent) writeGatewayError(response, 500, requestId);
  }
});

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.send?.({ type: 'listening', port });
});

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
// The parent's exit closes the IPC channel: never outlive it.
process.on('disconnect', () => process.exit(0));
