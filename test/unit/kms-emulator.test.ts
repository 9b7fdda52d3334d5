import {
  DecryptCommand,
  DescribeKeyCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  IncorrectKeyException,
  InvalidCiphertextException,
  KMSClient,
  KMSServiceException,
  NotFoundException,
} from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../local/emulators/emulator.ts';
import { startKmsEmulator } from '../../local/emulators/kms-emulator.ts';
import { localCredentials } from '../../local/local-credentials.ts';

/** The real KMS client against the local KMS endpoint: the wire protocol is what the SDK speaks. */
let kms: RunningEmulator;
const clients: KMSClient[] = [];
const clientIn = (region: string) => {
  const client = new KMSClient({ endpoint: kms.endpoint, region, credentials: localCredentials });
  clients.push(client);
  return client;
};
const context = { purpose: 'portal-token-secret', account: 'acct-1' };

beforeAll(async () => {
  kms = await startKmsEmulator(
    [
      { alias: 'alias/helpdesk-eea-data', awsRegion: 'eu-central-1' },
      { alias: 'alias/helpdesk-eea-logs', awsRegion: 'eu-central-1' },
      { alias: 'alias/helpdesk-us-data', awsRegion: 'us-east-1' },
    ],
    '000000000000',
  );
});
afterAll(async () => {
  for (const client of clients) client.destroy();
  await kms.stop();
});

describe('local KMS endpoint', () => {
  it('encrypts under an alias and decrypts with the same encryption context, naming the key by ARN', async () => {
    // Prepare
    const client = clientIn('eu-central-1');
    const plaintext = Buffer.from('thirty-two bytes of a secret....');

    // Act
    const encrypted = await client.send(
      new EncryptCommand({
        KeyId: 'alias/helpdesk-eea-data',
        Plaintext: plaintext,
        EncryptionContext: context,
      }),
    );
    const decrypted = await client.send(
      new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob, EncryptionContext: context }),
    );

    // Assess
    expect(encrypted.KeyId).toMatch(/^arn:aws:kms:eu-central-1:000000000000:key\/[0-9a-f-]{36}$/);
    expect(Buffer.from(encrypted.CiphertextBlob ?? []).includes(plaintext)).toBe(false);
    expect(Buffer.from(decrypted.Plaintext ?? []).equals(plaintext)).toBe(true);
    expect(decrypted.KeyId).toBe(encrypted.KeyId);
  });

  it('refuses to decrypt with another or no encryption context, or an altered blob (InvalidCiphertextException)', async () => {
    // Prepare
    const client = clientIn('eu-central-1');
    const { CiphertextBlob } = await client.send(
      new EncryptCommand({
        KeyId: 'alias/helpdesk-eea-data',
        Plaintext: Buffer.from('x'),
        EncryptionContext: context,
      }),
    );
    const altered = Buffer.from(CiphertextBlob ?? []);
    altered[altered.length - 1] = (altered.at(-1) ?? 0) ^ 1;

    // Act
    const attempts = [
      { CiphertextBlob, EncryptionContext: { ...context, account: 'acct-2' } },
      { CiphertextBlob, EncryptionContext: { purpose: context.purpose } },
      { CiphertextBlob },
      { CiphertextBlob: altered, EncryptionContext: context },
      { CiphertextBlob: Buffer.from('not a blob'), EncryptionContext: context },
    ].map((input) => client.send(new DecryptCommand(input)).catch((error: unknown) => error));

    // Assess
    for (const outcome of await Promise.all(attempts)) {
      expect(outcome).toBeInstanceOf(InvalidCiphertextException);
      expect((outcome as KMSServiceException).$metadata.httpStatusCode).toBe(400);
    }
  });

  it('finds keys by id, key ARN, alias and alias ARN in the signing region only', async () => {
    // Prepare
    const eea = clientIn('eu-central-1');
    const us = clientIn('us-east-1');
    const { KeyMetadata } = await eea.send(new DescribeKeyCommand({ KeyId: 'alias/helpdesk-eea-data' }));
    const aliasArn = 'arn:aws:kms:eu-central-1:000000000000:alias/helpdesk-eea-data';

    // Act
    const byName = await Promise.all(
      [KeyMetadata?.KeyId, KeyMetadata?.Arn, aliasArn].map((id) =>
        eea.send(new DescribeKeyCommand({ KeyId: id })),
      ),
    );
    const elsewhere = await us
      .send(new DescribeKeyCommand({ KeyId: 'alias/helpdesk-eea-data' }))
      .catch((error: unknown) => error);

    // Assess
    expect(KeyMetadata).toMatchObject({ Enabled: true, KeyState: 'Enabled', KeyUsage: 'ENCRYPT_DECRYPT' });
    for (const described of byName) expect(described.KeyMetadata?.Arn).toBe(KeyMetadata?.Arn);
    expect(elsewhere).toBeInstanceOf(NotFoundException);
  });

  it('answers IncorrectKeyException for another key of the region, and refuses a blob of another region', async () => {
    // Prepare
    const eea = clientIn('eu-central-1');
    const { CiphertextBlob: eeaBlob } = await eea.send(
      new EncryptCommand({ KeyId: 'alias/helpdesk-eea-data', Plaintext: Buffer.from('x') }),
    );
    const { CiphertextBlob: usBlob } = await clientIn('us-east-1').send(
      new EncryptCommand({ KeyId: 'alias/helpdesk-us-data', Plaintext: Buffer.from('x') }),
    );

    // Act
    const otherKey = await eea
      .send(new DecryptCommand({ CiphertextBlob: eeaBlob, KeyId: 'alias/helpdesk-eea-logs' }))
      .catch((error: unknown) => error);
    const otherRegion = await eea
      .send(new DecryptCommand({ CiphertextBlob: usBlob }))
      .catch((error: unknown) => error);

    // Assess
    expect(otherKey).toBeInstanceOf(IncorrectKeyException);
    expect(otherRegion).toBeInstanceOf(InvalidCiphertextException);
  });

  it('generates data keys whose ciphertext decrypts to the plaintext it returned', async () => {
    // Prepare
    const client = clientIn('eu-central-1');

    // Act
    const dataKey = await client.send(
      new GenerateDataKeyCommand({
        KeyId: 'alias/helpdesk-eea-data',
        KeySpec: 'AES_256',
        EncryptionContext: context,
      }),
    );
    const decrypted = await client.send(
      new DecryptCommand({
        CiphertextBlob: dataKey.CiphertextBlob,
        EncryptionContext: context,
        KeyId: 'alias/helpdesk-eea-data',
      }),
    );

    // Assess
    expect(dataKey.Plaintext).toHaveLength(32);
    expect(Buffer.from(decrypted.Plaintext ?? []).equals(Buffer.from(dataKey.Plaintext ?? []))).toBe(true);
  });

  it('answers unknown keys, operations and invalid input in the KMS error shape, never 500', async () => {
    // Prepare
    const client = clientIn('eu-central-1');

    // Act
    const unknownKey = await client
      .send(new EncryptCommand({ KeyId: 'alias/none', Plaintext: Buffer.from('x') }))
      .catch((error: unknown) => error);
    const tooLarge = await client
      .send(new EncryptCommand({ KeyId: 'alias/helpdesk-eea-data', Plaintext: Buffer.alloc(4097) }))
      .catch((error: unknown) => error);
    const raw = await fetch(kms.endpoint, {
      method: 'POST',
      headers: {
        'x-amz-target': 'TrentService.ScheduleKeyDeletion',
        'content-type': 'application/x-amz-json-1.1',
      },
      body: '{}',
    });

    // Assess
    expect(unknownKey).toBeInstanceOf(NotFoundException);
    expect((tooLarge as KMSServiceException).name).toBe('ValidationException');
    expect(raw.status).toBe(400);
    expect(await raw.json()).toMatchObject({ __type: 'UnknownOperationException' });
  });
});
