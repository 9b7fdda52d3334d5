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
