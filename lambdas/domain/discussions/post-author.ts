import type { Principal } from '#domain/account';
import { hasPermission } from '#domain/roles/permission-check';
import { AccessDeniedError } from '#domain/errors';
import type { StoredRecord, SubjectRef } from '#domain/records/record';

/**
 * The author of a topic or comment, as Freshdesk v2's `user_id`, and whether that id names an agent
 * or a contact (`user_type`, our addition: contacts will post through the portal).
 */
export interface PostAuthor {
  user_id: number;
  user_type: 'agent' | 'contact';
}

/** A post written through the API is the calling agent's. */
export const callingAgent = (principal: Principal): PostAuthor => ({
  user_id: principal.agentId,
  user_type: 'agent',
});

/** A post holds its author's words: the author is its subject. */
export const authorSubject = (fields: PostAuthor): SubjectRef[] => [
  { kind: fields.user_type, id: fields.user_id },
];

/** Authors edit and delete their own posts; administrators moderate everyone's. */
export const authorOrAdmin =
  (what: string) =>
  (principal: Principal, record: StoredRecord<PostAuthor>): void => {
    const own = record.fields.user_type === 'agent' && record.fields.user_id === principal.agentId;
    if (!own && !hasPermission(principal, 'admin.forums')) {
      throw new AccessDeniedError(`Only its author or an administrator may change this ${what}.`);
    }
  };
