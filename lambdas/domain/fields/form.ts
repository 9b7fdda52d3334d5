import { AccessDeniedError, type FieldError, ValidationError } from '#domain/errors';
import { defaultFields } from './default-fields.ts';
import { type FieldAudience, isHiddenFrom, isReadOnlyFor, isRequiredOf } from './field-audience.ts';
import type { FieldDefinitionFields, FieldKind, StoredField } from './field-definition.ts';

type Values = Readonly<Record<string, unknown>>;

const isBlank = (value: unknown) =>
  value === undefined ||
  value === null ||
  (typeof value === 'string' && value.trim() === '') ||
  (Array.isArray(value) && value.length === 0);

/** Why a custom field's value does not fit its definition, if it does not. */
function valueProblem(field: FieldDefinitionFields, value: unknown): Omit<FieldError, 'field'> | undefined {
  if (value === null) return undefined;
  const mismatch = (expected: string) => ({
    message: `It should be a/an ${expected}`,
    code: 'datatype_mismatch',
  });
  switch (field.type) {
    case 'custom_text':
    case 'custom_paragraph': {
      if (typeof value !== 'string') return mismatch('String');
      const max = field.type === 'custom_text' ? 255 : 10_000;
      return value.length > max
        ? { message: `It should be at most ${max} characters long`, code: 'invalid_value' }
        : undefined;
    }
    case 'custom_checkbox':
      return typeof value === 'boolean' ? undefined : mismatch('Boolean');
    case 'custom_number':
      return Number.isSafeInteger(value) ? undefined : mismatch('Integer');
    case 'custom_decimal':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : mismatch('Number');
    case 'custom_date': {
      if (typeof value !== 'string') return mismatch('String');
      const valid = /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`));
      const roundTrips = valid && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value);
      return roundTrips ? undefined : { message: 'It should be a date as YYYY-MM-DD', code: 'invalid_value' };
    }
    case 'custom_dropdown':
      return typeof value === 'string' && field.choices.some((choice) => choice.value === value)
        ? undefined
        : {
            message: `It should be one of these values: ${field.choices.map((c) => c.value).join(',')}`,
            code: 'invalid_value',
          };
    default:
      return undefined;
  }
}

/**
 * The fields of a form (contact or ticket) as one caller sees them: which custom fields exist and what
 * they hold, which are required, which the caller may not see (contact fields an admin hid from their
 * role; for a requester, fields not displayed to customers) and which they see but may not write (for a
 * requester, fields customers cannot edit). See field-audience.ts.
 */
export class Form {
  private readonly custom: ReadonlyMap<string, FieldDefinitionFields>;
  /** Record keys of the built-in fields hidden from the caller (e.g. `phone`). */
  private readonly hiddenKeys: ReadonlySet<string>;
  /** Names of the custom fields hidden from the caller. */
  private readonly hiddenCustom: ReadonlySet<string>;
  /** Record keys of the built-in fields the caller sees but may not write. */
  private readonly readOnlyKeys: ReadonlySet<string>;
  /** Names of the custom fields the caller sees but may not write. */
  private readonly readOnlyCustom: ReadonlySet<string>;

  constructor(
    readonly kind: FieldKind,
    private readonly definitions: readonly StoredField[],
    private readonly audience: FieldAudience,
  ) {
    this.custom = new Map(
      definitions.filter((d) => !d.fields.default).map((d) => [d.fields.name, d.fields] as const),
    );
    const fields = definitions.map((d) => d.fields);
    const hidden = fields.filter((field) => isHiddenFrom(kind, field, audience));
    const readOnly = fields.filter(
      (field) => !isHiddenFrom(kind, field, audience) && isReadOnlyFor(kind, field, audience),
    );
    this.hiddenKeys = new Set(
      hidden.filter((field) => field.default).flatMap((field) => this.keysOf(field.name)),
    );
    this.hiddenCustom = new Set(hidden.filter((field) => !field.default).map((field) => field.name));
    this.readOnlyKeys = new Set(
      readOnly.filter((field) => field.default).flatMap((field) => this.keysOf(field.name)),
    );
    this.readOnlyCustom = new Set(readOnly.filter((field) => !field.default).map((field) => field.name));
  }

  /**
   * Checks a write: hidden fields and fields the caller may not edit are refused (403 naming the field),
   * custom fields must be defined and fit their type, and fields required of the caller must be filled
   * (on create; on update those it touches). `result` is the record's fields as they would be stored.
   */
  checkWrite(input: Values, result: Values, mode: 'create' | 'update'): void {
    const customInput = (input.custom_fields ?? {}) as Values;
    const customResult = (result.custom_fields ?? {}) as Values;
    for (const key of Object.keys(input)) {
      if (this.hiddenKeys.has(key)) this.refuse(key);
      if (this.readOnlyKeys.has(key)) this.refuseWrite(key);
    }
    for (const name of Object.keys(customInput)) {
      if (this.hiddenCustom.has(name)) this.refuse(`custom_fields.${name}`);
      if (this.readOnlyCustom.has(name)) this.refuseWrite(`custom_fields.${name}`);
    }
    const errors: FieldError[] = [];
    for (const [name, value] of Object.entries(customInput)) {
      const field = this.custom.get(name);
      const problem = field
        ? valueProblem(field, value)
        : { message: 'Unexpected/invalid field in request', code: 'invalid_field' };
      if (problem) errors.push({ field: `custom_fields.${name}`, ...problem });
    }
    errors.push(...this.choiceProblems(input));
    for (const { fields: field } of this.definitions) {
      if (!isRequiredOf(field, this.audience)) continue;
      if (field.default) {
        const [key] = this.keysOf(field.name);
        if (!key || this.hiddenKeys.has(key) || this.readOnlyKeys.has(key)) continue;
        if ((mode === 'create' || key in input) && isBlank(result[key])) errors.push(missing(key));
      } else if (!this.hiddenCustom.has(field.name) && !this.readOnlyCustom.has(field.name)) {
        const touched = mode === 'create' || field.name in customInput;
        if (touched && isBlank(customResult[field.name])) errors.push(missing(`custom_fields.${field.name}`));
      }
    }
    if (errors.length) throw new ValidationError(errors);
  }

  /**
   * Built-in fields whose values are their choices (a ticket's `type`): a value given must be one of
   * them (null clears it), else 400 `invalid_value` naming the record key, as v2 answers.
   */
  private choiceProblems(input: Values): FieldError[] {
    return this.definitions.flatMap(({ fields: field }) => {
      const [key] = field.default && field.choices.length > 0 ? this.keysOf(field.name) : [];
      const value = key === undefined ? null : input[key];
      if (key === undefined || value === undefined || value === null) return [];
      if (field.choices.some((choice) => choice.value === value)) return [];
      const values = field.choices.map((choice) => choice.value).join(',');
      return [{ field: key, message: `It should be one of these values: ${values}`, code: 'invalid_value' }];
    });
  }

  /** Refuses reading by a record key the caller may not see (e.g. a `phone` filter). */
  requireVisible(key: string): void {
    if (this.hiddenKeys.has(key)) this.refuse(key);
  }

  /** A record's view without the fields hidden from the caller. */
  redact<V extends { custom_fields?: Values }>(view: V): V {
    if (this.hiddenKeys.size === 0 && this.hiddenCustom.size === 0) return view;
    const shown = Object.fromEntries(Object.entries(view).filter(([key]) => !this.hiddenKeys.has(key)));
    if (view.custom_fields) {
      shown.custom_fields = Object.fromEntries(
        Object.entries(view.custom_fields).filter(([name]) => !this.hiddenCustom.has(name)),
      );
    }
    return shown as V;
  }

  private keysOf(name: string): readonly string[] {
    return defaultFields[this.kind].find((field) => field.name === name)?.keys ?? [];
  }

  private refuse(field: string): never {
    const message =
      this.audience.kind === 'agent'
        ? `The field ${field} is hidden from the ${this.audience.role} role; it cannot be read or written by it.`
        : `The field ${field} is not shown to requesters; it cannot be written with a portal token.`;
    throw new AccessDeniedError(message, field);
  }

  private refuseWrite(field: string): never {
    throw new AccessDeniedError(
      `The field ${field} cannot be changed by requesters; ask the helpdesk to change it.`,
      field,
    );
  }
}

/**
 * An update as a function of the version read: custom fields given are merged into the record's (v2
 * changes only those named), and the result is checked against the form.
 */
export function checkedChanges<F extends { custom_fields: Record<string, unknown> }>(
  form: Form,
  changes: Partial<F>,
) {
  return (previous: { readonly fields: F }): Partial<F> => {
    const merged = changes.custom_fields
      ? { ...changes, custom_fields: { ...previous.fields.custom_fields, ...changes.custom_fields } }
      : changes;
    form.checkWrite(changes, { ...previous.fields, ...merged }, 'update');
    return merged;
  };
}

const missing = (field: string): FieldError => ({
  field,
  message: 'It should be specified',
  code: 'missing_field',
});
