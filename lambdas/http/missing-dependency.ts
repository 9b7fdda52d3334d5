/**
 * A handler was composed without something a security check needs (the record store behind agents'
 * profiles and ticket scopes, the rate limiter). Thrown when the handler is built, before it serves
 * any request: a check is never skipped because its dependency is missing.
 */
export class MissingDependencyError extends Error {
  constructor(readonly dependency: string) {
    super(`The API handler cannot start without its ${dependency}: a security check depends on it.`);
    this.name = 'MissingDependencyError';
  }
}
