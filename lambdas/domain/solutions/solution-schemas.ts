import { z } from 'zod';
import { nameText, text, updateSchemaOf } from '#domain/records/write-schemas';

/** Writable fields of a solution category, Freshdesk v2 names. */
export const solutionCategoryFieldsSchema = z
  .object({
    name: nameText(),
    description: text(10_000).nullable(),
    visible_in_portals: z.array(z.number().int().positive()).max(100),
  })
  .strict();
export const createSolutionCategorySchema = solutionCategoryFieldsSchema
  .partial()
  .required({ name: true })
  .strict();
export const updateSolutionCategorySchema = updateSchemaOf(solutionCategoryFieldsSchema);

/**
 * Writable fields of a solution folder. `visibility`: 1 all users, 2 logged-in users, 3 agents,
 * 4 users of the companies in `company_ids`.
 */
export const solutionFolderFieldsSchema = z
  .object({
    name: nameText(),
    description: text(10_000).nullable(),
    visibility: z.number().int().min(1).max(4),
    company_ids: z.array(z.number().int().positive()).max(250),
  })
  .strict();
export const createSolutionFolderSchema = solutionFolderFieldsSchema
  .partial()
  .required({ name: true, visibility: true })
  .strict();
export const updateSolutionFolderSchema = updateSchemaOf(solutionFolderFieldsSchema);

/**
 * Writable fields of a solution article. `status`: 1 draft, 2 published; `type`: 1 permanent,
 * 2 workaround. The author (`agent_id`) is the agent who created it and is not written by clients.
 */
export const solutionArticleFieldsSchema = z
  .object({
    title: nameText(240),
    description: z.string().min(1, 'It should not be blank').max(100_000),
    status: z.union([z.literal(1), z.literal(2)]),
    type: z.union([z.literal(1), z.literal(2)]),
    tags: z.array(text(32).min(1)).max(50),
    seo_data: z
      .object({
        meta_title: text(255).nullable(),
        meta_description: text(1_000).nullable(),
        meta_keywords: text(1_000).nullable(),
      })
      .partial()
      .strict(),
  })
  .strict();
export const createSolutionArticleSchema = solutionArticleFieldsSchema
  .partial()
  .required({ title: true, description: true, status: true })
  .strict();
export const updateSolutionArticleSchema = updateSchemaOf(solutionArticleFieldsSchema);

/** What a translation of a category or a folder holds: its name and description in one language. */
export const solutionTranslationFieldsSchema = solutionCategoryFieldsSchema.pick({
  name: true,
  description: true,
});
export const createSolutionTranslationSchema = solutionTranslationFieldsSchema
  .partial()
  .required({ name: true })
  .strict();
export const updateSolutionTranslationSchema = updateSchemaOf(solutionTranslationFieldsSchema);

/**
 * What a translation of an article holds: its title, description and status (1 draft, 2 published) in
 * one language, and optionally its own tags and SEO data. It stays in the folder of the article.
 */
export const solutionArticleTranslationFieldsSchema = solutionArticleFieldsSchema.pick({
  title: true,
  description: true,
  status: true,
  tags: true,
  seo_data: true,
});
export const createSolutionArticleTranslationSchema = solutionArticleTranslationFieldsSchema
  .partial()
  .required({ title: true, description: true, status: true })
  .strict();
export const updateSolutionArticleTranslationSchema = updateSchemaOf(solutionArticleTranslationFieldsSchema);
