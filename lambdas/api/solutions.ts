import { z } from 'zod';
import type { Principal } from '#domain/account';
import { SolutionService } from '#domain/solutions/solution-service';
import { languagesOf } from '#domain/solutions/solution-languages';
import { SolutionSearch, solutionSearchQuerySchema } from '#domain/solutions/solution-search';
import {
  createSolutionArticleSchema,
  createSolutionArticleTranslationSchema,
  createSolutionCategorySchema,
  createSolutionFolderSchema,
  createSolutionTranslationSchema,
  updateSolutionArticleSchema,
  updateSolutionArticleTranslationSchema,
  updateSolutionCategorySchema,
  updateSolutionFolderSchema,
  updateSolutionTranslationSchema,
} from '#domain/solutions/solution-schemas';
import { type Translated, translatedRecordView } from '#domain/solutions/solution-translations';
import { NotFoundError } from '#domain/errors';
import {
  solutionArticleView,
  solutionCategoryView,
  solutionFolderView,
} from '#domain/solutions/solution-views';
import { etagOf } from '#domain/records/record';
import { getRuntime } from '#adapters/runtime';
import { type ApiDependencies, lazyHandler } from '#http/api-handler';
import { crudRoutes } from '#http/crud-routes';
import { paginationSchema, parseJsonBody, parseQuery, pathId } from '#http/request';
import { jsonResponse } from '#http/responses';
import { type RouteHandler, routedApi } from '#http/routed-api';

export const solutionListQuerySchema = z.object(paginationSchema).strict();
const base = '/api/v2/solutions';

/** What the translation routes of one level need of its translations. */
interface TranslationService<C, U> {
  create(
    principal: Principal,
    primaryId: number,
    language: string,
    input: C,
  ): Promise<Translated<object, object>>;
  get(principal: Principal, primaryId: number, language: string): Promise<Translated<object, object>>;
  update(
    principal: Principal,
    primaryId: number,
    language: string,
    changes: U,
    ifMatch?: string,
  ): Promise<Translated<object, object>>;
}

/** The language code in the path: letters, optionally a region (`pt-BR`); anything else names nothing. */
function pathLanguage(event: Parameters<RouteHandler>[0]): string {
  const language = event.pathParameters?.language ?? '';
  if (!/^[a-z]{2,3}(-[a-z0-9]{2,4})?$/i.test(language)) throw new NotFoundError();
  return language;
}

/** v2's `/{language}` variants of a record at `path`: create (201), view and update its translation. */
function translationRoutes<C, U>(options: {
  readonly path: string;
  readonly service: TranslationService<C, U>;
  readonly createSchema: z.ZodType<C>;
  readonly updateSchema: z.ZodType<U>;
}): Record<string, RouteHandler> {
  const { path, service } = options;
  const answer = (status: 200 | 201, translated: Translated<object, object>) =>
    jsonResponse(status, translatedRecordView(translated), { etag: etagOf(translated.translation) });
  return {
    [`POST ${path}/{id}/{language}`]: async (event, principal) => {
      const id = pathId(event);
      const input = parseJsonBody(event, options.createSchema);
      return answer(201, await service.create(principal, id, pathLanguage(event), input));
    },
    [`GET ${path}/{id}/{language}`]: async (event, principal) =>
      answer(200, await service.get(principal, pathId(event), pathLanguage(event))),
    [`PUT ${path}/{id}/{language}`]: async (event, principal) => {
      const id = pathId(event);
      const changes = parseJsonBody(event, options.updateSchema);
      const ifMatch = event.headers?.['if-match'];
      return answer(200, await service.update(principal, id, pathLanguage(event), changes, ifMatch));
    },
  };
}

/**
 * /api/v2/solutions: the knowledge base's categories, folders and articles (Freshdesk v2), their
 * translations into the account's languages, and /api/v2/search/solutions.
 */
export function createSolutionsHandler(
  deps: ApiDependencies & { solutions: SolutionService; search: SolutionSearch },
) {
  const { categories, folders, articles } = deps.solutions;
  const { categoryTranslations, folderTranslations, articleTranslations } = deps.solutions;
  const listQuerySchema = solutionListQuerySchema;
  return routedApi(deps, {
    ...crudRoutes({
      path: `${base}/categories`,
      service: categories,
      view: solutionCategoryView,
      createSchema: createSolutionCategorySchema,
      updateSchema: updateSolutionCategorySchema,
      listQuerySchema,
    }),
    ...crudRoutes({
      path: `${base}/folders`,
      under: { path: `${base}/categories`, collection: 'folders' },
      service: folders,
      view: solutionFolderView,
      createSchema: createSolutionFolderSchema,
      updateSchema: updateSolutionFolderSchema,
      listQuerySchema,
    }),
    ...crudRoutes({
      path: `${base}/articles`,
      under: { path: `${base}/folders`, collection: 'articles' },
      service: articles,
      view: solutionArticleView,
      createSchema: createSolutionArticleSchema,
      updateSchema: updateSolutionArticleSchema,
      listQuerySchema,
    }),
    ...translationRoutes({
      path: `${base}/categories`,
      service: categoryTranslations,
      createSchema: createSolutionTranslationSchema,
      updateSchema: updateSolutionTranslationSchema,
    }),
    ...translationRoutes({
      path: `${base}/folders`,
      service: folderTranslations,
      createSchema: createSolutionTranslationSchema,
      updateSchema: updateSolutionTranslationSchema,
    }),
    ...translationRoutes({
      path: `${base}/articles`,
      service: articleTranslations,
      createSchema: createSolutionArticleTranslationSchema,
      updateSchema: updateSolutionArticleTranslationSchema,
    }),
    'GET /api/v2/search/solutions': async (event, principal) => {
      const { term, page } = parseQuery(event, solutionSearchQuerySchema);
      return jsonResponse(200, await deps.search.search(principal, term, page));
    },
  });
}

export const handler = lazyHandler(() => {
  const runtime = getRuntime('solutions');
  const languages = async (accountId: string) =>
    languagesOf((await runtime.accounts.getAccount(accountId)) ?? {});
  const solutions = new SolutionService({
    store: runtime.records,
    now: runtime.now,
    newId: runtime.newId,
    languagesOf: languages,
  });
  return createSolutionsHandler({
    ...runtime,
    solutions,
    search: new SolutionSearch({ store: runtime.records, solutions, languagesOf: languages }),
  });
});
