import { z } from 'zod';
import type { Principal } from '#domain/account';
import { NotFoundError, ValidationError } from '#domain/errors';
import { recordView } from '#domain/records/nested-resource';
import type { RecordType, StoredRecord } from '#domain/records/record';
import type { LookupEntry, RecordStore } from '#domain/records/record-store';
import type { AccountLanguages } from './solution-languages.ts';
import type {
  SolutionArticleFields,
  SolutionArticleTranslationFields,
  SolutionService,
} from './solution-service.ts';
import { type TranslationFields, translatedView } from './solution-translations.ts';
import { maxTermWords, wordLookup, wordsOf } from './solution-words.ts';

/** Results per page, and the pages a search answers. */
export const searchPageSize = 30;
export const maxSearchPages = 10;
/** The newest this many published articles (and as many translations) holding a word are searched. */
export const maxMatchesPerWord = 1_000;

export const solutionSearchQuerySchema = z
  .object({
    term: z.string().trim().min(1, 'It should not be blank').max(512),
    page: z.coerce.number().int().min(1).max(maxSearchPages).default(1),
  })
  .strict();

type Article = StoredRecord<SolutionArticleFields>;
type ArticleTranslation = StoredRecord<TranslationFields<SolutionArticleTranslationFields>>;

export interface SolutionSearchDependencies {
  readonly store: RecordStore;
  readonly solutions: SolutionService;
  readonly languagesOf: (accountId: string) => Promise<AccountLanguages>;
}

const articleTranslationView = translatedView<SolutionArticleFields, SolutionArticleTranslationFields>(
  recordView,
);
const isLive = (record: StoredRecord<object> | undefined): record is StoredRecord<object> =>
  Boolean(record && !record.deletedAt && !record.supersededBy);

/**
 * `GET /api/v2/search/solutions?term=`: published articles, in every language, whose title or
 * description holds every word of the term (whole words, accents folded). Served by the word lookups
 * each published article and translation writes in its own transaction (docs/access-patterns.md,
 * "Knowledge base search"): one Query per word and kind, intersected, then the hits read by key.
 */
export class SolutionSearch {
  constructor(private readonly deps: SolutionSearchDependencies) {}

  async search(principal: Principal, term: string, page: number): Promise<Record<string, unknown>[]> {
    const words = termWords(term);
    const { solutions } = this.deps;
    const [articles, translations] = await Promise.all([
      this.matching(principal.accountId, solutions.articles.type, words),
      this.matching(principal.accountId, solutions.articleTranslations.type, words),
    ]);
    const candidates = [
      ...articles.map((entry) => ({ ...entry, translated: false })),
      ...translations.map((entry) => ({ ...entry, translated: true })),
    ].sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : b.id - a.id));
    const wanted = page * searchPageSize;
    const reader = new HitReader(this.deps, principal);
    const hits: Record<string, unknown>[] = [];
    for (let start = 0; start < candidates.length && hits.length < wanted; start += searchPageSize) {
      hits.push(...(await reader.read(candidates.slice(start, start + searchPageSize))));
    }
    return hits.slice(wanted - searchPageSize, wanted);
  }

  /** The records of a type holding every word, in the first word's order (newest first). */
  private async matching(accountId: string, type: RecordType, words: readonly string[]) {
    const lists = await Promise.all(
      words.map((word) => {
        const { name, value } = wordLookup(word);
        return this.deps.store.lookupEntries(accountId, type, name, value, maxMatchesPerWord);
      }),
    );
    const [first = [], ...others] = lists;
    const sets = others.map((list) => new Set(list.map((entry) => entry.id)));
    return first.filter((entry: LookupEntry) => sets.every((ids) => ids.has(entry.id)));
  }
}

/** The distinct words of a search term: at least one, at most `maxTermWords`, else a 400 naming `term`. */
export function termWords(term: string): string[] {
  const words = [...new Set(wordsOf(term))];
  const invalid = (message: string) =>
    new ValidationError([{ field: 'term', message, code: 'invalid_value' }]);
  if (words.length === 0) {
    throw invalid(
      'It has no word to search for: one-letter and common words (and, und, en, och, …) are not indexed.',
    );
  }
  if (words.length > maxTermWords) throw invalid(`It should have at most ${maxTermWords} words.`);
  return words;
}

/**
 * Reads hits by key and keeps those still reachable: the article (or the translation's article) live
 * and its folder and category live, each folder checked once per search.
 */
class HitReader {
  private readonly folders = new Map<number, Promise<boolean>>();
  private languages?: Promise<AccountLanguages>;

  constructor(
    private readonly deps: SolutionSearchDependencies,
    private readonly principal: Principal,
  ) {}

  async read(candidates: ReadonlyArray<LookupEntry & { translated: boolean }>) {
    const { store, solutions } = this.deps;
    const accountId = this.principal.accountId;
    const refsOf = (translated: boolean, type: RecordType) =>
      candidates.filter((c) => c.translated === translated).map((c) => ({ type, id: c.id }));
    const translations = (
      await store.getMany<TranslationFields<SolutionArticleTranslationFields>>(
        accountId,
        refsOf(true, solutions.articleTranslations.type),
      )
    ).filter(isLive) as ArticleTranslation[];
    const articleIds = new Set([
      ...refsOf(false, solutions.articles.type).map((ref) => ref.id),
      ...translations.map((t) => t.fields.primary_id),
    ]);
    const articles = (
      await store.getMany<SolutionArticleFields>(
        accountId,
        [...articleIds].map((id) => ({ type: solutions.articles.type, id })),
      )
    ).filter(isLive) as Article[];
    const articleById = new Map(articles.map((article) => [article.ref.id, article]));
    const primaryLanguage = (await this.accountLanguages()).primary;
    const hits = await Promise.all(
      candidates.map(async (candidate) => {
        if (candidate.translated) {
          const translation = translations.find((t) => t.ref.id === candidate.id);
          const primary = translation && articleById.get(translation.fields.primary_id);
          if (!translation || !primary || !(await this.folderLive(primary.fields.folder_id)))
            return undefined;
          return articleTranslationView({ primary, translation }) as Record<string, unknown>;
        }
        const article = articleById.get(candidate.id);
        if (!article || !(await this.folderLive(article.fields.folder_id))) return undefined;
        return { ...recordView(article), language: primaryLanguage };
      }),
    );
    return hits.filter((hit): hit is Record<string, unknown> => hit !== undefined);
  }

  private accountLanguages() {
    this.languages ??= this.deps.languagesOf(this.principal.accountId);
    return this.languages;
  }

  /** Whether the folder and its category are live (a deleted one hides its articles). */
  private folderLive(folderId: number): Promise<boolean> {
    let live = this.folders.get(folderId);
    if (!live) {
      live = this.deps.solutions.folders.get(this.principal, folderId).then(
        () => true,
        (error: unknown) => {
          if (error instanceof NotFoundError) return false;
          throw error;
        },
      );
      this.folders.set(folderId, live);
    }
    return live;
  }
}
