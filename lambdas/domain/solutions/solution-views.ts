import { z } from 'zod';
import { recordView } from '#domain/records/nested-resource';
import type { StoredRecord } from '#domain/records/record';
import { recordViewShape } from '#domain/records/record-view-schema';
import {
  solutionArticleFieldsSchema,
  solutionCategoryFieldsSchema,
  solutionFolderFieldsSchema,
} from './solution-schemas.ts';
import type {
  SolutionArticleFields,
  SolutionCategoryFields,
  SolutionFolderFields,
} from './solution-service.ts';

/** The v2 views of the knowledge base's three levels, each with its schema. */
export const solutionCategoryViewSchema = solutionCategoryFieldsSchema.extend(recordViewShape);
export const solutionFolderViewSchema = solutionFolderFieldsSchema.extend({
  ...recordViewShape,
  category_id: z.number().int(),
});
export const solutionArticleViewSchema = solutionArticleFieldsSchema.extend({
  ...recordViewShape,
  agent_id: z.number().int(),
  folder_id: z.number().int(),
  category_id: z.number().int(),
  thumbs_up: z.number().int(),
  thumbs_down: z.number().int(),
  hits: z.number().int(),
});

/**
 * A translation as v2 shows it (solution-translations.ts, `translatedView`): the primary's view in the
 * translation's language, under the primary's id, with the translation's timestamps.
 */
export const solutionCategoryTranslationViewSchema = solutionCategoryViewSchema.extend({
  language: z.string(),
});
export const solutionFolderTranslationViewSchema = solutionFolderViewSchema.extend({ language: z.string() });
export const solutionArticleTranslationViewSchema = solutionArticleViewSchema.extend({
  language: z.string(),
});

export const solutionCategoryView = (
  record: StoredRecord<SolutionCategoryFields>,
): z.infer<typeof solutionCategoryViewSchema> => recordView(record);
export const solutionFolderView = (
  record: StoredRecord<SolutionFolderFields>,
): z.infer<typeof solutionFolderViewSchema> => recordView(record);
export const solutionArticleView = (
  record: StoredRecord<SolutionArticleFields>,
): z.infer<typeof solutionArticleViewSchema> => recordView(record);
