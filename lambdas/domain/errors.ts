/**
 * Named errors of the domain. Each carries a stable machine code; the HTTP layer maps each class to
 * one status (lambdas/http/error-responder.ts). Messages never contain personal data or field values.
 */
export interface FieldError {
  readonly field: string;
  readonly message: string;
  readonly code: string;
}

export class DomainError extends Error {
  constructor(
    message: string,
    readonly code: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'DomainError';
  }
}

export class AuthenticationError extends DomainError {
  constructor(message = 'You have to be logged in to perform this action.') {
    super(message, 'invalid_credentials');
    this.name = 'AuthenticationError';
  }
}

export class AccessDeniedError extends DomainError {
  constructor(
    message = 'You are not authorized to perform this action.',
    /** The field the caller may not read or write, when the refusal is about one. */
    readonly field?: string,
  ) {
    super(message, 'access_denied');
    this.name = 'AccessDeniedError';
  }
}

export class NotFoundError extends DomainError {
  constructor(message = 'The requested resource could not be found.') {
    super(message, 'not_found');
    this.name = 'NotFoundError';
  }
}

export class ValidationError extends DomainError {
  constructor(
    readonly errors: readonly FieldError[],
    message = 'Validation failed',
  ) {
    super(message, 'invalid_value');
    this.name = 'ValidationError';
  }
}

export class ConflictError extends DomainError {
  constructor(message: string) {
    super(message, 'conflict');
    this.name = 'ConflictError';
  }
}

/** The residency matrix does not allow this data category in the account's home region. */
export class CategoryNotAllowedError extends DomainError {
  constructor(
    readonly category: string,
    readonly regionName: string,
    allowedIn: string,
  ) {
    super(
      `Residency rule: ${category.replaceAll('_', ' ')} are not hosted in ${regionName}; this product keeps them in ${allowedIn} only. Nothing was stored.`,
      'category_not_allowed',
    );
    this.name = 'CategoryNotAllowedError';
  }
}

/** The account used up its request budget for the current minute. */
export class RateLimitedError extends DomainError {
  constructor(
    readonly retryAfterSeconds: number,
    readonly limit: number,
  ) {
    super(
      `You have exceeded the limit of ${limit} requests per minute. Retry after ${retryAfterSeconds} seconds.`,
      'rate_limited',
    );
    this.name = 'RateLimitedError';
  }
}

/** The account is homed in another hosting region; nothing was read or written here. */
export class WrongRegionError extends DomainError {
  constructor(
    readonly homeRegion: string,
    readonly homeRegionName: string,
  ) {
    super(
      `This account's data is hosted in the ${homeRegionName} region (${homeRegion}); send the request to that region's API.`,
      'wrong_region',
    );
    this.name = 'WrongRegionError';
  }
}

/** A request body larger than the route accepts (e.g. a multipart upload past the API's limit). */
export class PayloadTooLargeError extends DomainError {
  constructor(message: string) {
    super(message, 'payload_too_large');
    this.name = 'PayloadTooLargeError';
  }
}

/** The caller's account is suspended by the vendor: its keys and tokens are refused (403); nothing was read. */
export class AccountSuspendedError extends DomainError {
  constructor() {
    super('This account is suspended. Contact your service provider.', 'account_suspended');
    this.name = 'AccountSuspendedError';
  }
}
