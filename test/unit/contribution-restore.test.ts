import { describe, expect, it } from 'vitest';
import { anonymisedFields } from '../../lambdas/domain/privacy/agent-anonymisation.ts';
import { contributionRestore } from '../../lambdas/domain/privacy/contribution-restore.ts';
import type { StoredRecord } from '../../lambdas/domain/records/record.ts';

const agentId = 7;
const at = '2026-06-01T00:00:00.000Z';

/** A reply by agent 7 on a contact's ticket, as it stood before the agent's soft erasure. */
const preImage: StoredRecord<object> = {
  accountId: 'acc',
  ref: { type: 'conversation', id: 3 },
  version: 2,
  createdAt: at,
  updatedAt: at,
  fields: { ticket_id: 1, user_id: agentId, author_kind: 'agent', body: 'Hello', from_email: 'a@x.test' },
  subjects: [
    { kind: 'contact', id: 5 },
    { kind: 'agent', id: agentId },
  ],
};

/** The reply as the anonymisation wrote it (version 3), then changed by `edit` in later versions. */
const anonymised = (edit: Record<string, unknown> = {}, version = 3): StoredRecord<object> => ({
  ...preImage,
  version,
  fields: { ...anonymisedFields(preImage, agentId), ...edit },
  subjects: [{ kind: 'contact', id: 5 }],
});

describe('restoring a contribution an agent soft erasure anonymised', () => {
  it('writes the pre-image back whole while the contribution is as the anonymisation left it', () => {
    expect(contributionRestore(preImage, 3, anonymised(), agentId)).toEqual({
      kind: 'pre-image',
      changedFields: ['author_placeholder', 'from_email'],
    });
  });

  it('after an edit, restores only what still holds what the anonymisation wrote, and the link', () => {
    const edited = anonymised({ body: 'Edited', from_email: 'someone@else.test' }, 4);

    const restore = contributionRestore(preImage, 3, edited, agentId);

    expect(restore).toEqual({
      kind: 'fields',
      fields: {
        ticket_id: 1,
        user_id: agentId,
        author_kind: 'agent',
        body: 'Edited',
        from_email: 'someone@else.test',
      },
      subjects: [
        { kind: 'contact', id: 5 },
        { kind: 'agent', id: agentId },
      ],
      changedFields: ['author_placeholder'],
    });
  });

  it('writes nothing when every change it made was changed again and the link is back', () => {
    const current: StoredRecord<object> = {
      ...anonymised({ author_placeholder: 'Other', from_email: 'b@x.test' }, 5),
      subjects: preImage.subjects,
    };

    expect(contributionRestore(preImage, 3, current, agentId)).toEqual({ kind: 'nothing' });
  });
});
