import type { ApiKeyHolder } from '#domain/account';
import { AccessDeniedError, AuthenticationError } from '#domain/errors';

/** A read-only key was sent with a method that writes (403, naming the reason). */
export class ReadOnlyApiKeyError extends AccessDeniedError {
  constructor() {
    super('This API key is read-only: it may only read (GET).');
    this.name = 'ReadOnlyApiKeyError';
  }
}

/** The key's expiry has passed (401, as an unknown key). */
export class ExpiredApiKeyError extends AuthenticationError {
  constructor() {
    super('The API key has expired.');
    this.name = 'ExpiredApiKeyError';
  }
}

const readingMethods = new Set(['GET', 'HEAD']);

/**
 * Refuses a request the key does not allow, checked on every request (also for a holder a container
 * remembers): an expired key (401), a read-only key with a method other than GET or HEAD (403).
 */
export function checkKeyAllows(
  holder: Pick<ApiKeyHolder, 'expiresAt' | 'readOnly'>,
  now: number,
  method: string,
): void {
  if (holder.expiresAt !== undefined && Date.parse(holder.expiresAt) <= now) throw new ExpiredApiKeyError();
  if (holder.readOnly && !readingMethods.has(method.toUpperCase())) throw new ReadOnlyApiKeyError();
}

/** The UTC day (YYYY-MM-DD) of an instant, as a key's `last_used_on` names it. */
export const dayOf = (now: number): string => new Date(now).toISOString().slice(0, 10);
