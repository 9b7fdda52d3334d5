import type { StoredRecord } from '#domain/records/record';
import type { LookupTerm } from './query-plan.ts';
import { type SearchDocument, lookupEntries } from './search-document.ts';
import { pairEntriesOf, pairTerms } from './search-pairs.ts';
import {
  type CustomSearchField,
  SearchCatalogue,
  builtInSearchFields,
  type SearchField,
  type SearchResource,
} from './search-fields.ts';

/**
 * How search finds records (docs/search.md, "Lookup items"): each record of a searchable type holds
 * lookup values beside its other lookups (`StoredRecord.lookupValues`), one table item each, written,
 * moved and deleted with the record by the same code as a contact's phone lookup.
 *
 * - Equality lookups (ids, strings, booleans, and "no value" of any field): key `s:<field>|<json value>`,
 *   value `<json value>`. The item's partition is the hash of (`s:<field>`, value), so one Query reads
 *   every record holding it.
 * - Range lookups (dates, priority, status, custom numbers): key `r:<field>`, value the sortable encoding
 *   (an ISO instant, or `sortableNumber`). The item's partition is the field's, write-sharded like the
 *   collection index; the value leads the sort key, so `:>`, `:<` and `:` are one sort-key range a shard.
 */
export const equalityPrefix = 's:';
export const rangePrefix = 'r:';

/** At most this many lookup values per record: an update deletes and puts at most twice as many items. */
export const maxSearchLookups = 40;
/** Of a list field (tags, domains), at most this many values are found by search. */
export const maxListValuesIndexed = 20;

export const isSearchLookup = (key: string) => key.startsWith(equalityPrefix) || key.startsWith(rangePrefix);

/** The name an equality lookup's item is keyed by (the key without its value), or the key itself. */
export const lookupNameOf = (key: string) =>
  key.startsWith(equalityPrefix) ? key.slice(0, key.indexOf('|')) : key;

/**
 * Safe integers as text that sorts as they do: `p` and 16 digits for 0 and up, `m` and the distance
 * from -2^53 for negative ones (exact: no sum leaves the safe range).
 */
export const sortableNumber = (value: number) =>
  value >= 0 ? `p${String(value).padStart(16, '0')}` : `m${String(2 ** 53 + value).padStart(16, '0')}`;

const storedInRange = (field: SearchField) =>
  field.type === 'date' || field.type === 'number' || field.type === 'enum';

function lookupValueOf(field: SearchField, value: string | number | boolean | null): [string, string] {
  if (value !== null && storedInRange(field)) {
    return [`${rangePrefix}${field.name}`, typeof value === 'number' ? sortableNumber(value) : String(value)];
  }
  const json = JSON.stringify(value);
  return [`${equalityPrefix}${field.name}|${json}`, json];
}

const dayShaped = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The search types a record's custom values are found as. The write does not read the account's field
 * definitions: integers are numbers, booleans booleans, text is text (and a date too when written
 * 'YYYY-MM-DD', as date fields hold them: see `customDays`); decimals are not searchable, as in v2.
 */
function customFieldsOf(values: Readonly<Record<string, unknown>>): CustomSearchField[] {
  return Object.entries(values)
    .sort(([left], [right]) => left.localeCompare(right))
    .flatMap(([name, value]): CustomSearchField[] => {
      if (typeof value === 'boolean') return [{ name, type: 'boolean' }];
      if (typeof value === 'number') return Number.isSafeInteger(value) ? [{ name, type: 'number' }] : [];
      return [{ name, type: 'string' }];
    });
}

/** Range lookups of custom values written as days (date fields), at the start of their UTC day. */
function customDays(values: Readonly<Record<string, unknown>>): [string, string][] {
  return Object.entries(values)
    .filter((entry): entry is [string, string] => typeof entry[1] === 'string' && dayShaped.test(entry[1]))
    .filter(([, day]) => !Number.isNaN(Date.parse(day)))
    .map(([name, day]) => [`${rangePrefix}${name}`, new Date(day).toISOString()]);
}

type Fields = Readonly<Record<string, unknown>>;
const listOf = (value: unknown) => (Array.isArray(value) ? value.slice(0, maxListValuesIndexed) : []);

/** A stored record as search sees it (v2 names), by resource. */
const documents: Readonly<Record<SearchResource, (record: StoredRecord<Fields>) => SearchDocument>> = {
  tickets: ({ fields }) => ({
    agent_id: fields.responder_id,
    group_id: fields.group_id,
    priority: fields.priority,
    status: fields.status,
    tag: listOf(fields.tags),
    type: fields.type,
    due_by: fields.due_by,
    fr_due_by: fields.fr_due_by,
  }),
  contacts: ({ fields }) => ({
    company_id: fields.company_id,
    email: fields.email,
    phone: fields.phone,
    mobile: fields.mobile,
    twitter_id: fields.twitter_id,
    // Contacts are never verified here: v2's `active` is always false (see contactView).
    active: false,
  }),
  companies: ({ fields }) => ({ domain: listOf(fields.domains) }),
};

const resourcesByType: Readonly<Record<string, SearchResource>> = {
  ticket: 'tickets',
  contact: 'contacts',
  company: 'companies',
};

/**
 * The search lookup values of a record (none for types search does not serve), computed from its
 * fields and timestamps, so every writer of the record keeps them right. At most `maxSearchLookups`:
 * built-in fields first, then custom fields by name.
 */
export function searchLookupValues(record: StoredRecord<object>): Record<string, string> {
  const resource = resourcesByType[record.ref.type];
  if (!resource) return {};
  const fields = record.fields as Fields;
  const custom = (fields.custom_fields ?? {}) as Fields;
  const document: SearchDocument = {
    ...custom,
    ...documents[resource](record as StoredRecord<Fields>),
    created_at: record.createdAt,
    updated_at: record.updatedAt,
  };
  const catalogue = new SearchCatalogue(resource, customFieldsOf(custom));
  const builtIn = new Set(builtInSearchFields[resource].map((field) => field.name));
  const entries = lookupEntries(document, catalogue);
  const isBuiltIn = (entry: { field: string }) => builtIn.has(entry.field);
  const valueOf = (entry: (typeof entries)[number]) =>
    lookupValueOf(catalogue.field(entry.field) as SearchField, entry.value);
  // Pairs of built-in fields come before custom values, so the bound never drops one (search-pairs.ts).
  const values = [
    ...entries.filter(isBuiltIn).map(valueOf),
    ...pairEntriesOf(resource, lookupEntries(document, new SearchCatalogue(resource, []))).map(
      ({ name, value }): [string, string] => [`${equalityPrefix}${name}|${value}`, value],
    ),
    ...entries.filter((entry) => !isBuiltIn(entry)).map(valueOf),
    ...customDays(custom).filter(([key]) => !builtIn.has(key.slice(rangePrefix.length))),
  ];
  return Object.fromEntries(values.slice(0, maxSearchLookups));
}

/** One read of lookup items: the records holding an equality value, or a field's values in a range. */
export type Lookup =
  | { readonly kind: 'eq'; readonly name: string; readonly value: string; readonly pair?: true }
  | { readonly kind: 'range'; readonly field: string; readonly from?: string; readonly to?: string };

/**
 * The lookups of one alternative of a plan: equality terms on paired fields two at a time (one pair
 * lookup each, search-pairs.ts), each other equality term one read, the range terms of a field (`:>`,
 * `:<`, a date's day, a number's `:`) merged into one range.
 */
export function lookupsOf(terms: readonly LookupTerm[], catalogue: SearchCatalogue): Lookup[] {
  const { pairs, rest } = pairTerms(catalogue.resource, terms);
  const lookups: Lookup[] = pairs.map(({ name, value }) => ({
    kind: 'eq',
    name: `${equalityPrefix}${name}`,
    value,
    pair: true,
  }));
  const ranges = new Map<string, { from?: string; to?: string }>();
  for (const term of rest) {
    const field = catalogue.field(term.field) as SearchField;
    if (term.op === 'null' || !storedInRange(field)) {
      const [key, value] = lookupValueOf(field, term.op === 'null' ? null : term.value);
      lookups.push({ kind: 'eq', name: lookupNameOf(key), value });
      continue;
    }
    const bound = lookupValueOf(field, term.value)[1];
    const range = ranges.get(field.name) ?? {};
    if (term.op !== 'lte' && (range.from === undefined || bound > range.from)) range.from = bound;
    if (term.op !== 'gte' && (range.to === undefined || bound < range.to)) range.to = bound;
    ranges.set(field.name, range);
  }
  for (const [field, range] of ranges) lookups.push({ kind: 'range', field, ...range });
  return lookups;
}

/** Whether a record with these lookup values is found by the lookup (checks a candidate in memory). */
export function lookupHolds(values: Readonly<Record<string, string>>, lookup: Lookup): boolean {
  if (lookup.kind === 'eq') return `${lookup.name}|${lookup.value}` in values;
  const held = values[`${rangePrefix}${lookup.field}`];
  if (held === undefined) return false;
  return (lookup.from === undefined || held >= lookup.from) && (lookup.to === undefined || held <= lookup.to);
}
