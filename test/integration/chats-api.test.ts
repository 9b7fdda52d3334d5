import { randomUUID } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import { regionCaller } from './http-client.ts';

const platform = inject('localPlatform');

const call = regionCaller(platform);

describe('chats API', () => {
  it('keeps an EEA chat and its messages in order, from the contact and an agent', async () => {
    const contact = await call('eea', 'POST', '/api/v2/contacts', {
      name: 'Chatter',
      email: `ch-${randomUUID()}@example.test`,
    });
    const chat = await call('eea', 'POST', '/api/v2/chats', {
      contact_id: contact.body.id,
      started_at: '2026-11-23T09:00:00Z',
    });

    const hello = await call('eea', 'POST', `/api/v2/chats/${chat.body.id}/messages`, {
      body: 'Hello?',
      actor_type: 'contact',
    });
    const answer = await call('eea', 'POST', `/api/v2/chats/${chat.body.id}/messages`, {
      body: 'Hi!',
      actor_type: 'agent',
    });
    const messages = await call('eea', 'GET', `/api/v2/chats/${chat.body.id}/messages`);
    const byContact = await call('eea', 'GET', `/api/v2/chats?contact_id=${contact.body.id}`);

    expect(chat.status).toBe(201);
    expect(hello.body).toMatchObject({ actor_type: 'contact', actor_id: contact.body.id });
    expect(answer.body.actor_type).toBe('agent');
    expect(messages.body.map((m: { body: string }) => m.body)).toEqual(['Hello?', 'Hi!']);
    expect(byContact.body.map((c: { id: number }) => c.id)).toEqual([chat.body.id]);
  });

  it.each(['in', 'au'] as const)(
    'refuses chats for %s accounts, naming the residency rule',
    async (region) => {
      const refused = await call(region, 'POST', '/api/v2/chats', { started_at: '2026-11-23T09:00:00Z' });

      expect(refused.status).toBe(403);
      expect(refused.body.message).toMatch(/Residency rule: chat messages are not hosted in/);
    },
  );

  it('needs an author for a message in a chat without a contact', async () => {
    const chat = await call('us', 'POST', '/api/v2/chats', { started_at: '2026-11-23T09:00:00Z' });

    const refused = await call('us', 'POST', `/api/v2/chats/${chat.body.id}/messages`, {
      body: 'Who am I?',
      actor_type: 'contact',
    });

    expect(refused.status).toBe(400);
    expect(refused.body.errors[0]).toMatchObject({ field: 'actor_id', code: 'missing_field' });
  });
});
