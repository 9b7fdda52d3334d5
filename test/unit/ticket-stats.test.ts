import { describe, expect, it } from 'vitest';
import {
  noTicketStats,
  statsAfterConversation,
  statsAfterStatus,
} from '../../lambdas/domain/tickets/ticket-stats.ts';

const t1 = '2026-12-01T10:00:00.000Z';
const t2 = '2026-12-02T10:00:00.000Z';
const t3 = '2026-12-03T10:00:00.000Z';
const agentReply = { kind: 'reply', private: false, incoming: false, author_kind: 'agent' } as const;

describe('ticket stats', () => {
  it('says since when a ticket is pending, resolved or closed, and when it was reopened', () => {
    // Act
    const created = statsAfterStatus(noTicketStats, undefined, 2, t1);
    const pending = statsAfterStatus(created, 2, 3, t2);
    const resolved = statsAfterStatus(pending, 3, 4, t3);
    const reopened = statsAfterStatus(resolved, 4, 2, '2026-12-04T10:00:00.000Z');

    // Assert
    expect(created).toEqual({ ...noTicketStats, status_updated_at: t1 });
    expect(pending).toMatchObject({ status_updated_at: t2, pending_since: t2, reopened_at: null });
    expect(resolved).toMatchObject({ pending_since: null, resolved_at: t3, closed_at: null });
    expect(reopened).toMatchObject({ reopened_at: '2026-12-04T10:00:00.000Z', resolved_at: t3 });
    expect(statsAfterStatus(resolved, 4, 4, t1)).toBe(resolved);
  });

  it("keeps the first agent response, the last one, and the requester's last message", () => {
    // Act
    const first = statsAfterConversation(noTicketStats, agentReply, t1);
    const second = statsAfterConversation(first ?? noTicketStats, agentReply, t2);
    const fromRequester = statsAfterConversation(
      second ?? noTicketStats,
      { kind: 'reply', private: false, incoming: true, author_kind: 'contact' },
      t3,
    );

    // Assert
    expect(second).toMatchObject({ first_responded_at: t1, agent_responded_at: t2 });
    expect(fromRequester).toMatchObject({
      first_responded_at: t1,
      agent_responded_at: t2,
      requester_responded_at: t3,
    });
  });

  it('counts no private note and no public note of an agent as a response', () => {
    // Act
    const privateNote = statsAfterConversation(
      noTicketStats,
      { kind: 'note', private: true, incoming: false, author_kind: 'agent' },
      t1,
    );
    const publicNote = statsAfterConversation(
      noTicketStats,
      { kind: 'note', private: false, incoming: false, author_kind: 'agent' },
      t1,
    );

    // Assert
    expect(privateNote).toBeUndefined();
    expect(publicNote).toBeUndefined();
  });
});
