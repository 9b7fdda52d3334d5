import { ticketStatuses } from './ticket-schema.ts';

/**
 * When things happened to a ticket, as Freshdesk v2 shows them with `include=stats`. Kept on the
 * ticket (never client-writable), changed in the same transaction as what changes them: the ticket's
 * status, or a reply or incoming message added to it.
 */
export interface TicketStats {
  readonly first_responded_at: string | null;
  readonly agent_responded_at: string | null;
  readonly requester_responded_at: string | null;
  readonly status_updated_at: string | null;
  readonly reopened_at: string | null;
  readonly pending_since: string | null;
  readonly resolved_at: string | null;
  readonly closed_at: string | null;
}

export const noTicketStats: TicketStats = {
  first_responded_at: null,
  agent_responded_at: null,
  requester_responded_at: null,
  status_updated_at: null,
  reopened_at: null,
  pending_since: null,
  resolved_at: null,
  closed_at: null,
};

const done = (status: number) => status === ticketStatuses.resolved || status === ticketStatuses.closed;

/**
 * The stats after the status went from `from` (undefined: the ticket is new) to `to` at `at`: a
 * ticket pending, resolved or closed says since when; leaving pending clears `pending_since`; going
 * back to open from resolved or closed is a reopening.
 */
export function statsAfterStatus(
  stats: TicketStats,
  from: number | undefined,
  to: number,
  at: string,
): TicketStats {
  if (from === to) return stats;
  return {
    ...stats,
    status_updated_at: at,
    pending_since: to === ticketStatuses.pending ? at : null,
    resolved_at: to === ticketStatuses.resolved ? at : stats.resolved_at,
    closed_at: to === ticketStatuses.closed ? at : stats.closed_at,
    reopened_at: from !== undefined && done(from) && !done(to) ? at : stats.reopened_at,
  };
}

/** What a new conversation says about responses: who wrote it, to whom, and in public or not. */
export interface ConversationActivity {
  readonly kind: 'reply' | 'note';
  readonly private: boolean;
  readonly incoming: boolean;
  readonly author_kind: 'agent' | 'contact';
}

/**
 * The stats after a conversation was added at `at`, or undefined when it changes none: an agent's
 * public reply is a response (the first one is remembered); a message from the requester's side
 * (incoming, or written by a contact) is theirs. Private notes are neither.
 */
export function statsAfterConversation(
  stats: TicketStats,
  conversation: ConversationActivity,
  at: string,
): TicketStats | undefined {
  if (conversation.incoming || conversation.author_kind === 'contact') {
    return { ...stats, requester_responded_at: at };
  }
  if (conversation.kind === 'reply' && !conversation.private) {
    return { ...stats, first_responded_at: stats.first_responded_at ?? at, agent_responded_at: at };
  }
  return undefined;
}
