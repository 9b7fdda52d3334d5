import type { Principal } from '#domain/account';
import { NotFoundError } from '#domain/errors';
import {
  NestedResource,
  type NestedResourceDependencies,
  type NestedResourceSpec,
  type ParentResource,
  recordView,
} from '#domain/records/nested-resource';
import type { RecordType, StoredRecord } from '#domain/records/record';
import { type AccountLanguages, translationLanguage } from './solution-languages.ts';

export interface TranslationDependencies extends NestedResourceDependencies {
  /** The languages of the caller's account. */
  readonly languagesOf: (accountId: string) => Promise<AccountLanguages>;
}

/** The fields every translation holds beside its text: its language and its primary record's id. */
export type TranslationFields<T extends object> = T & {
  readonly language: string;
  readonly primary_id: number;
};

/** A primary record (category, folder, article) and its translation in one language. */
export interface Translated<P extends object, T extends object> {
  readonly primary: StoredRecord<P>;
  readonly translation: StoredRecord<TranslationFields<T>>;
}

/**
 * How translations of one level differ: their type, who may write them, what a new one holds beside
 * its input (defaults, and fields no client writes such as its author).
 */
export interface TranslationSpec<T extends object, C extends object, P extends object> {
  readonly type: RecordType;
  readonly build?: (input: C, context: { principal: Principal; primary: StoredRecord<P> }) => Partial<T>;
  readonly subjects?: NestedResourceSpec<TranslationFields<T>, C, P>['subjects'];
  readonly lookupValues?: NestedResourceSpec<TranslationFields<T>, C, P>['lookupValues'];
  readonly mayCreate: (principal: Principal) => void;
  readonly mayChange: (principal: Principal) => void;
}

/**
 * The translations of one level of the knowledge base (docs/api.md, "Solutions"): records of their own
 * type listed under their primary record, one per supported language (a unique value), reachable only
 * while the primary is. Deleting, restoring or purging the primary takes them along (they hide behind it
 * and its purge removes them as its descendants); each is linked to its author as an article is.
 */
export class SolutionTranslations<T extends object, C extends object, P extends object> {
  private readonly resource: NestedResource<TranslationFields<T>, C & { language: string }, P>;

  constructor(
    private readonly deps: TranslationDependencies,
    private readonly primaries: ParentResource<P>,
    private readonly spec: TranslationSpec<T, C, P>,
  ) {
    this.resource = new NestedResource<TranslationFields<T>, C & { language: string }, P>(deps, {
      type: spec.type,
      parent: { resource: primaries, field: 'primary_id' },
      build: (input, { principal, parent }) => {
        const primary = parent as StoredRecord<P>;
        return {
          ...spec.build?.(input, { principal, primary }),
          ...input,
          primary_id: primary.ref.id,
        } as unknown as TranslationFields<T>;
      },
      subjects: spec.subjects,
      lookupValues: spec.lookupValues,
      uniqueValues: (fields) => ({ language: languageKey(fields.primary_id, fields.language) }),
      mayCreate: spec.mayCreate,
      mayChange: spec.mayChange,
      conflictMessage: 'A translation in that language exists, or it changed since you read it.',
    });
  }

  get type(): RecordType {
    return this.spec.type;
  }

  /** A translation into one of the account's supported languages that does not exist yet (else 409). */
  async create(
    principal: Principal,
    primaryId: number,
    language: string,
    input: C,
  ): Promise<Translated<P, T>> {
    const { primary, code } = await this.primaryIn(principal, primaryId, language);
    const translation = await this.resource.create(principal, { ...input, language: code }, primary.ref.id);
    return { primary, translation };
  }

  async get(principal: Principal, primaryId: number, language: string): Promise<Translated<P, T>> {
    const { primary, code } = await this.primaryIn(principal, primaryId, language);
    const id = await this.deps.store.findByUniqueValue(
      principal.accountId,
      this.spec.type,
      'language',
      languageKey(primaryId, code),
    );
    if (id === undefined) throw new NotFoundError('There is no translation of it in that language.');
    return { primary, translation: await this.resource.get(principal, id) };
  }

  async update(
    principal: Principal,
    primaryId: number,
    language: string,
    changes: Partial<T>,
    ifMatch?: string,
  ): Promise<Translated<P, T>> {
    const { primary, translation } = await this.get(principal, primaryId, language);
    const updated = await this.resource.update(
      principal,
      translation.ref.id,
      changes as Partial<TranslationFields<T>>,
      ifMatch,
    );
    return { primary, translation: updated };
  }

  /** The live primary (404 first: another account's id is simply not found), and the language checked. */
  private async primaryIn(principal: Principal, primaryId: number, language: string) {
    const primary = await this.primaries.get(principal, primaryId);
    const code = translationLanguage(await this.deps.languagesOf(principal.accountId), language);
    return { primary, code };
  }
}

/** A translation's unique value: one per primary record and language. */
const languageKey = (primaryId: number, language: string) => `${primaryId}#${language.toLowerCase()}`;

/**
 * A translation as Freshdesk v2 shows it: the primary record in the translation's language, under the
 * primary's id, with the translation's own timestamps.
 */
export function translatedView<P extends object, T extends object>(
  primaryView: (record: StoredRecord<P>) => Record<string, unknown>,
) {
  return ({ primary, translation }: Translated<P, T>) => {
    const { primary_id: _primary, ...fields } = translation.fields;
    return {
      ...primaryView(primary),
      ...fields,
      id: primary.ref.id,
      created_at: translation.createdAt,
      updated_at: translation.updatedAt,
    };
  };
}

export const translatedRecordView = translatedView(recordView);
