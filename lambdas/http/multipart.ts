import { Busboy, type BusboyHeaders } from '@fastify/busboy';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { z } from 'zod';
import { type FieldError, PayloadTooLargeError, ValidationError } from '#domain/errors';
import { formToInput } from './form-fields.ts';
import { fieldErrors, parseJsonBody } from './request.ts';

/**
 * Limits of a multipart/form-data request. A Lambda function behind API Gateway receives at most 6 MB
 * of event, and a binary body arrives base64-encoded (4/3 larger), so 4 MiB of body is what fits with
 * room for headers; larger files go through a presigned upload (docs/api.md, "Attachments").
 */
export const multipartLimits = {
  maxBodyBytes: 4 * 1024 * 1024,
  maxFiles: 10,
  maxFields: 200,
  maxFieldBytes: 100_000,
  maxFileNameLength: 255,
} as const;

export interface UploadedFile {
  /** The form field the file came in (Freshdesk v2: `attachments[]`). */
  readonly field: string;
  readonly name: string;
  readonly contentType: string;
  readonly bytes: Buffer;
}

export interface MultipartForm {
  /** Text fields in the order sent: [name, value]. */
  readonly fields: ReadonlyArray<readonly [string, string]>;
  readonly files: readonly UploadedFile[];
}

const multipartType = /^multipart\/form-data\s*(;|$)/i;
const mediaType = /^[\w!#$&^.+-]{1,127}\/[\w!#$&^.+-]{1,127}$/;

/** Whether the request's body is multipart/form-data (else it is expected to be JSON). */
export function isMultipart(event: APIGatewayProxyEventV2): boolean {
  return multipartType.test(event.headers?.['content-type'] ?? '');
}

const invalid = (field: string, message: string, code = 'invalid_value'): FieldError => ({
  field,
  message,
  code,
});

/**
 * Parses a multipart/form-data body (API Gateway passes it base64-encoded). Every problem (no boundary,
 * a truncated or malformed body, too many parts, an oversize field) is a 400 naming what is wrong, and
 * a body past the limit a 413; nothing is parsed lazily, so a handler sees a whole form or an error.
 */
export async function parseMultipart(event: APIGatewayProxyEventV2): Promise<MultipartForm> {
  const body = event.isBase64Encoded
    ? Buffer.from(event.body ?? '', 'base64')
    : Buffer.from(event.body ?? '', 'utf8');
  if (body.length > multipartLimits.maxBodyBytes) {
    throw new PayloadTooLargeError(
      `The request body must be at most ${multipartLimits.maxBodyBytes} bytes; upload larger files through POST /api/v2/tickets/{id}/attachments.`,
    );
  }
  const contentType = event.headers?.['content-type'] ?? '';
  let parser: InstanceType<typeof Busboy>;
  try {
    parser = new Busboy({
      headers: { 'content-type': contentType } as BusboyHeaders,
      isPartAFile: (_field, _type, fileName) => fileName !== undefined,
      limits: {
        files: multipartLimits.maxFiles,
        fields: multipartLimits.maxFields,
        fieldSize: multipartLimits.maxFieldBytes,
        fieldNameSize: 200,
      },
    });
  } catch {
    throw new ValidationError([
      invalid('content-type', 'multipart/form-data needs a boundary parameter', 'invalid_content_type'),
    ]);
  }
  return collect(parser, body);
}

function collect(parser: InstanceType<typeof Busboy>, body: Buffer): Promise<MultipartForm> {
  const fields: Array<readonly [string, string]> = [];
  const files: UploadedFile[] = [];
  const errors: FieldError[] = [];
  return new Promise((resolve, reject) => {
    const malformed = () =>
      reject(new ValidationError([invalid('body', 'The multipart/form-data body is malformed')]));
    parser.on('field', (name, value, nameTruncated, valueTruncated) => {
      if (nameTruncated) errors.push(invalid('body', 'A form field name is too long', 'invalid_field'));
      else if (valueTruncated) {
        errors.push(invalid(name, `It should be at most ${multipartLimits.maxFieldBytes} bytes`));
      } else fields.push([name, value]);
    });
    parser.on('file', (name, stream, fileName, _encoding, type) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', malformed);
      stream.on('end', () => {
        files.push({
          field: name,
          name: fileName.slice(0, multipartLimits.maxFileNameLength) || 'attachment',
          contentType: mediaType.test(type) ? type.toLowerCase() : 'application/octet-stream',
          bytes: Buffer.concat(chunks),
        });
      });
    });
    parser.on('filesLimit', () =>
      errors.push(invalid('attachments', `At most ${multipartLimits.maxFiles} files per request`)),
    );
    parser.on('fieldsLimit', () =>
      errors.push(invalid('body', `At most ${multipartLimits.maxFields} form fields per request`)),
    );
    parser.on('error', malformed);
    parser.on('finish', () => {
      if (errors.length) reject(new ValidationError(errors));
      else resolve({ fields, files });
    });
    parser.end(body);
  });
}

/**
 * The body of a write that may carry files, as Freshdesk v2 takes them: JSON, or multipart/form-data
 * with the same fields as form fields and the files in `attachments[]`. Validated whole before
 * anything is stored.
 */
export async function parseBodyWithFiles<S extends z.ZodType>(
  event: APIGatewayProxyEventV2,
  schema: S,
): Promise<{ input: z.infer<S>; files: UploadedFile[] }> {
  if (!isMultipart(event)) return { input: parseJsonBody(event, schema), files: [] };
  const form = await parseMultipart(event);
  const stray = form.files.find((file) => file.field !== 'attachments[]');
  if (stray) {
    throw new ValidationError([
      invalid(stray.field, 'Files are accepted in attachments[] only', 'invalid_field'),
    ]);
  }
  const input = formToInput(form.fields, schema);
  const result = schema.safeParse(input);
  if (!result.success) throw new ValidationError(fieldErrors(result.error, input));
  return { input: result.data, files: [...form.files] };
}
