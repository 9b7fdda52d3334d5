import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  articleText,
  indexedWords,
  maxIndexedWords,
  normaliseText,
  wordLookup,
  wordsOf,
} from '../../lambdas/domain/solutions/solution-words.ts';
import { termWords } from '../../lambdas/domain/solutions/solution-search.ts';

/** Words of the knowledge base's languages, with their accents, ligatures and special letters. */
const wordLike = fc.oneof(
  fc.string({ minLength: 1, maxLength: 12 }),
  fc.constantFrom(
    'Kündigung',
    'Straße',
    'ÖFFNUNGSZEITEN',
    'ĳsbeer',
    'IJssel',
    'Växjö',
    'skärgård',
    'Ærø',
    'ﬁle',
  ),
  fc.string({ unit: fc.constantFrom(...'aäåeéijĳoöøuüsßAÄÅÖÜ'), minLength: 2, maxLength: 10 }),
);

describe('knowledge base words', () => {
  it('folds case, accents and special letters of German, Dutch and Swedish words', () => {
    expect(wordsOf('Kündigung der Mitgliedschaft')).toEqual(['kundigung', 'mitgliedschaft']);
    expect(wordsOf('Straße, ÖFFNUNGSZEITEN')).toEqual(['strasse', 'offnungszeiten']);
    expect(wordsOf('Het ĳsbeer en de IJssel')).toEqual(['ijsbeer', 'ijssel']);
    expect(wordsOf('Skärgård och Växjö, Ærø')).toEqual(['skargard', 'vaxjo', 'aero']);
    // A decomposed ü (u and a combining diaeresis) is the same word as a composed one.
    expect(wordsOf('Ku\u0308ndigung')).toEqual(['kundigung']);
  });

  it('reads an HTML description as text: tags split words, entities are letters', () => {
    expect(
      wordsOf(articleText('<p>Rechnung</p><p>K&uuml;ndigung&nbsp;per&#32;E-Mail &#x00E4;nderung</p>')),
    ).toEqual(['rechnung', 'kundigung', 'per', 'mail', 'anderung']);
    expect(articleText('a < b')).toBe('a < b');
  });

  it('indexes the title first, each word once, at most the maximum', () => {
    const description = Array.from({ length: 100 }, (_, i) => `wort${i}`).join(' ');
    const words = indexedWords('Rechnung Rechnung', `<p>rechnung ${description}</p>`);
    expect(words[0]).toBe('rechnung');
    expect(words).toHaveLength(maxIndexedWords);
    expect(new Set(words).size).toBe(words.length);
  });

  it('names a lookup by a digest, never the word itself', () => {
    const lookup = wordLookup('kundigung');
    expect(lookup.name).toMatch(/^word\.[0-9a-f]{24}$/);
    expect(lookup.name).not.toContain('kundigung');
    expect(wordLookup('kundigung')).toEqual(lookup);
  });

  it('refuses a term without a searchable word or with too many (400 naming term)', () => {
    expect(() => termWords('und die')).toThrow(
      expect.objectContaining({ errors: [expect.objectContaining({ field: 'term' })] }),
    );
    expect(() => termWords('eins zwei drei vier funf sechs')).toThrow();
    expect(termWords('Kündigung kundigung KÜNDIGUNG')).toEqual(['kundigung']);
  });

  it('normalises idempotently', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), wordLike), (text) => {
        expect(normaliseText(normaliseText(text))).toBe(normaliseText(text));
      }),
    );
  });

  it('finds any word of a text by itself: its words are among the text words', () => {
    fc.assert(
      fc.property(fc.array(wordLike, { minLength: 1, maxLength: 12 }), fc.nat(), (words, pick) => {
        const word = words[pick % words.length] as string;
        const text = wordsOf(words.join(' '));
        for (const searched of wordsOf(word)) expect(text).toContain(searched);
      }),
    );
  });
});
