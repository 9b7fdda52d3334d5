import type { Logger } from '@aws-lambda-powertools/logger';
import type middy from '@middy/core';
import {
  AccessDeniedError,
  AccountSuspendedError,
  AuthenticationError,
  CategoryNotAllowedError,
  ConflictError,
  DomainError,
  RateLimitedError,
  NotFoundError,
  PayloadTooLargeError,
  ValidationError,
  WrongRegionError,
} from '#domain/errors';
import { IdentityProviderUnavailableError, SsoRequiredError } from '#domain/sso/sso-errors';
import { type HttpResponse, jsonResponse } from './responses.ts';

/** The one map from error class to HTTP status (the API's documented error format is in docs/api.md). */
const statusByError: ReadonlyArray<[new (...args: never[]) => DomainError, number]> = [
  [ValidationError, 400],
  [AuthenticationError, 401],
  [AccessDeniedError, 403],
  [AccountSuspendedError, 403],
  [CategoryNotAllowedError, 403],
  [NotFoundError, 404],
  [ConflictError, 409],
  [WrongRegionError, 421],
  [RateLimitedError, 429],
  [PayloadTooLargeError, 413],
  [SsoRequiredError, 403],
  [IdentityProviderUnavailableError, 503],
];

const throttlingErrorNames = new Set([
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'SlowDown',
]);

/** Freshdesk v2 error body: `{description, errors:[{field, message, code}]}`, plus code/message on the top. */
export function errorResponse(error: unknown, requestId?: string): HttpResponse {
  if (error instanceof ValidationError) {
    return jsonResponse(400, { description: error.message, errors: error.errors });
  }
  if (error instanceof DomainError) {
    const status = statusByError.find(([type]) => error instanceof type)?.[1] ?? 400;
    const extra =
      error instanceof WrongRegionError
        ? { home_region: error.homeRegion, home_region_name: error.homeRegionName }
        : {};
    return jsonResponse(
      status,
      {
        description: error.message,
        errors: [
          {
            ...(error instanceof AccessDeniedError && error.field ? { field: error.field } : {}),
            code: error.code,
            message: error.message,
          },
        ],
        code: error.code,
        message: error.message,
        ...extra,
      },
      status === 401
        ? { 'www-authenticate': 'Basic realm="helpdesk"' }
        : error instanceof RateLimitedError
          ? {
              'retry-after': String(error.retryAfterSeconds),
              'x-ratelimit-total': String(error.limit),
              'x-ratelimit-remaining': '0',
            }
          : {},
    );
  }
  if (error instanceof Error && throttlingErrorNames.has(error.name)) {
    const message = 'The service is busy; retry after the time given in Retry-After.';
    return jsonResponse(
      503,
      {
        description: message,
        errors: [{ code: 'service_unavailable', message }],
        code: 'service_unavailable',
        message,
      },
      { 'retry-after': '1' },
    );
  }
  const message = 'An internal error occurred. Nothing was changed; retry the request or contact support.';
  return jsonResponse(500, {
    description: message,
    errors: [{ code: 'internal_error', message }],
    code: 'internal_error',
    message,
    ...(requestId ? { request_id: requestId } : {}),
  });
}

/** Turns every thrown error into the documented error body; logs unexpected ones without their message. */
export function errorResponder(logger: Logger): middy.MiddlewareObj<unknown, HttpResponse> {
  return {
    onError: async (request) => {
      const { error } = request;
      if (!(error instanceof DomainError)) {
        // SDK messages can echo key values, so only the error's name and stack frames are logged.
        logger.error('Unhandled error', {
          errorName: error?.name,
          frames: error?.stack?.split('\n').slice(1, 8).join('\n'),
        });
      }
      request.response = errorResponse(error, request.context.awsRequestId);
    },
  };
}
