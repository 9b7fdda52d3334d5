import { describe, expect, it } from 'vitest';
import { MalformedFileError, sourceRecords } from '../../lambdas/domain/migrations/source-reader.ts';
import { mapZendeskTicket, mapZendeskUser } from '../../lambdas/domain/migrations/zendesk-mapping.ts';
import { importedRecordId } from '../../lambdas/domain/migrations/source-ids.ts';

/** The bytes of `text` in chunks of `size`, as a stream delivers them (characters may be cut in two). */
async function* chunks(bytes: Buffer, size = 7): AsyncIterable<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function read(format: 'ndjson' | 'csv', content: string | Buffer) {
  const records = [];
  for await (const record of sourceRecords('users', format, chunks(Buffer.from(content))))
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
