import { z } from 'zod';
import { recordView } from '#domain/records/nested-resource';
import type { StoredRecord } from '#domain/records/record';
import { recordViewShape } from '#domain/records/record-view-schema';
import {
  commentFieldsSchema,
  forumCategoryFieldsSchema,
  forumFieldsSchema,
  topicFieldsSchema,
} from './discussion-schemas.ts';
import type { CommentFields, ForumCategoryFields, ForumFields, TopicFields } from './discussion-service.ts';

/** A topic's or comment's author and whether it is published (posts from the API are agents'). */
const postShape = {
  user_id: z.number().int(),
  user_type: z.enum(['agent', 'contact']),
  published: z.boolean(),
};

/** The v2 views of the four discussion levels, each with its schema. */
export const forumCategoryViewSchema = forumCategoryFieldsSchema.extend(recordViewShape);
export const forumViewSchema = forumFieldsSchema.extend({
  ...recordViewShape,
  forum_category_id: z.number().int(),
});
export const topicViewSchema = topicFieldsSchema.extend({
  ...recordViewShape,
  ...postShape,
  forum_id: z.number().int(),
});
export const commentViewSchema = commentFieldsSchema.extend({
  ...recordViewShape,
  ...postShape,
  topic_id: z.number().int(),
  forum_id: z.number().int(),
});

export const forumCategoryView = (
  record: StoredRecord<ForumCategoryFields>,
): z.infer<typeof forumCategoryViewSchema> => recordView(record);
export const forumView = (record: StoredRecord<ForumFields>): z.infer<typeof forumViewSchema> =>
  recordView(record);
export const topicView = (record: StoredRecord<TopicFields>): z.infer<typeof topicViewSchema> =>
  recordView(record);
export const commentView = (record: StoredRecord<CommentFields>): z.infer<typeof commentViewSchema> =>
  recordView(record);
