import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAwsClients } from '../../lambdas/adapters/aws-clients.ts';
import { S3ObjectStore } from '../../lambdas/adapters/s3-object-store.ts';
import { s3Refusal } from './s3-signature-check.ts';

// The production configuration: no emulator endpoint, the role's temporary credentials in the
// environment as Lambda gives them (fake here), the region's S3 endpoint, and a fixed clock.
const now = new Date('2026-03-02T10:00:00.250Z');
const secretAccessKey = 'fake-secret-access-key';
const key = 'accounts/acct-1/tickets/7/attachments/42';

function productionS3(): S3Client {
  vi.stubEnv('AWS_ENDPOINT_URL_S3', undefined);
  vi.stubEnv('AWS_ENDPOINT_URL', undefined);
  vi.stubEnv('AWS_REGION', 'eu-central-1');
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'ASIAFAKEACCESSKEY');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', secretAccessKey);
  vi.stubEnv('AWS_SESSION_TOKEN', 'fake-session-token');
  return createAwsClients().s3;
}

const storeOn = (s3: S3Client) => new S3ObjectStore(s3, () => now);
const queryOf = (url: string) => Object.fromEntries(new URL(url).searchParams);
const checksumParameters = (url: string) =>
  Object.keys(queryOf(url)).filter((name) => /^x-amz-(checksum-|sdk-checksum-)/i.test(name));

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(now);
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
});

describe('presigned uploads in the production configuration', () => {
  it('presign a PutObject without the checksum of an empty body, on the production S3 client itself', async () => {
    // Prepare
    const s3 = productionS3();

    // Act
    const url = await getSignedUrl(s3, new PutObjectCommand({ Bucket: 'attachments', Key: key }), {
      expiresIn: 900,
    });

    // Assess
    expect(url).not.toContain('AAAAAA');
    expect(checksumParameters(url)).toEqual([]);
  });

  it('bind the announced type and size: S3 takes the upload as announced, and refuses another size or type', async () => {
    // Prepare
    const store = storeOn(productionS3());

    // Act
    const upload = await store.presignUpload(
      'attachments',
      key,
      { contentType: 'image/png', bytes: 2048 },
      900,
    );
    const put = (headers: Record<string, string>, at = now) =>
      s3Refusal({ method: 'PUT', url: upload.url, headers, at }, secretAccessKey);

    // Assess
    const query = queryOf(upload.url);
    expect(checksumParameters(upload.url)).toEqual([]);
    expect(query).toMatchObject({
      'X-Amz-SignedHeaders': 'content-length;content-type;host',
      'X-Amz-Date': '20260302T100000Z',
      'X-Amz-Expires': '900',
      'X-Amz-Content-Sha256': 'UNSIGNED-PAYLOAD',
    });
    expect(new URL(upload.url).host).toBe('attachments.s3.eu-central-1.amazonaws.com');
    expect(upload.headers).toEqual({ 'Content-Type': 'image/png', 'Content-Length': '2048' });
    expect(upload.expiresAt).toBe('2026-03-02T10:15:00.000Z');
    expect(put(upload.headers)).toBeNull();
    expect(put({ ...upload.headers, 'Content-Length': '2049' })).toBe('SignatureDoesNotMatch');
    expect(put({ ...upload.headers, 'Content-Type': 'text/html' })).toBe('SignatureDoesNotMatch');
    expect(put({ 'Content-Length': '2048' })).toBe('SignatureDoesNotMatch');
    expect(put(upload.headers, new Date('2026-03-02T10:15:01Z'))).toBe('AccessDenied: Request has expired');
  });

  it('bind the type alone where no size was announced', async () => {
    // Prepare
    const store = storeOn(productionS3());

    // Act
    const upload = await store.presignUpload('recordings', key, { contentType: 'audio/mpeg' }, 600);

    // Assess
    expect(checksumParameters(upload.url)).toEqual([]);
    expect(queryOf(upload.url)['X-Amz-SignedHeaders']).toBe('content-type;host');
    expect(upload.headers).toEqual({ 'Content-Type': 'audio/mpeg' });
    expect(
      s3Refusal(
        { method: 'PUT', url: upload.url, headers: { 'Content-Type': 'audio/wav' }, at: now },
        secretAccessKey,
      ),
    ).toBe('SignatureDoesNotMatch');
  });
});

describe('presigned downloads in the production configuration', () => {
  it('answer as an attachment of the stored type, with no checksum mode and no file name', async () => {
    // Prepare
    const store = storeOn(productionS3());

    // Act
    const download = await store.presignDownload('attachments', key, 'image/png', 900);

    // Assess
    expect(queryOf(download.url)).toMatchObject({
      'response-content-disposition': 'attachment',
      'response-content-type': 'image/png',
      'X-Amz-SignedHeaders': 'host',
      'X-Amz-Expires': '900',
    });
    expect(Object.keys(queryOf(download.url)).filter((name) => /checksum/i.test(name))).toEqual([]);
    expect(download.expiresAt).toBe('2026-03-02T10:15:00.000Z');
    expect(s3Refusal({ method: 'GET', url: download.url, headers: {}, at: now }, secretAccessKey)).toBeNull();
  });
});

describe('presigned URL lifetimes', () => {
  it('end when the signing credentials expire, if that comes first, and say so', async () => {
    // Prepare: credentials that expire ten minutes from now (the SDK knows when, e.g. from STS).
    const s3 = productionS3();
    vi.stubEnv('AWS_CREDENTIAL_EXPIRATION', '2026-03-02T10:10:00Z');
    const store = storeOn(s3);

    // Act
    const download = await store.presignDownload('exports', key, 'application/json', 3600);

    // Assess
    expect(queryOf(download.url)['X-Amz-Expires']).toBe('600');
    expect(download.expiresAt).toBe('2026-03-02T10:10:00.000Z');
  });

  it('are an hour at most, whatever is asked', async () => {
    // Prepare
    const store = storeOn(productionS3());

    // Act
    const download = await store.presignDownload('exports', key, 'application/json', 7 * 24 * 3600);

    // Assess
    expect(queryOf(download.url)['X-Amz-Expires']).toBe('3600');
    expect(download.expiresAt).toBe('2026-03-02T11:00:00.000Z');
  });
});

describe("the SDK's own uploads in the production configuration", () => {
  it('still sign the SHA-256 of their body, which S3 checks, with no CRC32 computed', async () => {
    // Prepare: a middleware that records the signed request instead of sending it.
    const s3 = productionS3();
    const sent: Record<string, string>[] = [];
    s3.middlewareStack.add(
      (_next) => async (args) => {
        sent.push({ ...(args.request as { headers: Record<string, string> }).headers });
        return { output: { $metadata: {} }, response: {} };
      },
      { step: 'finalizeRequest', priority: 'low', name: 'recordSignedRequest' },
    );

    // Act
    await storeOn(s3).put('attachments', key, Buffer.from('hello'), 'text/plain');

    // Assess
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      'x-amz-content-sha256': '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824',
      authorization: expect.stringContaining('x-amz-content-sha256'),
    });
    expect(Object.keys(sent[0] ?? {}).filter((name) => name.startsWith('x-amz-checksum-'))).toEqual([]);
  });
});
