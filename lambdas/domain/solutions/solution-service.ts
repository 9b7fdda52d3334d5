import type { z } from 'zod';
import type { Principal } from '#domain/account';
import { requirePermission } from '#domain/roles/permission-check';
import { NestedResource } from '#domain/records/nested-resource';
import type {
  createSolutionArticleSchema,
  createSolutionArticleTranslationSchema,
  createSolutionCategorySchema,
  createSolutionFolderSchema,
  createSolutionTranslationSchema,
  solutionArticleFieldsSchema,
  solutionArticleTranslationFieldsSchema,
  solutionCategoryFieldsSchema,
  solutionFolderFieldsSchema,
  solutionTranslationFieldsSchema,
} from './solution-schemas.ts';
import {
  SolutionTranslations,
  type TranslationDependencies,
  type TranslationFields,
} from './solution-translations.ts';
import { indexedWords, wordLookups } from './solution-words.ts';
import type { PersonalFieldDeclaration } from '#domain/encryption/personal-field-declaration';

export type SolutionCategoryFields = z.infer<typeof solutionCategoryFieldsSchema>;
export type SolutionFolderFields = z.infer<typeof solutionFolderFieldsSchema> & { category_id: number };
export type SolutionArticleFields = z.infer<typeof solutionArticleFieldsSchema> & {
  /** The author: an agent, kept apart from the text so erasure can replace it by a placeholder. */
  agent_id: number;
  folder_id: number;
  category_id: number;
  thumbs_up: number;
  thumbs_down: number;
  hits: number;
};
export type SolutionTranslationFields = z.infer<typeof solutionTranslationFieldsSchema>;
type ArticleTranslationText = z.infer<typeof solutionArticleTranslationFieldsSchema>;
export type SolutionArticleTranslationFields = Pick<
  ArticleTranslationText,
  'title' | 'description' | 'status'
> &
  Partial<Pick<ArticleTranslationText, 'tags' | 'seo_data'>> & {
    /** The translator, linked as an article's author is. */
    agent_id: number;
  };

/** Which solution article fields are personal: its text, while it is linked to its author (docs/encryption.md). */
export const solutionArticlePersonalFields: PersonalFieldDeclaration<SolutionArticleFields> = {
  title: 'personal',
  description: 'personal',
  status: 'plain',
  type: 'plain',
  tags: 'personal',
  seo_data: 'personal',
  agent_id: 'plain',
  folder_id: 'plain',
  category_id: 'plain',
  thumbs_up: 'plain',
  thumbs_down: 'plain',
  hits: 'plain',
};

/** Which fields of an article's translation are personal: its text, as the article's (docs/encryption.md). */
export const solutionArticleTranslationPersonalFields: PersonalFieldDeclaration<
  TranslationFields<SolutionArticleTranslationFields>
> = {
  title: 'personal',
  description: 'personal',
  status: 'plain',
  tags: 'personal',
  seo_data: 'personal',
  agent_id: 'plain',
  language: 'plain',
  primary_id: 'plain',
};
type CreateTranslation = z.infer<typeof createSolutionTranslationSchema>;
type CreateArticleTranslation = z.infer<typeof createSolutionArticleTranslationSchema>;

const manageSolutions = (principal: Principal) =>
  requirePermission(principal, 'admin.solutions', 'manage solution categories and folders');
const anyAgent = () => undefined;
const lower = (name: string) => name.trim().toLowerCase();
const published = 2;

/** The words a published article (or translation) is found by in search; none while a draft. */
const searchLookups = (fields: { title: string; description: string; status: number }) =>
  fields.status === published ? wordLookups(indexedWords(fields.title, fields.description)) : undefined;

/**
 * Freshdesk v2 solutions (the knowledge base): categories > folders > articles. Administrators manage
 * categories and folders; every agent writes, edits and deletes articles (a shared knowledge base).
 * An article is linked to its author agent.
 */
export class SolutionService {
  readonly categories: NestedResource<SolutionCategoryFields, z.infer<typeof createSolutionCategorySchema>>;
  readonly folders: NestedResource<
    SolutionFolderFields,
    z.infer<typeof createSolutionFolderSchema>,
    SolutionCategoryFields
  >;
  readonly articles: NestedResource<
    SolutionArticleFields,
    z.infer<typeof createSolutionArticleSchema>,
    SolutionFolderFields
  >;
  readonly categoryTranslations: SolutionTranslations<
    SolutionTranslationFields,
    CreateTranslation,
    SolutionCategoryFields
  >;
  readonly folderTranslations: SolutionTranslations<
    SolutionTranslationFields,
    CreateTranslation,
    SolutionFolderFields
  >;
  readonly articleTranslations: SolutionTranslations<
    SolutionArticleTranslationFields,
    CreateArticleTranslation,
    SolutionArticleFields
  >;

  constructor(deps: TranslationDependencies) {
    this.categories = new NestedResource(deps, {
      type: 'solution_category',
      build: (input) => ({ description: null, visible_in_portals: [], ...input }),
      uniqueValues: (fields) => ({ name: lower(fields.name) }),
      mayCreate: manageSolutions,
      mayChange: manageSolutions,
      conflictMessage: 'A solution category of that name exists, or it changed since you read it.',
    });
    this.folders = new NestedResource(deps, {
      type: 'solution_folder',
      parent: { resource: this.categories, field: 'category_id' },
      build: (input, { parent }) => ({
        description: null,
        company_ids: [],
        ...input,
        category_id: Number(parent?.ref.id),
      }),
      uniqueValues: (fields) => ({ name: `${fields.category_id}#${lower(fields.name)}` }),
      mayCreate: manageSolutions,
      mayChange: manageSolutions,
      conflictMessage: 'A folder of that name exists in the category, or it changed since you read it.',
    });
    this.articles = new NestedResource<
      SolutionArticleFields,
      z.infer<typeof createSolutionArticleSchema>,
      SolutionFolderFields
    >(deps, {
      type: 'solution_article',
      parent: { resource: this.folders, field: 'folder_id' },
      build: (input, { principal, parent }) => ({
        type: 1,
        tags: [],
        seo_data: {},
        ...input,
        agent_id: principal.agentId,
        folder_id: Number(parent?.ref.id),
        category_id: Number(parent?.fields.category_id),
        thumbs_up: 0,
        thumbs_down: 0,
        hits: 0,
      }),
      subjects: (fields) => [{ kind: 'agent', id: fields.agent_id }],
      lookupValues: searchLookups,
      mayCreate: anyAgent,
      mayChange: anyAgent,
      conflictMessage: 'The article changed since you read it.',
    });
    const managed = { mayCreate: manageSolutions, mayChange: manageSolutions };
    this.categoryTranslations = new SolutionTranslations<
      SolutionTranslationFields,
      CreateTranslation,
      SolutionCategoryFields
    >(deps, this.categories, {
      type: 'solution_category_translation',
      build: () => ({ description: null }),
      ...managed,
    });
    this.folderTranslations = new SolutionTranslations<
      SolutionTranslationFields,
      CreateTranslation,
      SolutionFolderFields
    >(deps, this.folders, {
      type: 'solution_folder_translation',
      build: () => ({ description: null }),
      ...managed,
    });
    this.articleTranslations = new SolutionTranslations<
      SolutionArticleTranslationFields,
      CreateArticleTranslation,
      SolutionArticleFields
    >(deps, this.articles, {
      type: 'solution_article_translation',
      build: (_input, { principal }) => ({ agent_id: principal.agentId }),
      subjects: (fields) => [{ kind: 'agent', id: fields.agent_id }],
      lookupValues: searchLookups,
      mayCreate: anyAgent,
      mayChange: anyAgent,
    });
  }
}
