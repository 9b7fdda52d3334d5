import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import type { RunningEmulator } from './emulator.ts';
import {
  IncorrectKeyError,
  InvalidCiphertextError,
  KeyNotFoundError,
  type LocalKmsKey,
  LocalKmsKeyring,
  type LocalKmsKeySpec,
} from './kms-keyring.ts';

/**
 * A local AWS KMS endpoint on a free loopback port, for the one thing no npm package emulates: the
 * functions' direct Encrypt/Decrypt calls (the portal-token secret). It speaks KMS's wire protocol,
 * AWS JSON 1.1 (`X-Amz-Target: TrentService.<operation>`, JSON bodies with base64 blobs, errors as
 * `{"__type": …, "message": …}` with status 400), so the real `@aws-sdk/client-kms` talks to it
 * through `AWS_ENDPOINT_URL_KMS`. It serves Encrypt, Decrypt, GenerateDataKey and DescribeKey of
 * the keys it was started with, in the AWS region the request is signed for. It checks no
 * signatures, IAM policies, key policies or grant conditions: the infrastructure tests assert those
 * on the templates (docs/aws-behaviours.md).
 */
export async function startKmsEmulator(
  keys: readonly LocalKmsKeySpec[],
  awsAccountId: string,
): Promise<RunningEmulator> {
  const keyring = new LocalKmsKeyring(keys, awsAccountId);
  const server = createServer((request, response) => {
    void serve(keyring, request, response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A request the protocol refuses, answered as KMS names it (`__type`). */
class KmsProtocolError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
    this.name = 'KmsProtocolError';
  }
}

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');
const keyId = z.string().min(1).max(2048);
const encryptionContext = z.record(z.string(), z.string()).optional();

const operations = {
  Encrypt: z.object({ KeyId: keyId, Plaintext: base64, EncryptionContext: encryptionContext }),
  Decrypt: z.object({
    CiphertextBlob: base64,
    KeyId: keyId.optional(),
    EncryptionContext: encryptionContext,
  }),
  GenerateDataKey: z.object({
    KeyId: keyId,
    KeySpec: z.enum(['AES_256', 'AES_128']).optional(),
    NumberOfBytes: z.number().int().min(1).max(1024).optional(),
    EncryptionContext: encryptionContext,
  }),
  DescribeKey: z.object({ KeyId: keyId }),
} as const;
type Operation = keyof typeof operations;

const jsonContentType = 'application/x-amz-json-1.1';
const maxPlaintextBytes = 4096;

async function serve(keyring: LocalKmsKeyring, request: IncomingMessage, response: ServerResponse) {
  const requestId = randomUUID();
  try {
    const operation = operationOf(request);
    const input = operations[operation].safeParse(JSON.parse((await readBody(request)) || '{}'));
    if (!input.success) {
      throw new KmsProtocolError(
        'ValidationException',
        `Invalid ${operation} request: ${input.error.message}`,
      );
    }
    const region = signingRegionOf(request);
    const output = answer(keyring, operation, input.data as Record<string, unknown>, region);
    write(response, 200, requestId, output);
  } catch (error) {
    const [type, message] = kmsErrorOf(error);
    write(response, type === 'KMSInternalException' ? 500 : 400, requestId, { __type: type, message });
  }
}

function answer(
  keyring: LocalKmsKeyring,
  operation: Operation,
  input: Record<string, unknown>,
  region: string,
): Record<string, unknown> {
  const context = (input.EncryptionContext as Record<string, string> | undefined) ?? {};
  switch (operation) {
    case 'Encrypt': {
      const key = keyring.resolve(input.KeyId as string, region);
      const plaintext = Buffer.from(input.Plaintext as string, 'base64');
      if (plaintext.length < 1 || plaintext.length > maxPlaintextBytes) {
        throw new KmsProtocolError('ValidationException', 'Plaintext must be 1 to 4096 bytes');
      }
      return encrypted(key, keyring.encrypt(key, plaintext, context));
    }
    case 'Decrypt': {
      const { key, plaintext } = keyring.decrypt(
        Buffer.from(input.CiphertextBlob as string, 'base64'),
        context,
        region,
      );
      if (input.KeyId !== undefined && keyring.resolve(input.KeyId as string, region) !== key) {
        throw new IncorrectKeyError();
      }
      return { ...encrypted(key), Plaintext: plaintext.toString('base64') };
    }
    case 'GenerateDataKey': {
      const key = keyring.resolve(input.KeyId as string, region);
      const size = (input.NumberOfBytes as number | undefined) ?? (input.KeySpec === 'AES_128' ? 16 : 32);
      const plaintext = randomBytes(size);
      return {
        ...encrypted(key, keyring.encrypt(key, plaintext, context)),
        Plaintext: plaintext.toString('base64'),
      };
    }
    case 'DescribeKey': {
      const key = keyring.resolve(input.KeyId as string, region);
      return { KeyMetadata: keyMetadata(key) };
    }
  }
}

const encrypted = (key: LocalKmsKey, blob?: Buffer) => ({
  KeyId: key.arn,
  EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
  ...(blob && { CiphertextBlob: blob.toString('base64') }),
});

const keyMetadata = (key: LocalKmsKey) => ({
  AWSAccountId: key.arn.split(':')[4],
  KeyId: key.keyId,
  Arn: key.arn,
  Enabled: true,
  KeyState: 'Enabled',
  KeyUsage: 'ENCRYPT_DECRYPT',
  KeySpec: 'SYMMETRIC_DEFAULT',
  CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT',
  EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
  KeyManager: 'CUSTOMER',
  Origin: 'AWS_KMS',
  MultiRegion: false,
  Description: key.alias,
});

function operationOf(request: IncomingMessage): Operation {
  const target = String(request.headers['x-amz-target'] ?? '');
  const [service, operation = ''] = target.split('.');
  if (request.method !== 'POST' || service !== 'TrentService' || !(operation in operations)) {
    throw new KmsProtocolError('UnknownOperationException', `Unsupported operation '${target}'`);
  }
  return operation as Operation;
}

/** The region of the request's SigV4 credential scope (`Credential=<id>/<date>/<region>/kms/aws4_request`). */
function signingRegionOf(request: IncomingMessage): string {
  const match = /Credential=[^/,]+\/\d{8}\/([a-z0-9-]+)\/kms\/aws4_request/.exec(
    String(request.headers.authorization ?? ''),
  );
  if (!match?.[1]) throw new KmsProtocolError('MissingAuthenticationTokenException', 'Request is not signed');
  return match[1];
}

function kmsErrorOf(error: unknown): [string, string] {
  if (error instanceof KmsProtocolError) return [error.type, error.message];
  if (error instanceof InvalidCiphertextError) return ['InvalidCiphertextException', error.message];
  if (error instanceof KeyNotFoundError) return ['NotFoundException', error.message];
  if (error instanceof IncorrectKeyError) return ['IncorrectKeyException', error.message];
  if (error instanceof SyntaxError) return ['SerializationException', 'The request body is not JSON'];
  return ['KMSInternalException', 'Internal error'];
}

function write(response: ServerResponse, status: number, requestId: string, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': jsonContentType,
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': requestId,
  });
  response.end(text);
}

const maxBodyBytes = 64 * 1024;

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBodyBytes) {
        reject(new KmsProtocolError('ValidationException', 'The request body is too large'));
        request.destroy();
      } else chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
