import type { Account } from '#domain/account';
import { ValidationError } from '#domain/errors';

/** The languages of an account's knowledge base: its primary one and those it is translated into. */
export interface AccountLanguages {
  readonly primary: string;
  readonly supported: readonly string[];
}

/** An account's languages; an account that names none writes in English only. */
export function languagesOf(
  account: Pick<Account, 'primaryLanguage' | 'supportedLanguages'>,
): AccountLanguages {
  return { primary: account.primaryLanguage ?? 'en', supported: account.supportedLanguages ?? [] };
}

const unsupported = (message: string) =>
  new ValidationError([{ field: 'language', message, code: 'invalid_value' }]);

/**
 * The language of a translation, if the account supports it (case as the account names it); the primary
 * language has no translation (the record itself is in it). Otherwise a 400 naming `language`.
 */
export function translationLanguage(languages: AccountLanguages, requested: string): string {
  const same = (language: string) => language.toLowerCase() === requested.toLowerCase();
  if (same(languages.primary)) {
    throw unsupported('It is the primary language: read and change the record itself.');
  }
  const language = languages.supported.find(same);
  if (!language) {
    throw unsupported(
      `It should be one of the account's supported languages: ${languages.supported.join(', ') || 'none'}`,
    );
  }
  return language;
}
