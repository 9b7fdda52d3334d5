import { randomUUID } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import { freshdeskLibrary } from './freshdesk-library.ts';
import { demoLanguages } from '../../local/seed.ts';

/**
 * The freshdesk-api client's calls integrations make beside tickets and contacts: time entries (all
 * six, the timer included), helpdesk settings, company fields, the company autocomplete and the three
 * filter searches.
 */
const platform = inject('localPlatform');
const { url, apiKey } = platform.regions.eea;
const { call } = freshdeskLibrary(url, apiKey);

interface TimeEntry {
  id: number;
  ticket_id: number;
  note: string;
  billable: boolean;
  timer_running: boolean;
  time_spent: string;
}

describe('freshdesk-api calls of integrations against the local API', () => {
  it('logs time on a ticket with the six time-entry calls, the timer included', async () => {
    const ticket = await call<{ id: number }>('createTicket', {
      subject: 'Timed via the client library',
      description: 'Hello',
      email: `lib-${randomUUID()}@example.test`,
      priority: 1,
    });
    const executedAt = new Date('2026-11-02T09:00:00Z');

    const created = await call<TimeEntry>('createTimeEntry', ticket.id, {
      time_spent: '01:15',
      note: 'Set-up',
      billable: false,
      executed_at: executedAt.toISOString(),
    });
    const onTicket = await call<TimeEntry[]>('listAllTicketTimeEntries', ticket.id);
    const filtered = await call<TimeEntry[]>('listAllTimeEntries', {
      billable: false,
      executed_after: new Date('2026-11-01T00:00:00Z'),
      executed_before: new Date('2026-11-03T00:00:00Z'),
    });
    const updated = await call<TimeEntry>('updateTimeEntry', created.id, { note: 'Set-up and training' });
    const started = await call<TimeEntry>('toggleTimer', created.id);
    const stopped = await call<TimeEntry>('toggleTimer', created.id);
    await call('deleteTimeEntry', created.id);
    const afterDelete = await call<TimeEntry[]>('listAllTicketTimeEntries', ticket.id);

    expect(created).toMatchObject({ ticket_id: ticket.id, time_spent: '01:15', timer_running: false });
    expect(onTicket.map((entry) => entry.id)).toEqual([created.id]);
    expect(filtered.map((entry) => entry.id)).toContain(created.id);
    expect(updated.note).toBe('Set-up and training');
    expect(started.timer_running).toBe(true);
    expect(stopped).toMatchObject({ timer_running: false, time_spent: '01:15' });
    expect(afterDelete).toEqual([]);
  });

  it('finds tickets, contacts and companies with the three filter searches', async () => {
    const unique = randomUUID().slice(0, 8);
    const company = await call<{ id: number }>('createCompany', {
      name: `Filtered ${unique}`,
      domains: [`f${unique}.example.test`],
    });
    const email = `filter-${unique}@example.test`;
    const contact = await call<{ id: number }>('createContact', { name: 'Filtered', email });
    const ticket = await call<{ id: number }>('createTicket', {
      subject: 'Filtered via the client library',
      description: 'Hello',
      requester_id: contact.id,
      priority: 4,
      tags: [`t${unique}`],
    });
    const ids = (answer: { results: { id: number }[] }) => answer.results.map((record) => record.id);

    const tickets = await call<{ results: { id: number }[]; total: number }>(
      'filterTickets',
      `tag:'t${unique}' AND priority:4`,
      1,
    );
    const contacts = await call<{ results: { id: number }[] }>('filterContacts', `email:'${email}'`);
    const companies = await call<{ results: { id: number }[] }>(
      'filterCompanies',
      `domain:'f${unique}.example.test'`,
    );

    expect(ids(tickets)).toEqual([ticket.id]);
    expect(tickets.total).toBe(1);
    expect(ids(contacts)).toEqual([contact.id]);
    expect(ids(companies)).toEqual([company.id]);
  });

  it("reads the helpdesk's languages: the demo account's knowledge base languages", async () => {
    const settings = await call<Record<string, unknown>>('getSettings');

    expect(settings).toEqual({
      primary_language: 'en',
      supported_languages: demoLanguages,
      portal_languages: [],
    });
  });

  it('lists company fields and finds companies by the beginning of their name', async () => {
    const unique = `Lib${randomUUID().slice(0, 8)}`;
    const company = await call<{ id: number }>('createCompany', { name: `${unique} Holdings` });

    const fields = await call<Array<{ name: string; default: boolean }>>('listAllCompanyFields');
    const found = await call<{ companies: Array<{ id: number; name: string }> }>('searchCompany', {
      name: unique.toLowerCase(),
    });

    expect(fields.filter((field) => field.default).map((field) => field.name)).toContain('domains');
    expect(found).toEqual({ companies: [{ id: company.id, name: `${unique} Holdings` }] });
  });
});
