import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DecryptCommand, GenerateDataKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { DynamoSubjectKeys } from '../../lambdas/adapters/dynamo-subject-keys.ts';
import { KmsDataKeys } from '../../lambdas/adapters/kms-data-keys.ts';

const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-central-1' }));
const dynamo = mockClient(documentClient);
const kmsClient = new KMSClient({ region: 'eu-central-1' });
const kms = mockClient(kmsClient);
afterEach(() => {
  dynamo.reset();
  kms.reset();
});

const account = '0b7c4f3e-1d2a-4c5b-8e9f-a0b1c2d3e4f5';
const subject = { kind: 'contact', id: 7 } as const;
const context = { purpose: 'subject-key', account, subject: 'contact#7' };

describe('the subject-key adapters as they call AWS', () => {
  it('read a wrapped key with a strongly consistent GetItem (a destroy elsewhere is seen at once)', async () => {
    // Prepare
    dynamo.on(GetCommand).resolves({ Item: { destroyed_at: '2026-12-08T01:00:00.000Z' } });

    // Act
    const stored = await new DynamoSubjectKeys(documentClient, 'helpdesk-eea-subject-keys').read(
      account,
      subject,
    );

    // Assess
    expect(stored).toEqual({ state: 'destroyed', destroyedAt: '2026-12-08T01:00:00.000Z' });
    expect(dynamo).toHaveReceivedCommandWith(GetCommand, {
      TableName: 'helpdesk-eea-subject-keys',
      Key: { pk: `A#${account}#SUBJECT#contact#7` },
      ConsistentRead: true,
    });
  });

  it('make AES-256 keys and unwrap them under the data key with the subject-key context', async () => {
    // Prepare
    const material = new Uint8Array(32).fill(7);
    kms.on(GenerateDataKeyCommand).resolves({ Plaintext: material, CiphertextBlob: new Uint8Array([1, 2]) });
    kms.on(DecryptCommand).resolves({ Plaintext: material });
    const keys = new KmsDataKeys(kmsClient, 'alias/helpdesk-eea-data');

    // Act
    const generated = await keys.generate(account, subject);
    const unwrapped = await keys.unwrap(account, subject, generated.wrapped);

    // Assess
    expect(unwrapped).toEqual(material);
    expect(kms).toHaveReceivedCommandWith(GenerateDataKeyCommand, {
      KeyId: 'alias/helpdesk-eea-data',
      KeySpec: 'AES_256',
      EncryptionContext: context,
    });
    expect(kms).toHaveReceivedCommandWith(DecryptCommand, {
      KeyId: 'alias/helpdesk-eea-data',
      CiphertextBlob: new Uint8Array([1, 2]),
      EncryptionContext: context,
    });
  });
});
