import type { SearchCatalogue, SearchField } from './search-fields.ts';

/**
 * A record as search sees it: each searchable field under its own name (tickets: `agent_id` for the
 * responder, `tag` for the tags, custom fields by their `cf_` name). Dates are ISO instants; a string
 * field may hold a list (tags, domains).
 */
export type SearchDocument = Readonly<Record<string, unknown>>;

/** A lookup item a record's write puts beside it: `value` null marks "the field has no value". */
export interface LookupEntry {
  readonly field: string;
  readonly value: string | number | boolean | null;
}

/** The field's normalised values in a record, none when it is empty. */
function normalisedValues(field: SearchField, raw: unknown): (string | number | boolean)[] {
  const values = Array.isArray(raw) ? (raw as unknown[]) : [raw];
  return values.flatMap((value): (string | number | boolean)[] => {
    switch (field.type) {
      case 'id':
      case 'enum':
      case 'number':
        return typeof value === 'number' ? [value] : [];
      case 'boolean':
        return typeof value === 'boolean' ? [value] : [];
      case 'date': {
        const at = typeof value === 'string' ? Date.parse(value) : Number.NaN;
        return Number.isNaN(at) ? [] : [new Date(at).toISOString()];
      }
      case 'string': {
        const text = typeof value === 'string' ? (field.normalise?.(value) ?? value) : '';
        return text ? [text] : [];
      }
    }
  });
}

/**
 * The lookup items a record needs so that every query plan can find it: one per distinct normalised
 * value of each searchable field, or one "no value" item for an empty field.
 */
export function lookupEntries(document: SearchDocument, catalogue: SearchCatalogue): LookupEntry[] {
  return catalogue.fields.flatMap((field): LookupEntry[] => {
    const values = [...new Set(normalisedValues(field, document[field.name]))];
    return values.length
      ? values.map((value) => ({ field: field.name, value }))
      : [{ field: field.name, value: null }];
  });
}
