import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  conversationView,
  type StoredConversation,
} from '../../lambdas/domain/tickets/conversation-service.ts';
import { htmlToText } from '../../lambdas/domain/tickets/html-text.ts';
import { ticketView, type StoredTicket } from '../../lambdas/domain/tickets/ticket-service.ts';

const conversation = (body: string) =>
  ({
    accountId: 'a',
    ref: { type: 'conversation', id: 1 },
    version: 1,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    fields: { body, ticket_id: 1, requester_id: 2, author_kind: 'agent', user_id: 3 },
    subjects: [],
  }) as unknown as StoredConversation;
const ticket = (description: string) =>
  ({
    ...conversation(''),
    ref: { type: 'ticket', id: 1 },
    fields: { description },
  }) as unknown as StoredTicket;

/** Milliseconds `work` takes. */
function timed(work: () => unknown): number {
  const start = performance.now();
  work();
  return performance.now() - start;
}

describe('HTML bodies as text', () => {
  it('turns a 100,000-character body of unclosed tags into text in linear time', () => {
    // Prepare
    const body = '<'.repeat(100_000);

    // Act
    const conversationMs = timed(() => conversationView(conversation(body)));
    const ticketMs = timed(() => ticketView(ticket(body)));

    // Assess: the regular expression this replaces took seconds on this body.
    expect(conversationMs).toBeLessThan(100);
    expect(ticketMs).toBeLessThan(100);
    expect(conversationView(conversation(body)).body_text).toBe(body);
    expect(ticketView(ticket(body)).description_text).toBe(body);
  });

  it('removes tags and keeps entities and stray brackets as they are', () => {
    // Act
    const text = conversationView(
      conversation('<p class="x">Fish &amp; chips</p> a < b > c <br/>d<e<f>g <unclosed'),
    ).body_text;

    // Assess
    expect(text).toBe('Fish &amp; chips a  c dg <unclosed');
  });

  it('gives exactly what the former regular expression gave, for any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('<', '>', 'a', ' ', '&', ';', '/', '\n') }), (html) => {
        expect(htmlToText(html)).toBe(html.replace(/<[^>]*>/g, ''));
      }),
    );
  });
});
