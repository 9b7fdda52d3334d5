import type { z } from 'zod';
import type { IdSpace, ImportItem, ImportKind, RecordFailure, SourceRef } from './import-item.ts';
import type { SourceEntity } from './migration.ts';

/** Why a zod issue refused a value, in words that never quote the value. */
function reasonOf(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'too_big':
      return issue.origin === 'array'
        ? `It has more than ${String(issue.maximum)} items.`
        : `It is longer than ${String(issue.maximum)} characters.`;
    case 'too_small':
      return issue.origin === 'array' ? 'It has too few items.' : 'It should not be blank.';
    case 'invalid_type':
      return `It should be ${issue.expected === 'string' ? 'text' : `a ${issue.expected}`}.`;
    case 'invalid_format':
      return issue.format === 'email'
        ? 'It is not a valid e-mail address.'
        : `It is not a valid ${issue.format}.`;
    default:
      return issue.message;
  }
}

/**
 * Reads one source record's fields into an ImportItem, collecting every problem as a failure of that
 * record (field named as the source names it) instead of throwing.
 */
export class FieldReader {
  readonly failures: RecordFailure[] = [];
  readonly sourceId: string | null;

  constructor(
    private readonly entity: SourceEntity,
    private readonly line: number,
    private readonly raw: Record<string, unknown>,
    idField = 'id',
  ) {
    const id = raw[idField];
    this.sourceId =
      (typeof id === 'number' && Number.isSafeInteger(id)) ||
      (typeof id === 'string' && /^[A-Za-z0-9_.:-]{1,64}$/.test(id))
        ? String(id)
        : null;
    if (this.sourceId === null) {
      this.fail(
        idField,
        id === undefined || id === null
          ? 'It is required.'
          : 'It should be a number or an id of letters, digits and _.:- (at most 64).',
      );
    }
  }

  fail(field: string | null, reason: string): undefined {
    this.failures.push({ entity: this.entity, line: this.line, source_id: this.sourceId, field, reason });
    return undefined;
  }

  has(name: string): boolean {
    return this.raw[name] !== undefined && this.raw[name] !== null && this.raw[name] !== '';
  }

  text(name: string): string | undefined {
    const value = this.raw[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string') return value;
    if (typeof value === 'number') return String(value);
    return this.fail(name, 'It should be text.');
  }

  integer(name: string): number | undefined {
    const value = this.raw[name];
    if (value === undefined || value === null || value === '') return undefined;
    const number = typeof value === 'string' && /^-?[0-9]{1,15}$/.test(value.trim()) ? Number(value) : value;
    return typeof number === 'number' && Number.isSafeInteger(number)
      ? number
      : this.fail(name, 'It should be a whole number.');
  }

  boolean(name: string): boolean | undefined {
    const value = this.raw[name];
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value === 'boolean') return value;
    if (value === 'true' || value === 'false') return value === 'true';
    return this.fail(name, 'It should be true or false.');
  }

  /** A list: a JSON array of text, or (CSV) text separated by semicolons. */
  list(name: string): string[] | undefined {
    const value = this.raw[name];
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value === 'string')
      return value
        .split(';')
        .map((item) => item.trim())
        .filter(Boolean);
    if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value as string[];
    return this.fail(name, 'It should be a list of text.');
  }

  /** An instant (ISO 8601 with offset), normalised to UTC milliseconds. */
  instant(name: string): string | undefined {
    const value = this.raw[name];
    if (value === undefined || value === null || value === '') return undefined;
    const parsed =
      typeof value === 'string' &&
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(value)
        ? Date.parse(value)
        : Number.NaN;
    return Number.isNaN(parsed)
      ? this.fail(name, 'It should be a date and time (ISO 8601, with an offset).')
      : new Date(parsed).toISOString();
  }

  /** A reference to another source record; `required` fails the record without one. */
  ref(name: string, space: IdSpace, kinds: readonly ImportKind[], required = false): SourceRef | undefined {
    const value = this.raw[name];
    if (value === undefined || value === null || value === '') {
      return required ? this.fail(name, 'It is required.') : undefined;
    }
    if (
      (typeof value === 'number' && Number.isSafeInteger(value)) ||
      (typeof value === 'string' && /^[A-Za-z0-9_.:-]{1,64}$/.test(value))
    ) {
      return { space, sourceId: String(value), kinds, field: name };
    }
    return this.fail(name, 'It should be a source id (a number, or letters, digits and _.:-).');
  }

  /**
   * Validates the mapped fields with the record type's own schema (the API's limits), naming each
   * refused field by its source name (`names`: our field → the source's).
   */
  validate<S extends z.ZodType>(
    schema: S,
    fields: Record<string, unknown>,
    names: Readonly<Record<string, string>> = {},
  ): z.infer<S> | undefined {
    const defined = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
    const result = schema.safeParse(defined);
    if (result.success) return result.data;
    for (const issue of result.error.issues) {
      const field = issue.path.length ? String(issue.path[0]) : null;
      this.fail(field && (names[field] ?? field), reasonOf(issue));
    }
    return undefined;
  }

  /** The item, or undefined if anything failed. */
  item(
    fields: Record<string, unknown> | undefined,
    spec: {
      kind: ImportKind;
      space: IdSpace;
      refs?: Record<string, SourceRef | undefined>;
      children?: ImportItem[];
    },
  ): ImportItem | undefined {
    if (this.failures.length || !fields || this.sourceId === null) return undefined;
    const createdAt = this.instant('created_at');
    const updatedAt = this.instant('updated_at');
    if (this.failures.length) return undefined;
    return {
      entity: this.entity,
      line: this.line,
      kind: spec.kind,
      space: spec.space,
      sourceId: this.sourceId,
      ...(createdAt && { createdAt }),
      ...(updatedAt && { updatedAt }),
      fields,
      refs: Object.fromEntries(
        Object.entries(spec.refs ?? {}).filter(
          (entry): entry is [string, SourceRef] => entry[1] !== undefined,
        ),
      ),
      ...(spec.children && { children: spec.children }),
    };
  }
}
