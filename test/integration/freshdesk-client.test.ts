import { randomBytes, randomUUID } from 'node:crypto';
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
// The npm wrapper of the public Freshdesk v2 API, unchanged: only its base URL points at our API.
import { freshdeskLibrary } from './freshdesk-library.ts';

const platform = inject('localPlatform');
const { url, apiKey } = platform.regions.eea;
const { client, call } = freshdeskLibrary(url, apiKey);

interface Ticket {
  id: number;
  subject: string;
  requester_id: number;
  status: number;
}

describe('an existing Freshdesk v2 client library (freshdesk-api) against the local API', () => {
  it('manages contacts', async () => {
    const email = `lib-${randomUUID()}@example.test`;

    const created = await call<{ id: number; email: string }>('createContact', {
      name: 'Library Contact',
      email,
    });
    const fetched = await call<{ name: string }>('getContact', created.id);
    const updated = await call<{ job_title: string }>('updateContact', created.id, { job_title: 'Tester' });
    const listed = await call<{ id: number }[]>('listAllContacts', { email });
    await call('deleteContact', created.id);

    expect(created.email).toBe(email);
    expect(fetched.name).toBe('Library Contact');
    expect(updated.job_title).toBe('Tester');
    expect(listed.map((contact) => contact.id)).toEqual([created.id]);
    // A v2 delete is a soft erasure run as a workflow: the contact leaves the lists once it is done.
    let after = await call<unknown[]>('listAllContacts', { email });
    for (const deadline = Date.now() + 30_000; after.length > 0 && Date.now() < deadline;) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      after = await call<unknown[]>('listAllContacts', { email });
    }
    expect(after).toEqual([]);
  });

  it('manages tickets and their conversations', async () => {
    const email = `lib-${randomUUID()}@example.test`;

    const ticket = await call<Ticket>('createTicket', {
      subject: 'Via the client library',
      description: 'Hello',
      email,
      status: 2,
      priority: 3,
    });
    await call('createReply', ticket.id, { body: 'Reply' });
    await call('createNote', ticket.id, { body: 'Note', private: true });
    const conversations = await call<{ body: string }[]>('listAllConversations', ticket.id);
    const updated = await call<Ticket>('updateTicket', ticket.id, { status: 4 });
    const byRequester = await call<Ticket[]>('listAllTickets', { requester_id: ticket.requester_id });
    await call('deleteTicket', ticket.id);
    await call('restoreTicket', ticket.id);
    const restored = await call<Ticket>('getTicket', ticket.id);

    expect(conversations.map((conversation) => conversation.body)).toEqual(['Reply', 'Note']);
    expect(updated.status).toBe(4);
    expect(byRequester.map((t) => t.id)).toEqual([ticket.id]);
    expect(restored).toMatchObject({ id: ticket.id, subject: 'Via the client library' });
  });

  it('pages lists by number and by the link header, and reports a page too deep as a 400', async () => {
    // Prepare: five tickets of one requester, and the library's own paging report (`extra`).
    const email = `lib-${randomUUID()}@example.test`;
    const first = await call<Ticket>('createTicket', { subject: 'P0', description: 'x', email, priority: 1 });
    for (let n = 1; n < 5; n++) {
      await call('createTicket', {
        subject: `P${n}`,
        description: 'x',
        requester_id: first.requester_id,
        priority: 1,
      });
    }
    const page = (params: Record<string, unknown>) =>
      new Promise<{ tickets: Ticket[]; link?: string }>((resolve, reject) =>
        client.listAllTickets?.(params, (error: unknown, data: unknown, extra?: { _headersLink?: string }) =>
          error ? reject(error) : resolve({ tickets: data as Ticket[], link: extra?._headersLink }),
        ),
      );
    const base = { requester_id: first.requester_id, per_page: 2 };

    // Act: page 2 by number; then page 1 and on through each link's cursor, as the library passes params.
    const second = await page({ ...base, page: 2 });
    const followed: string[] = [];
    for (let params: Record<string, unknown> | undefined = base; params;) {
      const answer = await page(params);
      followed.push(...answer.tickets.map((ticket) => ticket.subject));
      const next = answer.link && new URL(/<([^>]+)>/.exec(answer.link)?.[1] as string);
      params = next
        ? { ...base, page: next.searchParams.get('page'), cursor: next.searchParams.get('cursor') }
        : undefined;
    }
    const tooDeep = await page({ ...base, per_page: 100, page: 21 }).catch((error: unknown) => error);

    // Assess
    expect(second.tickets.map((ticket) => ticket.subject)).toEqual(['P2', 'P1']);
    expect(followed).toEqual(['P4', 'P3', 'P2', 'P1', 'P0']);
    expect(tooDeep).toMatchObject({
      name: 'FreshdeskError',
      status: 400,
      data: { errors: [expect.objectContaining({ field: 'page', code: 'invalid_value' })] },
    });
  });

  it('surfaces our validation errors as the library reports Freshdesk errors', async () => {
    const failure = await call('createContact', { name: 'No identifier' }).catch((error: unknown) => error);

    expect(failure).toMatchObject({
      name: 'FreshdeskError',
      message: 'Validation failed',
      status: 400,
      data: { errors: [expect.objectContaining({ field: 'email', code: 'invalid_value' })] },
    });
  });

  it('manages the knowledge base: solution categories, folders and articles', async () => {
    const category = await call<{ id: number }>('createSolutionCategory', { name: `Lib ${randomUUID()}` });
    const folder = await call<{ id: number }>('createSolutionFolder', category.id, {
      name: 'Guides',
      visibility: 1,
    });
    const article = await call<{ id: number }>('createSolutionArticle', folder.id, {
      title: 'First steps',
      description: '<p>Start here.</p>',
      status: 1,
    });
    const published = await call<{ status: number }>('updateSolutionArticle', article.id, { status: 2 });
    const listed = await call<{ id: number }[]>('listAllSolutionFolderArticles', folder.id);
    const folders = await call<{ id: number }[]>('listAllSolutionCategoryFolders', category.id);
    await call('deleteSolutionArticle', article.id);
    const missing = await call('getSolutionArticle', article.id).catch((error: unknown) => error);

    expect(published.status).toBe(2);
    expect(listed.map((a) => a.id)).toEqual([article.id]);
    expect(folders.map((f) => f.id)).toEqual([folder.id]);
    expect(missing).toMatchObject({ name: 'FreshdeskError', status: 404 });
  });

  it("translates the knowledge base into the account's languages and searches it in each", async () => {
    // The demo account writes in English and supports German, Dutch and Swedish.
    const unique = randomUUID().slice(0, 8);
    const category = await call<{ id: number }>('createSolutionCategory', { name: `Billing ${unique}` });
    const folder = await call<{ id: number }>('createSolutionFolder', category.id, {
      name: 'Contracts',
      visibility: 1,
    });
    const article = await call<{ id: number }>('createSolutionArticle', folder.id, {
      title: `Cancel a contract ${unique}`,
      description: '<p>Write to us.</p>',
      status: 2,
    });

    const categoryDe = await call('createTranslatedSolutionCategory', category.id, 'de', {
      name: `Abrechnung ${unique}`,
    });
    const categoryDeUpdated = await call('updateTranslatedSolutionCategory', category.id, 'de', {
      description: 'Rechnungen und Verträge',
    });
    const categoryDeRead = await call('getTranslatedSolutionCategory', category.id, 'de');
    const folderNl = await call('createTranslatedSolutionFolder', folder.id, 'nl', { name: 'Contracten' });
    const folderNlUpdated = await call('updateTranslatedSolutionFolder', folder.id, 'nl', {
      description: 'Opzeggen',
    });
    const folderNlRead = await call('getTranslatedSolutionFolder', folder.id, 'nl');
    const articleSv = await call('createTranslatedSolutionArticle', article.id, 'sv', {
      title: `Säga upp avtalet ${unique}`,
      description: '<p>Skriv till oss.</p>',
      status: 1,
    });
    const articleSvUpdated = await call('updateTranslatedSolutionArticle', article.id, 'sv', { status: 2 });
    const articleSvRead = await call('getTranslatedSolutionArticle', article.id, 'sv');
    const found = await call<{ id: number; language: string }[]>('searchSolutionArticles', `säga ${unique}`);
    const primary = await call('getSolutionArticle', article.id);

    expect(categoryDe).toMatchObject({ id: category.id, name: `Abrechnung ${unique}`, language: 'de' });
    expect(categoryDeUpdated).toMatchObject({
      name: `Abrechnung ${unique}`,
      description: 'Rechnungen und Verträge',
    });
    expect(categoryDeRead).toEqual(categoryDeUpdated);
    expect(folderNl).toMatchObject({ id: folder.id, name: 'Contracten', visibility: 1, language: 'nl' });
    expect(folderNlUpdated).toMatchObject({ name: 'Contracten', description: 'Opzeggen' });
    expect(folderNlRead).toEqual(folderNlUpdated);
    expect(articleSv).toMatchObject({ id: article.id, status: 1, folder_id: folder.id, language: 'sv' });
    expect(articleSvUpdated).toMatchObject({ title: `Säga upp avtalet ${unique}`, status: 2 });
    expect(articleSvRead).toEqual(articleSvUpdated);
    expect(found).toEqual([expect.objectContaining({ id: article.id, language: 'sv' })]);
    expect(primary).toMatchObject({ title: `Cancel a contract ${unique}`, status: 2 });
  });

  it('creates a ticket with a file the way the library sends attachments (multipart/form-data)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fd-attach-'));
    const bytes = randomBytes(10_000);
    writeFileSync(join(dir, 'report.bin'), bytes);

    const ticket = await call<Ticket & { attachments: Array<{ name: string; attachment_url: string }> }>(
      'createTicket',
      {
        subject: 'With a file',
        description: 'See attached',
        email: `lib-${randomUUID()}@example.test`,
        priority: 2,
        attachments: [createReadStream(join(dir, 'report.bin'))],
      },
    );
    const downloaded = Buffer.from(
      await (await fetch(ticket.attachments[0]?.attachment_url ?? '')).arrayBuffer(),
    );
    rmSync(dir, { recursive: true });

    expect(ticket.attachments.map((attachment) => attachment.name)).toEqual(['report.bin']);
    expect(downloaded.equals(bytes)).toBe(true);
  });
});
