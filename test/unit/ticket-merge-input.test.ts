import { describe, expect, it } from 'vitest';
import {
  maxMergedTickets,
  primaryNoteBody,
  secondaryNoteBody,
  ticketMergeSchema,
} from '#domain/tickets/ticket-merge';

describe('ticket merge input (Freshdesk v2 body)', () => {
  it('takes v2’s body, notes and the CC conversion', () => {
    // Act
    const parsed = ticketMergeSchema.safeParse({
      primary_id: 1,
      ticket_ids: [2, 3],
      convert_recepients_to_cc: true,
      note_in_primary: { body: 'P', private: false },
      note_in_secondary: { body: 'S' },
    });

    // Assess
    expect(parsed.success).toBe(true);
  });

  it.each([
    [{ primary_id: 1, ticket_ids: [1] }, 'ticket_ids'],
    [{ primary_id: 1, ticket_ids: [] }, 'ticket_ids'],
    [
      { primary_id: 1, ticket_ids: Array.from({ length: maxMergedTickets + 1 }, (_, i) => i + 2) },
      'ticket_ids',
    ],
    [{ primary_id: 0, ticket_ids: [2] }, 'primary_id'],
    [{ primary_id: 1, ticket_ids: [2], note_in_primary: { body: 'x', colour: 1 } }, 'note_in_primary'],
  ])('refuses %j at %s', (body, field) => {
    // Act
    const parsed = ticketMergeSchema.safeParse(body);

    // Assess
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path[0]).toBe(field);
  });

  it('writes notes with ticket ids only', () => {
    expect(secondaryNoteBody(12)).toBe('This ticket is closed and merged into ticket 12.');
    expect(primaryNoteBody([13, 14])).toBe('Tickets 13, 14 were merged into this ticket.');
  });
});
