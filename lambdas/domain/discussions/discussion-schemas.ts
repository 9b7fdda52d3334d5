import { z } from 'zod';
import { nameText, text, updateSchemaOf } from '#domain/records/write-schemas';

/** Writable fields of a forum category, Freshdesk v2 names. */
export const forumCategoryFieldsSchema = z
  .object({ name: nameText(), description: text(10_000).nullable() })
  .strict();
export const createForumCategorySchema = forumCategoryFieldsSchema
  .partial()
  .required({ name: true })
  .strict();
export const updateForumCategorySchema = updateSchemaOf(forumCategoryFieldsSchema);

/**
 * Writable fields of a forum. `forum_type`: 1 questions (how-to), 2 ideas, 3 problems, 4 announcements;
 * `forum_visibility`: 1 everyone, 2 logged-in users, 3 agents, 4 users of the companies in `company_ids`.
 */
export const forumFieldsSchema = z
  .object({
    name: nameText(),
    description: text(10_000).nullable(),
    forum_type: z.number().int().min(1).max(4),
    forum_visibility: z.number().int().min(1).max(4),
    company_ids: z.array(z.number().int().positive()).max(250),
  })
  .strict();
export const createForumSchema = forumFieldsSchema
  .partial()
  .required({ name: true, forum_type: true, forum_visibility: true })
  .strict();
export const updateForumSchema = updateSchemaOf(forumFieldsSchema);

/** Writable fields of a topic; `message` is its opening post. */
export const topicFieldsSchema = z
  .object({
    title: nameText(),
    message: z.string().min(1, 'It should not be blank').max(100_000),
    sticky: z.boolean(),
    locked: z.boolean(),
    stamp_type: z.number().int().min(1).max(9).nullable(),
  })
  .strict();
export const createTopicSchema = topicFieldsSchema
  .partial()
  .required({ title: true, message: true })
  .strict();
export const updateTopicSchema = updateSchemaOf(topicFieldsSchema);

/** Writable fields of a comment (a reply in a topic); `answer` marks the answer to a question. */
export const commentFieldsSchema = z
  .object({ body: z.string().min(1, 'It should not be blank').max(100_000), answer: z.boolean() })
  .strict();
export const createCommentSchema = commentFieldsSchema.partial().required({ body: true }).strict();
export const updateCommentSchema = updateSchemaOf(commentFieldsSchema);
