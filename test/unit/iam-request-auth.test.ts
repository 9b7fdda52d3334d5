import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { type IncomingSignedRequest, verifyIamRequest } from '../../local/iam-request-auth.ts';
import { localOperatorCredentials, localOperatorRoleArn } from '../../local/local-credentials.ts';

const signingRegion = 'eu-central-1';
const now = new Date('2026-12-07T14:00:00Z');

/** Signs a request as the CLI and the AWS SDKs do, and answers it as the local gateway receives it. */
async function signed(
  options: {
    credentials?: { accessKeyId: string; secretAccessKey: string };
    region?: string;
    service?: string;
    at?: Date;
  } = {},
): Promise<IncomingSignedRequest> {
  const body = JSON.stringify({ products: ['helpdesk'] });
  const signer = new SignatureV4({
    credentials: options.credentials ?? localOperatorCredentials,
    region: options.region ?? signingRegion,
    service: options.service ?? 'execute-api',
    sha256: Hash.bind(null, 'sha256'),
  });
  const request = await signer.sign(
    {
      method: 'PUT',
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: 4010,
      path: '/operator/v1/accounts/0b7c4c4e-2a58-4b39-9f0e-6c1d3f1a2b3c/products',
      query: { dry: 'no' },
      headers: { host: '127.0.0.1:4010', 'content-type': 'application/json' },
      body,
    },
    { signingDate: options.at ?? now },
  );
  return {
    method: 'PUT',
    url: '/operator/v1/accounts/0b7c4c4e-2a58-4b39-9f0e-6c1d3f1a2b3c/products?dry=no',
    headers: Object.fromEntries(
      Object.entries(request.headers).map(([name, value]) => [name.toLowerCase(), value]),
    ),
    body: Buffer.from(body),
  };
}

describe('the local gateway’s IAM authorization (SigV4, as API Gateway checks it)', () => {
  it("accepts a request signed with the local operator's credentials and names the operator role", async () => {
    // Prepare
    const request = await signed();

    // Act
    const identity = await verifyIamRequest(request, signingRegion, now);

    // Assess
    expect(identity).toMatchObject({
      userArn: localOperatorRoleArn,
      accessKey: localOperatorCredentials.accessKeyId,
    });
  });

  it('accepts a signature made up to 5 minutes before or after its clock', async () => {
    const early = await signed({ at: new Date(now.getTime() - 4 * 60_000) });
    const late = await signed({ at: new Date(now.getTime() + 4 * 60_000) });

    expect(await verifyIamRequest(early, signingRegion, now)).toBeDefined();
    expect(await verifyIamRequest(late, signingRegion, now)).toBeDefined();
  });

  it.each<[string, (request: IncomingSignedRequest) => IncomingSignedRequest]>([
    ['an unsigned request', ({ headers, ...rest }) => ({ ...rest, headers: { host: headers.host ?? '' } })],
    ['a tampered body', (request) => ({ ...request, body: Buffer.from('{"products":["hr"]}') })],
    ['a tampered path', (request) => ({ ...request, url: request.url.replace('products', 'suspend') })],
    ['a tampered query', (request) => ({ ...request, url: request.url.replace('dry=no', 'dry=yes') })],
    ['another method', (request) => ({ ...request, method: 'POST' })],
    ['another host', (request) => ({ ...request, headers: { ...request.headers, host: 'evil.test' } })],
    [
      'a forged signature',
      (request) => ({
        ...request,
        headers: {
          ...request.headers,
          authorization: (request.headers.authorization ?? '').replace(/Signature=\w/, 'Signature=0'),
        },
      }),
    ],
    [
      'a payload hash that is not the body’s',
      (request) => ({
        ...request,
        headers: { ...request.headers, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
      }),
    ],
  ])('refuses %s', async (_case, tamper) => {
    // Prepare
    const request = tamper(await signed());

    // Act
    const identity = await verifyIamRequest(request, signingRegion, now);

    // Assess
    expect(identity).toBeUndefined();
  });

  it.each<[string, Parameters<typeof signed>[0]]>([
    ['signed more than 5 minutes ago', { at: new Date(now.getTime() - 6 * 60_000) }],
    ['signed more than 5 minutes ahead', { at: new Date(now.getTime() + 6 * 60_000) }],
    [
      'signed with other credentials',
      { credentials: { accessKeyId: 'ASIAOTHERKEY00000000', secretAccessKey: 'x' } },
    ],
    [
      'signed with the right key id but another secret',
      { credentials: { accessKeyId: localOperatorCredentials.accessKeyId, secretAccessKey: 'guessed' } },
    ],
    ['signed for another region', { region: 'us-east-1' }],
    ['signed for another service', { service: 'lambda' }],
  ])('refuses a request %s', async (_case, options) => {
    // Prepare
    const request = await signed(options);

    // Act
    const identity = await verifyIamRequest(request, signingRegion, now);

    // Assess
    expect(identity).toBeUndefined();
  });
});
