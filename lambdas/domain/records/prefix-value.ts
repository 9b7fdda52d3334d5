/** The longest beginning of a value kept for prefix matching (a sort key holds at most 1,024 bytes). */
export const maxPrefixLength = 200;

/**
 * A value as prefix lookups store and match it (autocomplete): Unicode-normalised, lower case, control
 * characters dropped, runs of white space made one space, at most `maxPrefixLength` characters.
 */
export function prefixValueOf(text: string): string {
  const normalised = text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\s+/gu, ' ')
    .replace(/\p{Cc}/gu, '')
    .trim();
  return Array.from(normalised).slice(0, maxPrefixLength).join('');
}

/**
 * Prefix lookups hold one item per beginning of a value up to this many characters (docs/api.md,
 * "Autocomplete"): a contact update that changes its name and e-mail moves 2 × 2 × 3 prefix items,
 * within DynamoDB's 100 items of one transaction beside its other items. A longer term reads the
 * records holding its first 3 characters and keeps those whose value begins with the whole term.
 */
export const indexedPrefixLength = 3;

/** The beginnings of a (normalised) value that prefix lookups hold: 1 to `indexedPrefixLength` characters. */
export function indexedPrefixesOf(value: string): string[] {
  const characters = Array.from(value);
  return characters.slice(0, indexedPrefixLength).map((_, index) => characters.slice(0, index + 1).join(''));
}

/** The beginning of a (normalised) term that a prefix lookup is read by. */
export const indexedPrefixOf = (term: string) => Array.from(term).slice(0, indexedPrefixLength).join('');
