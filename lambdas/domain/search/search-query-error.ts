import { ValidationError } from '#domain/errors';

/**
 * A query that does not parse or does not fit the searched resource's fields. The API answers v2's 400:
 * `{"description":"Validation failed","errors":[{"field":"query","message":"…","code":"invalid_value"}]}`.
 * Messages name fields, keywords and positions, never a value from the query (it may be personal data).
 */
export class SearchQueryError extends ValidationError {
  constructor(
    /** 0-based offset into the text between the query's double quotes. */
    readonly position: number,
    detail: string,
  ) {
    super([{ field: 'query', message: `${detail} at position ${position}`, code: 'invalid_value' }]);
    this.name = 'SearchQueryError';
  }
}
