import { z } from 'zod';
import { SolutionService } from '#domain/solutions/solution-service';
import {
  createSolutionArticleSchema,
  createSolutionCategorySchema,
  createSolutionFolderSchema,
  updateSolutionArticleSchema,
  updateSolutionCategorySchema,
  updateSolutionFolderSchema,
} from '#domain/solutions/solution-schemas';
import { recordView } from '#domain/records/nested-resource';
import { getRuntime } from '#adapters/runtime';
import { type ApiDependencies, lazyHandler } from '#http/api-handler';
import { crudRoutes } from '#http/crud-routes';
import { paginationSchema } from '#http/request';
import { routedApi } from '#http/routed-api';

export const solutionListQuerySchema = z.object(paginationSchema).strict();
const base = '/api/v2/solutions';

/** /api/v2/solutions: the knowledge base's categories, folders and articles (Freshdesk v2). */
export function createSolutionsHandler(deps: ApiDependencies & { solutions: SolutionService }) {
  const { categories, folders, articles } = deps.solutions;
  const listQuerySchema = solutionListQuerySchema;
  return routedApi(deps, {
    ...crudRoutes({
      path: `${base}/categories`,
      service: categories,
      view: recordView,
      createSchema: createSolutionCategorySchema,
      updateSchema: updateSolutionCategorySchema,
      listQuerySchema,
    }),
    ...crudRoutes({
      path: `${base}/folders`,
      under: { path: `${base}/categories`, collection: 'folders' },
      service: folders,
      view: recordView,
      createSchema: createSolutionFolderSchema,
      updateSchema: updateSolutionFolderSchema,
      listQuerySchema,
    }),
    ...crudRoutes({
      path: `${base}/articles`,
      under: { path: `${base}/folders`, collection: 'articles' },
      service: articles,
      view: recordView,
      createSchema: createSolutionArticleSchema,
      updateSchema: updateSolutionArticleSchema,
      listQuerySchema,
    }),
  });
}

export const handler = lazyHandler(() => {
  const runtime = getRuntime('solutions');
  return createSolutionsHandler({
    ...runtime,
    solutions: new SolutionService({ store: runtime.records, now: runtime.now, newId: runtime.newId }),
  });
});
