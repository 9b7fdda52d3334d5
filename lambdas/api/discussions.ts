import { z } from 'zod';
import { DiscussionService } from '#domain/discussions/discussion-service';
import {
  createCommentSchema,
  createForumCategorySchema,
  createForumSchema,
  createTopicSchema,
  updateCommentSchema,
  updateForumCategorySchema,
  updateForumSchema,
  updateTopicSchema,
} from '#domain/discussions/discussion-schemas';
import { commentView, forumCategoryView, forumView, topicView } from '#domain/discussions/discussion-views';
import { getRuntime } from '#adapters/runtime';
import { type ApiDependencies, lazyHandler } from '#http/api-handler';
import { crudRoutes } from '#http/crud-routes';
import { paginationSchema } from '#http/request';
import { routedApi } from '#http/routed-api';

export const discussionListQuerySchema = z.object(paginationSchema).strict();
const base = '/api/v2/discussions';

/** /api/v2/discussions: forum categories, forums, topics and comments (Freshdesk v2). */
export function createDiscussionsHandler(deps: ApiDependencies & { discussions: DiscussionService }) {
  const { categories, forums, topics, comments } = deps.discussions;
  const listQuerySchema = discussionListQuerySchema;
  return routedApi(deps, {
    ...crudRoutes({
      path: `${base}/categories`,
      service: categories,
      view: forumCategoryView,
      createSchema: createForumCategorySchema,
      updateSchema: updateForumCategorySchema,
      listQuerySchema,
    }),
    ...crudRoutes({
      path: `${base}/forums`,
      under: { path: `${base}/categories`, collection: 'forums' },
      service: forums,
      view: forumView,
      createSchema: createForumSchema,
      updateSchema: updateForumSchema,
      listQuerySchema,
    }),
    ...crudRoutes({
      path: `${base}/topics`,
      under: { path: `${base}/forums`, collection: 'topics' },
      service: topics,
      view: topicView,
      createSchema: createTopicSchema,
      updateSchema: updateTopicSchema,
      listQuerySchema,
    }),
    ...crudRoutes({
      path: `${base}/comments`,
      under: { path: `${base}/topics`, collection: 'comments' },
      service: comments,
      view: commentView,
      createSchema: createCommentSchema,
      updateSchema: updateCommentSchema,
      listQuerySchema,
    }),
  });
}

export const handler = lazyHandler(() => {
  const runtime = getRuntime('discussions');
  return createDiscussionsHandler({
    ...runtime,
    discussions: new DiscussionService({ store: runtime.records, now: runtime.now, newId: runtime.newId }),
  });
});
