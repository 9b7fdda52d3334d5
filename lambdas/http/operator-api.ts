import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyEventV2WithIAMAuthorizer } from 'aws-lambda';
import { NotFoundError } from '#domain/errors';
import { type IamCaller, operatorActor } from '#domain/operators/operator-identity';
import type { Actor } from '#domain/records/record';
import type { ApiHandler } from './api-handler.ts';
import { errorResponder } from './error-responder.ts';
import { requestLog } from './request-log.ts';
import { requestMetrics } from './request-metrics.ts';
import type { HttpResponse } from './responses.ts';

export type OperatorRoute = (event: APIGatewayProxyEventV2, operator: Actor) => Promise<HttpResponse>;

/** The IAM identity API Gateway verified (IAM authorization), if the event carries one. */
export function iamCallerOf(event: APIGatewayProxyEventV2): IamCaller | undefined {
  return (event as Partial<APIGatewayProxyEventV2WithIAMAuthorizer>).requestContext?.authorizer?.iam;
}

/**
 * The operator interface: API Gateway has verified the caller's SigV4 signature and IAM permission
 * (`execute-api:Invoke` on the route) before the function runs; the function takes the operator's
 * identity from what the gateway passed on, and refuses (403) an event without one: fail closed, should
 * a route ever be deployed without IAM authorization. Logging and the error format as every route.
 */
export function operatorApi(
  deps: { readonly logger: Logger; readonly metrics?: Metrics },
  routes: Readonly<Record<string, OperatorRoute>>,
): ApiHandler {
  const api = middy<APIGatewayProxyEventV2, HttpResponse>()
    .use(injectLambdaContext(deps.logger, { resetKeys: true }))
    .use(requestLog(deps.logger));
  if (deps.metrics) api.use(requestMetrics(deps.metrics));
  return api.use(errorResponder(deps.logger)).handler(async (event) => {
    const operator = operatorActor(iamCallerOf(event));
    const route = routes[event.routeKey];
    if (!route) throw new NotFoundError();
    return route(event, operator);
  });
}
