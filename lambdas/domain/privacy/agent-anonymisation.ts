import type { RecordType, StoredRecord } from '#domain/records/record';

/** What an erased agent's contributions show instead of them: stable, and no personal data. */
export const deletedAgentPlaceholder = (agentId: number) => `Deleted agent ${agentId}`;

/** Fields naming an agent that may be empty: the reference is simply dropped (e.g. a ticket's responder). */
const optionalAgentFields: Partial<Record<RecordType, readonly string[]>> = {
  ticket: ['responder_id'],
  call: ['agent_id'],
  chat: ['agent_id'],
  satisfaction_rating: ['agent_id'],
};

/** A contribution's author (the id field, and the field saying whether it names an agent, if any). */
const authorFields: Partial<Record<RecordType, { readonly id: string; readonly kind?: string }>> = {
  conversation: { id: 'user_id', kind: 'author_kind' },
  huddle: { id: 'agent_id' },
  time_entry: { id: 'agent_id' },
  solution_article: { id: 'agent_id' },
  solution_article_translation: { id: 'agent_id' },
  topic: { id: 'user_id', kind: 'user_type' },
  comment: { id: 'user_id', kind: 'user_type' },
  attachment: { id: 'author_id', kind: 'author_kind' },
  chat_message: { id: 'actor_id', kind: 'actor_type' },
};

/** Copied data about the author that a contribution may carry (a reply's sender address). */
const authorCopies: Partial<Record<RecordType, readonly string[]>> = {
  conversation: ['from_email'],
};

/**
 * The fields of a record an erased agent is linked to, with the agent's data gone: optional references
 * emptied, authored contributions kept with `author_placeholder` ("Deleted agent 7") and copies of the
 * author's data cleared. Answers the record unchanged when nothing named the agent.
 */
export function anonymisedFields(record: StoredRecord<object>, agentId: number): Record<string, unknown> {
  const fields = { ...(record.fields as Record<string, unknown>) };
  for (const name of optionalAgentFields[record.ref.type] ?? []) {
    if (fields[name] === agentId) fields[name] = null;
  }
  const author = authorFields[record.ref.type];
  const byAgent =
    author && fields[author.id] === agentId && (!author.kind || fields[author.kind] === 'agent');
  if (byAgent) {
    fields.author_placeholder = deletedAgentPlaceholder(agentId);
    for (const name of authorCopies[record.ref.type] ?? [])
      if (fields[name] !== undefined) fields[name] = null;
  }
  return fields;
}
