import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { PayloadTooLargeError, ValidationError } from '../../lambdas/domain/errors.ts';
import { createTicketSchema } from '../../lambdas/domain/tickets/ticket-schema.ts';
import { formToInput } from '../../lambdas/http/form-fields.ts';
import { multipartLimits, parseBodyWithFiles, parseMultipart } from '../../lambdas/http/multipart.ts';

const boundary = 'b0undary';
type Part = { name: string; value: string | Buffer; fileName?: string; type?: string };

function multipartBody(parts: readonly Part[]): Buffer {
  return Buffer.concat([
    ...parts.flatMap((part) => [
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"` +
          (part.fileName !== undefined ? `; filename="${part.fileName}"` : '') +
          (part.type ? `\r\nContent-Type: ${part.type}` : '') +
          '\r\n\r\n',
      ),
      Buffer.isBuffer(part.value) ? part.value : Buffer.from(part.value),
      Buffer.from('\r\n'),
    ]),
    Buffer.from(`--${boundary}--\r\n`),
  ]);
}

const event = (body: Buffer, contentType = `multipart/form-data; boundary=${boundary}`) =>
  ({
    headers: { 'content-type': contentType },
    body: body.toString('base64'),
    isBase64Encoded: true,
  }) as unknown as APIGatewayProxyEventV2;

const errorsOf = async (action: () => Promise<unknown>) => {
  const error = await action().then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ValidationError);
  return (error as ValidationError).errors;
};

describe('multipart/form-data bodies', () => {
  it('gives files byte for byte, with their names and media types, and text fields in order', async () => {
    const bytes = Buffer.from([0, 13, 10, 45, 45, 255, 128, 13, 10]);

    const form = await parseMultipart(
      event(
        multipartBody([
          { name: 'subject', value: 'Printer on fire' },
          { name: 'attachments[]', value: bytes, fileName: 'log.bin', type: 'application/pdf' },
          { name: 'attachments[]', value: 'x', fileName: '../../etc/passwd', type: 'not a type' },
        ]),
      ),
    );

    expect(form.fields).toEqual([['subject', 'Printer on fire']]);
    expect(form.files.map((file) => [file.field, file.name, file.contentType])).toEqual([
      ['attachments[]', 'log.bin', 'application/pdf'],
      ['attachments[]', 'passwd', 'application/octet-stream'],
    ]);
    expect(form.files[0]?.bytes.equals(bytes)).toBe(true);
  });

  it('reads v2 form conventions: numbers where the schema wants them, name[] arrays, name[key] objects', async () => {
    const { input, files } = await parseBodyWithFiles(
      event(
        multipartBody([
          { name: 'email', value: 'a@example.test' },
          { name: 'subject', value: 'S' },
          { name: 'description', value: '<p>D</p>' },
          { name: 'priority', value: '3' },
          { name: 'tags[]', value: 'one' },
          { name: 'tags[]', value: 'two' },
          { name: 'custom_fields[cf_order]', value: '42' },
          { name: 'attachments[]', value: 'hello', fileName: 'a.txt', type: 'text/plain' },
        ]),
      ),
      createTicketSchema,
    );

    expect(input).toMatchObject({
      priority: 3,
      tags: ['one', 'two'],
      custom_fields: { cf_order: '42' },
    });
    expect(files.map((file) => file.bytes.toString())).toEqual(['hello']);
  });

  it('refuses a value that is not the type the field wants, naming the field', async () => {
    const errors = await errorsOf(() =>
      parseBodyWithFiles(
        event(
          multipartBody([
            { name: 'email', value: 'a@example.test' },
            { name: 'subject', value: 'S' },
            { name: 'description', value: 'D' },
            { name: 'priority', value: 'high' },
          ]),
        ),
        createTicketSchema,
      ),
    );

    expect(errors.map((error) => error.field)).toEqual(['priority']);
  });

  it('refuses files outside attachments[], repeated scalars, odd names and prototype keys', async () => {
    const ticket = [
      { name: 'email', value: 'a@example.test' },
      { name: 'subject', value: 'S' },
    ];
    const refused = async (extra: Part) =>
      (
        await errorsOf(() => parseBodyWithFiles(event(multipartBody([...ticket, extra])), createTicketSchema))
      )[0]?.field;

    expect(await refused({ name: 'avatar', value: 'x', fileName: 'a.png' })).toBe('avatar');
    expect(await refused({ name: 'subject', value: 'again' })).toBe('subject');
    expect(await refused({ name: 'custom_fields[a][b]', value: 'x' })).toBe('custom_fields[a][b]');
    expect(await refused({ name: '__proto__', value: 'x' })).toBe('__proto__');
    expect(() => formToInput([['custom_fields[__proto__]', 'x']], createTicketSchema)).toThrow(
      ValidationError,
    );
  });

  it('answers 400 for a truncated body, a missing boundary and a body that is not multipart', async () => {
    const whole = multipartBody([{ name: 'attachments[]', value: 'abc', fileName: 'a.txt' }]);

    expect(
      (await errorsOf(() => parseMultipart(event(whole.subarray(0, whole.length - 12)))))[0]?.field,
    ).toBe('body');
    expect((await errorsOf(() => parseMultipart(event(whole, 'multipart/form-data'))))[0]?.field).toBe(
      'content-type',
    );
    expect((await errorsOf(() => parseMultipart(event(Buffer.from('{"subject":"S"}')))))[0]?.field).toBe(
      'body',
    );
  });

  it(`refuses more than ${multipartLimits.maxFiles} files`, async () => {
    const files = Array.from({ length: multipartLimits.maxFiles + 1 }, (_, index) => ({
      name: 'attachments[]',
      value: 'x',
      fileName: `${index}.txt`,
    }));

    expect((await errorsOf(() => parseMultipart(event(multipartBody(files)))))[0]?.field).toBe('attachments');
  });

  it('refuses a body past the limit as too large (413), before parsing it', async () => {
    const big = multipartBody([
      { name: 'attachments[]', value: Buffer.alloc(multipartLimits.maxBodyBytes), fileName: 'big.bin' },
    ]);

    await expect(parseMultipart(event(big))).rejects.toBeInstanceOf(PayloadTooLargeError);
  });
});
