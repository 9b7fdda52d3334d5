/**
 * How a field of a record kind is stored: `personal` fields (names, e-mail addresses, phones,
 * addresses, job titles, subjects, descriptions, bodies, feedback, custom fields, file names, any free
 * text) are sealed under the key of the record's data subject; `plain` fields (ids, codes, booleans,
 * timestamps, enums) stay readable, so the platform can index, filter and count by them.
 */
export type FieldClass = 'personal' | 'plain';

/**
 * A record kind's declaration: every field of its fields type, classed once. A mapped type over the
 * fields type, so a field added to the type without a class here fails `tsc` (docs/encryption.md).
 */
export type PersonalFieldDeclaration<F extends object> = { readonly [K in keyof F]-?: FieldClass };
