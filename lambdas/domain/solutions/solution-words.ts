import { createHash } from 'node:crypto';
import { htmlToText } from '#domain/tickets/html-text';

/** At most this many distinct words of one article (or translation) are indexed: title first, then description. */
export const maxIndexedWords = 45;
/** At most this many words in a search term. */
export const maxTermWords = 5;
/** Longer words are indexed and searched by their first this many letters. */
export const maxWordLength = 40;

/** Letters that do not decompose into a base letter and a mark: folded by hand. */
const foldedLetters: Readonly<Record<string, string>> = {
  ß: 'ss',
  æ: 'ae',
  ø: 'o',
  œ: 'oe',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
  ς: 'σ',
};
const foldable = new RegExp(`[${Object.keys(foldedLetters).join('')}]`, 'gu');

/**
 * Common words of the knowledge base's languages (English, German, Dutch, Swedish), already normalised:
 * neither indexed nor searched for, so the indexed words go to words that tell articles apart.
 */
const stopWords = new Set(
  [
    'the and or of to in is it for on with at by be are this that you your',
    'der die das und oder ein eine einen ist im zu den dem des mit von fur auf nicht es sie ich wie sich',
    'de het een en van te op voor dat niet je u',
    'och att det som ett av pa med till ar den inte om',
  ]
    .join(' ')
    .split(' '),
);

const namedEntities: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  szlig: 'ß',
};

/** An HTML entity as its character: numeric ones, a few named ones and `&Xuml;`-style accented letters. */
function decodeEntity(entity: string, name: string): string {
  const numeric = /^#(x[0-9a-f]{1,6}|[0-9]{1,7})$/i.exec(name);
  if (numeric?.[1]) {
    const code =
      numeric[1].startsWith('x') || numeric[1].startsWith('X')
        ? Number.parseInt(numeric[1].slice(1), 16)
        : Number(numeric[1]);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : ' ';
  }
  const accented = /^([a-z])(uml|acute|grave|circ|ring|tilde|cedil)$/i.exec(name);
  if (accented?.[1]) return accented[1];
  return namedEntities[name.toLowerCase()] ?? entity;
}

/** The text of an article's HTML: tags become spaces (so `<p>a</p><p>b</p>` is two words), entities letters. */
export function articleText(html: string): string {
  return htmlToText(html.replaceAll('>', '> ')).replace(/&(#?[a-z0-9]{1,10});/gi, decodeEntity);
}

/**
 * A text as words compare: lower case, accents and marks gone (`Kündigung` as `kundigung`, `å` as `a`,
 * the Dutch `ĳ` as `ij`), letters without a base letter folded (`ß` as `ss`, `ø` as `o`). Idempotent.
 */
export function normaliseText(text: string): string {
  return text
    .normalize('NFKD')
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(foldable, (letter) => foldedLetters[letter] ?? letter);
}

/** The searchable words of a plain text, normalised, in order, repeats kept. */
export function wordsOf(text: string): string[] {
  return normaliseText(text)
    .split(/[^\p{L}\p{N}]+/u)
    .map((word) => [...word].slice(0, maxWordLength).join(''))
    .filter((word) => [...word].length >= 2 && !stopWords.has(word));
}

/** The distinct words an article is found by: its title's, then its description's, at most `maxIndexedWords`. */
export function indexedWords(title: string, descriptionHtml: string): string[] {
  const distinct = new Set([...wordsOf(title), ...wordsOf(articleText(descriptionHtml))]);
  return [...distinct].slice(0, maxIndexedWords);
}

/**
 * The lookup a word is written and read under: the name says only that it is a word (and which, as a
 * digest, so one record holds each word once); the store hashes the value.
 */
export function wordLookup(word: string): { name: string; value: string } {
  return { name: `word.${createHash('sha256').update(word).digest('hex').slice(0, 24)}`, value: word };
}

/** A record's lookup values for its words. */
export function wordLookups(words: readonly string[]): Record<string, string> {
  return Object.fromEntries(words.map((word) => [wordLookup(word).name, word]));
}
