import { describe, expect, it } from 'vitest';
import { MalformedFileError, sourceRecords } from '../../lambdas/domain/migrations/source-reader.ts';
import { mapZendeskTicket, mapZendeskUser } from '../../lambdas/domain/migrations/zendesk-mapping.ts';
import { importedRecordId } from '../../lambdas/domain/migrations/source-ids.ts';

/** The bytes of `text` in chunks of `size`, as a stream delivers them (characters may be cut in two). */
async function* chunks(bytes: Buffer, size = 7): AsyncIterable<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function read(format: 'ndjson' | 'csv', content: string | Buffer, chunkSize?: number) {
  const records = [];
  for await (const record of sourceRecords('users', format, chunks(Buffer.from(content), chunkSize)))
    records.push(record);
  return records;
}

describe('migration source reader', () => {
  it('reads NDJSON across chunk boundaries, multi-byte characters included, skipping blank lines', async () => {
    const records = await read('ndjson', '{"id":1,"name":"Zoë Ünal"}\r\n\n{"id":2,"name":"李雷"}\n');

    expect(records).toEqual([
      { line: 1, value: { id: 1, name: 'Zoë Ünal' } },
      { line: 3, value: { id: 2, name: '李雷' } },
    ]);
  });

  it('fails a bad line alone, but a truncated last line, bytes that are not UTF-8 or no JSON at all fail the file', async () => {
    const bad = await read('ndjson', '{"id":1}\n{oops\n');
    const failures = [
      read('ndjson', '{"id":1}\n{"id":2,"na'),
      read(
        'ndjson',
        Buffer.concat([Buffer.from('{"id":1}\n{"id":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}\n')]),
      ),
      read('ndjson', 'id,name\n1,Ada\n'),
    ].map((promise) =>
      promise.then(
        () => undefined,
        (error: unknown) => error,
      ),
    );

    expect(bad[1]).toEqual({
      line: 2,
      failure: { source_id: null, field: null, reason: 'The line is not valid JSON.' },
    });
    const [truncated, notUtf8, notJson] = (await Promise.all(failures)) as MalformedFileError[];
    expect(truncated).toMatchObject({
      name: 'MalformedFile',
      line: 2,
      message: expect.stringMatching(/truncated/),
    });
    expect(notUtf8).toMatchObject({
      name: 'MalformedFile',
      line: 2,
      message: expect.stringMatching(/not UTF-8/),
    });
    expect(notJson).toMatchObject({ name: 'MalformedFile', message: expect.stringMatching(/not NDJSON/) });
  });

  it('reads CSV with quoted commas, quotes and line breaks, and fails rows of the wrong width alone', async () => {
    const records = await read(
      'csv',
      'id,name,notes\n1,"Doe, Jane","said ""hi""\nand left"\n2,only two\n3,Bo,\n',
    );

    expect(records).toEqual([
      { line: 2, value: { id: '1', name: 'Doe, Jane', notes: 'said "hi"\nand left' } },
      {
        line: 4,
        failure: expect.objectContaining({ reason: 'The row has 2 cells; the header names 3 columns.' }),
      },
      { line: 5, value: { id: '3', name: 'Bo' } },
    ]);
  });
});

describe('migration source reader: CSV at scale and at fault', () => {
  it('parses a 1 MiB record (one quoted cell of many lines) in well under a second', async () => {
    // Prepare: 12,900 lines of 80 characters inside one quoted cell, just under 1 MiB of record.
    const cell = Array.from({ length: 12_900 }, () => 'x'.repeat(80)).join('\n');
    const file = `id,notes\n1,"${cell}"\n2,after\n`;
    expect(cell.length).toBeGreaterThan(1_040_000);

    // Act
    const start = performance.now();
    const records = await read('csv', file, 64 * 1024);
    const elapsed = performance.now() - start;

    // Assess: the former reader parsed the open cell again with every line (a 160 KB cell took a minute).
    expect(elapsed).toBeLessThan(750);
    expect(records).toEqual([
      { line: 2, value: { id: '1', notes: cell } },
      { line: 12_902, value: { id: '2', notes: 'after' } },
    ]);
  });

  it('streams: the first record comes before the rest of the file is read', async () => {
    // Prepare: a large file, delivered in 64 KiB pieces as they are asked for.
    let delivered = 0;
    const row = 'p-1,Ada,ada@example.test\n';
    async function* source(): AsyncIterable<Uint8Array> {
      yield Buffer.from(`id,name,email\n${row}`);
      for (let i = 0; i < 1_000; i++) {
        delivered += 1;
        yield Buffer.from(row.repeat(2_600));
      }
    }

    // Act
    const records = sourceRecords('contacts', 'csv', source());
    const first = await records.next();
    await records.return(undefined);

    // Assess
    expect(first.value).toEqual({ line: 2, value: { id: 'p-1', name: 'Ada', email: 'ada@example.test' } });
    expect(delivered).toBeLessThan(50);
  });

  it('keeps line numbers, CRLF line breaks in cells, blank lines and stray quotes as before', async () => {
    const records = await read('csv', 'id,notes\r\n1,"two\r\nlines"\r\n\r\n2,say "hi"\r\n3,"a ""b"""\r\n');

    expect(records).toEqual([
      { line: 2, value: { id: '1', notes: 'two\nlines' } },
      { line: 5, value: { id: '2', notes: 'say "hi"' } },
      { line: 6, value: { id: '3', notes: 'a "b"' } },
    ]);
  });

  it('fails the file naming the line for an open quote at the end, a record over 1 MiB and bytes that are not UTF-8', async () => {
    // Prepare
    const failures = [
      read('csv', 'id,name\n1,Ada\n2,"Unclosed\nstill open\n'),
      read('csv', `id,notes\n1,ok\n2,"${'y'.repeat(1024 * 1024 + 1)}"\n3,next\n`),
      read(
        'csv',
        Buffer.concat([Buffer.from('id,name\n1,"Zo\n'), Buffer.from([0xc3, 0x28]), Buffer.from('"\n')]),
      ),
    ].map((promise) =>
      promise.then(
        () => undefined,
        (error: unknown) => error,
      ),
    );

    // Act
    const [open, oversize, notUtf8] = (await Promise.all(failures)) as MalformedFileError[];

    // Assess: named by line, never quoting a cell.
    expect(open).toMatchObject({
      name: 'MalformedFile',
      line: 3,
      message: 'The file is truncated: a quoted cell opened on line 3 never closes.',
    });
    expect(oversize).toMatchObject({
      name: 'MalformedFile',
      line: 3,
      message: expect.stringMatching(/line 3 is longer than 1048576 bytes/),
    });
    expect(oversize?.message).not.toContain('yyy');
    expect(notUtf8).toMatchObject({
      name: 'MalformedFile',
      line: 3,
      message: expect.stringMatching(/not UTF-8/),
    });
  });
});

describe('Zendesk mapping', () => {
  it('maps an end user to a contact and an agent to an agent, in one id space', () => {
    const contact = mapZendeskUser(1, {
      id: 7,
      name: 'Ada',
      email: 'ada@example.test',
      locale: 'de',
      organization_id: 3,
    });
    const agent = mapZendeskUser(2, { id: 8, name: 'Bo', email: 'bo@example.test', role: 'admin' });

    expect(contact.item).toMatchObject({
      kind: 'contact',
      space: 'user',
      sourceId: '7',
      fields: { language: 'de' },
    });
    expect(contact.item?.refs.company_id).toMatchObject({ space: 'organization', sourceId: '3' });
    expect(agent.item).toMatchObject({ kind: 'agent', space: 'user', fields: { role: 'admin' } });
  });

  it('fails a ticket with all its comments when one comment is bad, counting them', () => {
    const mapped = mapZendeskTicket(4, {
      id: 1,
      subject: 'S',
      requester_id: 7,
      comments: [
        { id: 1, author_id: 7, body: 'ok' },
        { id: 2, body: 'no author' },
      ],
    });

    expect(mapped.failures).toEqual([
      {
        entity: 'tickets',
        line: 4,
        source_id: '1',
        field: 'comments[1].author_id',
        reason: 'It is required.',
      },
    ]);
    expect(mapped.failures && mapped.records).toBe(3);
  });

  it('derives stable ids per account, source and id space, above any ticket number', () => {
    const id = importedRecordId('account-1', 'zendesk', 'user', '42');

    expect(importedRecordId('account-1', 'zendesk', 'user', '42')).toBe(id);
    expect(importedRecordId('account-2', 'zendesk', 'user', '42')).not.toBe(id);
    expect(importedRecordId('account-1', 'zendesk', 'ticket', '42')).not.toBe(id);
    expect(id).toBeGreaterThanOrEqual(2 ** 40);
    expect(id).toBeLessThan(2 ** 48);
  });
});
