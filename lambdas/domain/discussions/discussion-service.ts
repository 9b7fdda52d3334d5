import type { z } from 'zod';
import type { Principal } from '#domain/account';
import { requirePermission } from '#domain/roles/permission-check';
import { ConflictError } from '#domain/errors';
import { NestedResource, type NestedResourceDependencies } from '#domain/records/nested-resource';
import {
  type createCommentSchema,
  type createForumCategorySchema,
  type createForumSchema,
  type createTopicSchema,
  forumCategoryFieldsSchema,
  forumFieldsSchema,
  topicFieldsSchema,
  commentFieldsSchema,
} from './discussion-schemas.ts';
import { authorOrAdmin, authorSubject, callingAgent, type PostAuthor } from './post-author.ts';
import type { PersonalFieldDeclaration } from '#domain/encryption/personal-field-declaration';

export type ForumCategoryFields = z.infer<typeof forumCategoryFieldsSchema>;
export type ForumFields = z.infer<typeof forumFieldsSchema> & { forum_category_id: number };
export type TopicFields = z.infer<typeof topicFieldsSchema> &
  PostAuthor & { forum_id: number; published: boolean };
export type CommentFields = z.infer<typeof commentFieldsSchema> &
  PostAuthor & { topic_id: number; forum_id: number; published: boolean };

/** Which topic fields are personal: its title and opening post (docs/encryption.md). */
export const topicPersonalFields: PersonalFieldDeclaration<TopicFields> = {
  title: 'personal',
  message: 'personal',
  sticky: 'plain',
  locked: 'plain',
  stamp_type: 'plain',
  user_id: 'plain',
  user_type: 'plain',
  forum_id: 'plain',
  published: 'plain',
};

/** Which comment fields are personal: its body (docs/encryption.md). */
export const commentPersonalFields: PersonalFieldDeclaration<CommentFields> = {
  body: 'personal',
  answer: 'plain',
  user_id: 'plain',
  user_type: 'plain',
  topic_id: 'plain',
  forum_id: 'plain',
  published: 'plain',
};

type CreateForumCategory = z.infer<typeof createForumCategorySchema>;
type CreateForum = z.infer<typeof createForumSchema>;
type CreateTopic = z.infer<typeof createTopicSchema>;
type CreateComment = z.infer<typeof createCommentSchema>;

const manageForums = (principal: Principal) =>
  requirePermission(principal, 'admin.forums', 'manage forum categories and forums');
const anyAgent = () => undefined;
const lower = (name: string) => name.trim().toLowerCase();

/**
 * Freshdesk v2 discussions: forum categories > forums > topics > comments. Administrators manage
 * categories and forums; every agent writes topics and comments and edits or deletes their own;
 * administrators moderate everyone's. Topics and comments are linked to their author.
 */
export class DiscussionService {
  readonly categories: NestedResource<ForumCategoryFields, CreateForumCategory>;
  readonly forums: NestedResource<ForumFields, CreateForum, ForumCategoryFields>;
  readonly topics: NestedResource<TopicFields, CreateTopic, ForumFields>;
  readonly comments: NestedResource<CommentFields, CreateComment, TopicFields>;

  constructor(deps: NestedResourceDependencies) {
    this.categories = new NestedResource(deps, {
      type: 'forum_category',
      build: (input) => ({ description: null, ...input }),
      uniqueValues: (fields) => ({ name: lower(fields.name) }),
      mayCreate: manageForums,
      mayChange: manageForums,
      conflictMessage: 'A forum category of that name exists, or it changed since you read it.',
    });
    this.forums = new NestedResource(deps, {
      type: 'forum',
      parent: { resource: this.categories, field: 'forum_category_id' },
      build: (input, { parent }) => ({
        description: null,
        company_ids: [],
        ...input,
        forum_category_id: Number(parent?.ref.id),
      }),
      uniqueValues: (fields) => ({ name: `${fields.forum_category_id}#${lower(fields.name)}` }),
      mayCreate: manageForums,
      mayChange: manageForums,
      conflictMessage: 'A forum of that name exists in the category, or it changed since you read it.',
    });
    this.topics = new NestedResource<TopicFields, CreateTopic, ForumFields>(deps, {
      type: 'topic',
      parent: { resource: this.forums, field: 'forum_id' },
      build: (input, { principal, parent }) => ({
        sticky: false,
        locked: false,
        stamp_type: null,
        ...input,
        forum_id: Number(parent?.ref.id),
        published: true,
        ...callingAgent(principal),
      }),
      subjects: authorSubject,
      mayCreate: anyAgent,
      mayChange: authorOrAdmin('topic'),
      conflictMessage: 'The topic changed since you read it.',
    });
    this.comments = new NestedResource<CommentFields, CreateComment, TopicFields>(deps, {
      type: 'comment',
      parent: { resource: this.topics, field: 'topic_id' },
      build: (input, { principal, parent }) => {
        const topic = parent?.fields;
        if (topic?.locked) throw new ConflictError('The topic is locked: no comments can be added.');
        return {
          answer: false,
          ...input,
          topic_id: Number(parent?.ref.id),
          forum_id: Number(topic?.forum_id),
          published: true,
          ...callingAgent(principal),
        };
      },
      subjects: authorSubject,
      oldestFirst: true,
      mayCreate: anyAgent,
      mayChange: authorOrAdmin('comment'),
      conflictMessage: 'The comment changed since you read it.',
    });
  }
}
