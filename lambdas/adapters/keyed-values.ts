import { type LookupHasher, isKeyedHash } from '#domain/encryption/lookup-hasher';
import { indexedPrefixesOf } from '#domain/records/prefix-value';
import { equalityPrefix, lookupNameOf, rangePrefix } from '#domain/search/search-lookups';

/**
 * The one place that decides which values stored beside a record are keyed (docs/encryption.md,
 * "Keyed lookups"): every unique value, every equality lookup (a contact's phone, search's equality and
 * pair values, knowledge-base words) and every autocomplete prefix is stored as its keyed hash, in the
 * claim or lookup item's key and in the record item's `unique_values`, `lookup_values` and
 * `prefix_values`. Range lookups (`r:`: dates, numbers) stay sortable values. Hashing is idempotent, so
 * a record read back (keyed) and a record derived from new fields (clear) compare in the same form.
 */
export interface KeyedValues {
  readonly unique: Readonly<Record<string, string>>;
  readonly lookups: Readonly<Record<string, string>>;
  /** One entry per prefix item: the value's name and the keyed hash of one beginning of the value. */
  readonly prefixes: readonly { readonly name: string; readonly hash: string }[];
}

export const keyedUniqueValues = (values: Readonly<Record<string, string>>, hasher: LookupHasher) =>
  Object.fromEntries(Object.entries(values).map(([name, value]) => [name, hasher.hash(value)]));

/** Equality entries keyed in both their key (`s:<field>|<hash>`) and value; range entries as they are. */
export function keyedLookups(
  values: Readonly<Record<string, string>>,
  hasher: LookupHasher,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values).map(([key, value]): [string, string] => {
      if (key.startsWith(rangePrefix)) return [key, value];
      const hash = hasher.hash(value);
      return [key.startsWith(equalityPrefix) ? `${lookupNameOf(key)}|${hash}` : key, hash];
    }),
  );
}

/** A value's prefix hashes as the record item holds them: the hashes of its beginnings, space-separated. */
const isKeyedPrefixList = (value: string) => value.split(' ').every(isKeyedHash);

function prefixHashesOf(value: string, hasher: LookupHasher): string[] {
  if (value === '') return [];
  if (isKeyedPrefixList(value)) return value.split(' ');
  return indexedPrefixesOf(value).map((prefix) => hasher.hash(prefix));
}

export const keyedPrefixes = (values: Readonly<Record<string, string>>, hasher: LookupHasher) =>
  Object.fromEntries(
    Object.entries(values).map(([name, value]) => [name, prefixHashesOf(value, hasher).join(' ')]),
  );

export function keyedValuesOf(
  values: {
    unique: Readonly<Record<string, string>>;
    lookups: Readonly<Record<string, string>>;
    prefixes: Readonly<Record<string, string>>;
  },
  hasher: LookupHasher,
): KeyedValues {
  return {
    unique: keyedUniqueValues(values.unique, hasher),
    lookups: keyedLookups(values.lookups, hasher),
    prefixes: Object.entries(values.prefixes).flatMap(([name, value]) =>
      prefixHashesOf(value, hasher).map((hash) => ({ name, hash })),
    ),
  };
}
