import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { deriveAgent, updateAgentSchema } from '../../lambdas/domain/agents/agent-service.ts';
import {
  deriveAttachment,
  presignAttachmentSchema,
} from '../../lambdas/domain/attachments/attachment-service.ts';
import { createCallSchema, deriveCall } from '../../lambdas/domain/calls/call-service.ts';
import {
  chatMessageSchema,
  createChatSchema,
  deriveChat,
  deriveMessage,
} from '../../lambdas/domain/chats/chat-service.ts';
import { deriveCompany } from '../../lambdas/domain/companies/company-service.ts';
import { contactFieldsSchema } from '../../lambdas/domain/contacts/contact-schema.ts';
import { deriveContact } from '../../lambdas/domain/contacts/contact-service.ts';
import {
  commentFieldsSchema,
  topicFieldsSchema,
} from '../../lambdas/domain/discussions/discussion-schemas.ts';
import { authorSubject } from '../../lambdas/domain/discussions/post-author.ts';
import {
  fieldClassesOf,
  noSubjects,
  personalFields,
} from '../../lambdas/domain/encryption/personal-fields.ts';
import { deriveLegalHold } from '../../lambdas/domain/holds/legal-hold.ts';
import {
  createIntegrationLinkSchema,
  deriveLink,
} from '../../lambdas/domain/integrations/integration-link-service.ts';
import { deriveMigration } from '../../lambdas/domain/migrations/migration.ts';
import { derivePrivacyRequest } from '../../lambdas/domain/privacy/privacy-request.ts';
import { type RecordType, recordTypes, type StoredRecord } from '../../lambdas/domain/records/record.ts';
import { createRatingSchema, deriveRating } from '../../lambdas/domain/satisfaction/rating-service.ts';
import {
  solutionArticleFieldsSchema,
  solutionArticleTranslationFieldsSchema,
} from '../../lambdas/domain/solutions/solution-schemas.ts';
import {
  deriveConversation,
  noteSchema,
  replySchema,
} from '../../lambdas/domain/tickets/conversation-service.ts';
import { deriveHuddle, huddleMessageSchema } from '../../lambdas/domain/tickets/huddle-service.ts';
import { ticketFieldsSchema } from '../../lambdas/domain/tickets/ticket-schema.ts';
import { deriveTicket } from '../../lambdas/domain/tickets/ticket-service.ts';
import { deriveWatch } from '../../lambdas/domain/tickets/ticket-watchers.ts';
import {
  createTimeEntrySchema,
  deriveTimeEntry,
} from '../../lambdas/domain/time-entries/time-entry-service.ts';

const at = '2026-12-01T10:00:00.000Z';
const sample = (type: RecordType, fields: Record<string, unknown>): StoredRecord<never> => ({
  accountId: 'acc-1',
  ref: { type, id: 5 },
  version: 1,
  createdAt: at,
  updatedAt: at,
  fields: fields as never,
  subjects: [],
});

/**
 * Every derivation the kinds' services write records through, on a record naming people: what
 * subjects it gives. (Topics, comments, articles and their translations derive in NestedResource from
 * their spec's `subjects`: `authorSubject`, or the author agent.)
 */
const derived: ReadonlyArray<readonly [RecordType, () => readonly unknown[]]> = [
  [
    'contact',
    () =>
      deriveContact(
        sample('contact', { name: 'Ann', email: null, phone: null, mobile: null, unique_external_id: null }),
      ).subjects,
  ],
  ['agent', () => deriveAgent(sample('agent', { email: 'a@example.com' })).subjects],
  ['ticket', () => deriveTicket(sample('ticket', { requester_id: 1, responder_id: 2 })).subjects],
  [
    'conversation',
    () =>
      deriveConversation(sample('conversation', { requester_id: 1, user_id: 2, author_kind: 'agent' }))
        .subjects,
  ],
  [
    'satisfaction_rating',
    () => deriveRating(sample('satisfaction_rating', { user_id: 1, agent_id: 2 })).subjects,
  ],
  ['time_entry', () => deriveTimeEntry(sample('time_entry', { agent_id: 2 })).subjects],
  ['ticket_watch', () => deriveWatch(sample('ticket_watch', { ticket_id: 1, agent_id: 2 })).subjects],
  ['huddle', () => deriveHuddle(sample('huddle', { requester_id: 1, agent_id: 2 })).subjects],
  ['call', () => deriveCall(sample('call', { contact_id: 1, agent_id: 2 })).subjects],
  ['chat', () => deriveChat(sample('chat', { contact_id: 1, agent_id: 2 })).subjects],
  [
    'chat_message',
    () => deriveMessage(sample('chat_message', { contact_id: 1, actor_type: 'agent', actor_id: 2 })).subjects,
  ],
  ['topic', () => authorSubject({ user_id: 2, user_type: 'agent' })],
  ['comment', () => authorSubject({ user_id: 1, user_type: 'contact' })],
  [
    'attachment',
    () =>
      deriveAttachment(sample('attachment', { requester_id: 1, author_kind: 'agent', author_id: 2 }))
        .subjects,
  ],
  [
    'integration_link',
    () =>
      deriveLink(
        sample('integration_link', {
          app: 'crm',
          record_type: 'contact',
          record_id: 1,
          external_id: 'x',
          contact_id: 1,
        }),
      ).subjects,
  ],
  ['company', () => deriveCompany(sample('company', { name: 'Acme' })).subjects],
  [
    'privacy_request',
    () =>
      derivePrivacyRequest(
        sample('privacy_request', {
          status: 'completed',
          subject_type: 'contact',
          subject_id: 1,
          type: 'export',
        }),
      ).subjects,
  ],
  ['migration', () => deriveMigration(sample('migration', {})).subjects],
  ['legal_hold', () => deriveLegalHold(sample('legal_hold', {})).subjects],
];

/**
 * Kinds whose records name a subject outside these derivations: articles and their translations
 * (NestedResource specs in solution-service.ts name the author agent).
 */
const subjectsBySpec: readonly RecordType[] = ['solution_article', 'solution_article_translation'];

/**
 * Schemas whose keys are stored as fields under the same names. The input keys stored otherwise are
 * named: a time entry's `time_spent` is stored as seconds, an agent's `role_ids` as `role` and
 * `custom_role_id`.
 */
interface StoredSchema {
  readonly type: RecordType;
  readonly schema: z.ZodObject;
  readonly storedOtherwise?: readonly string[];
}
const storedSchemas: readonly StoredSchema[] = [
  { type: 'contact', schema: contactFieldsSchema },
  { type: 'agent', schema: updateAgentSchema, storedOtherwise: ['role_ids'] },
  { type: 'ticket', schema: ticketFieldsSchema },
  { type: 'conversation', schema: replySchema },
  { type: 'conversation', schema: noteSchema },
  { type: 'satisfaction_rating', schema: createRatingSchema },
  { type: 'time_entry', schema: createTimeEntrySchema, storedOtherwise: ['time_spent'] },
  { type: 'huddle', schema: huddleMessageSchema },
  { type: 'call', schema: createCallSchema },
  { type: 'chat', schema: createChatSchema },
  { type: 'chat_message', schema: chatMessageSchema },
  { type: 'topic', schema: topicFieldsSchema },
  { type: 'comment', schema: commentFieldsSchema },
  { type: 'solution_article', schema: solutionArticleFieldsSchema },
  { type: 'solution_article_translation', schema: solutionArticleTranslationFieldsSchema },
  { type: 'attachment', schema: presignAttachmentSchema },
  { type: 'integration_link', schema: createIntegrationLinkSchema },
];

describe('personal field declarations', () => {
  it('class every record kind: a declaration, or no subjects', () => {
    expect(Object.keys(personalFields).sort()).toEqual([...recordTypes].sort());
  });

  it.each(derived)('match what %s records derive: subjects only for declared kinds', (type, subjectsOf) => {
    const subjects = subjectsOf();
    if (subjects.length > 0) expect(fieldClassesOf(type), `${type} names subjects`).toBeDefined();
    else expect(personalFields[type], `${type} names no subject`).toBe(noSubjects);
  });

  it('declare every kind whose records can name a subject, and no other', () => {
    const withSubjects = [
      ...derived.filter(([, subjectsOf]) => subjectsOf().length > 0).map(([type]) => type),
      ...subjectsBySpec,
    ];
    const declared = recordTypes.filter((type) => fieldClassesOf(type) !== undefined);
    expect([...declared].sort()).toEqual([...new Set(withSubjects)].sort());
  });

  it.each(storedSchemas)('know every key of the $type schema', ({ type, schema, storedOtherwise = [] }) => {
    const classes = fieldClassesOf(type) ?? {};
    const missing = Object.keys(schema.shape).filter(
      (key) => !storedOtherwise.includes(key) && !Object.hasOwn(classes, key),
    );
    expect(missing, `${type} keys without a declaration`).toEqual([]);
  });

  it('find every source file that gives records subjects among the files reviewed here', () => {
    // A new place that names subjects must be reviewed and its kind declared (then listed here).
    const reviewed = [
      'agents/agent-service.ts',
      'attachments/attachment-service.ts',
      'chats/chat-service.ts',
      'contacts/contact-reassignment.ts',
      'contacts/contact-reference.ts',
      'contacts/contact-service.ts',
      'discussions/discussion-service.ts',
      'integrations/integration-link-service.ts',
      'privacy/contribution-restore.ts',
      'privacy/privacy-request-service.ts',
      'privacy/subject-erasure.ts',
      'records/nested-resource.ts',
      'satisfaction/rating-service.ts',
      'solutions/solution-service.ts',
      'solutions/solution-translations.ts',
      'tickets/conversation-service.ts',
      'tickets/huddle-service.ts',
      'tickets/ticket-service.ts',
      'tickets/ticket-watchers.ts',
      'time-entries/time-entry-service.ts',
    ];
    const root = join(import.meta.dirname, '../../lambdas/domain');
    const naming = /subjects\??(:|\(| =)(?! \[\])(?! readonly)/;
    const files = (readdirSync(root, { recursive: true }) as string[])
      .filter((file) => file.endsWith('.ts') && !file.startsWith('encryption'))
      .filter((file) =>
        readFileSync(join(root, file), 'utf8')
          .split('\n')
          .some((line) => naming.test(line.trim()) && !/subjects\?: /.test(line)),
      )
      .map((file) => relative(root, join(root, file)))
      .sort();
    expect(files).toEqual(reviewed);
  });

  it('match the table of docs/encryption.md, kind by kind', () => {
    const doc = readFileSync(join(import.meta.dirname, '../../docs/encryption.md'), 'utf8');
    const names = (cell: string) => [...cell.matchAll(/`(\w+)`/g)].map(([, name]) => name).sort();
    const rows = doc
      .split('\n')
      .map((line) => /^\| `(\w+)` +\|(.*)\|(.*)\|$/.exec(line))
      .filter((row) => row !== null)
      .map(([, kind, personal, plain]) => [
        kind,
        { personal: names(personal ?? ''), plain: names(plain ?? '') },
      ]);
    const declared = recordTypes.flatMap((type) => {
      const classes = fieldClassesOf(type);
      if (!classes) return [];
      const of = (wanted: string) =>
        Object.entries(classes)
          .filter(([, fieldClass]) => fieldClass === wanted)
          .map(([name]) => name)
          .sort();
      return [[type, { personal: of('personal'), plain: of('plain') }]];
    });
    expect(Object.fromEntries(rows)).toEqual(Object.fromEntries(declared));
    const noSubjectKinds = recordTypes.filter((type) => personalFields[type] === noSubjects);
    const section = doc.slice(doc.indexOf('Kinds whose records never name a subject'));
    for (const kind of noSubjectKinds) expect(section, kind).toContain(`\`${kind}\``);
  });
});
