import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DecryptCommand, GenerateDataKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { DynamoDBDocumentClient, GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DynamoRecordStore } from '../../lambdas/adapters/dynamo-record-store.ts';
import type { StoredRecord } from '../../lambdas/domain/records/record.ts';
import { KmsLookupKeys } from '../../lambdas/adapters/kms-lookup-keys.ts';

const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-central-1' }));
const dynamo = mockClient(documentClient);
const kmsClient = new KMSClient({ region: 'eu-central-1' });
const kms = mockClient(kmsClient);
afterEach(() => {
  dynamo.reset();
  kms.reset();
});

const plaintext = new Uint8Array(32).fill(9);
const wrapped = new Uint8Array([1, 2, 3]);
const otherWrapped = new Uint8Array([4, 5, 6]);
const keysOf = (cacheSize?: number) =>
  new KmsLookupKeys(kmsClient, 'alias/helpdesk-eea-data', documentClient, 'table', cacheSize);
const context = { purpose: 'lookup-key', account: 'acc-1' };

describe('KmsLookupKeys', () => {
  it('makes an account key on first use: GenerateDataKey with the account context, stored only wrapped', async () => {
    // Prepare
    dynamo.on(GetCommand).resolves({});
    dynamo.on(PutCommand).resolves({});
    kms.on(GenerateDataKeyCommand).resolves({ CiphertextBlob: wrapped, Plaintext: plaintext });
    kms.on(DecryptCommand).resolves({ Plaintext: plaintext });

    // Act
    const key = await keysOf().keyFor('acc-1');

    // Assess
    expect(key).toEqual(plaintext);
    expect(kms.commandCalls(GenerateDataKeyCommand)[0]?.args[0].input).toEqual({
      KeyId: 'alias/helpdesk-eea-data',
      KeySpec: 'AES_256',
      EncryptionContext: context,
    });
    const put = dynamo.commandCalls(PutCommand)[0]?.args[0].input;
    expect(put?.Item).toEqual({
      pk: 'A#acc-1#LOOKUPKEY',
      sk: 'KEY',
      item_type: 'lookup_key',
      wrapped_key: wrapped,
      key_version: 1,
    });
    expect(put?.ConditionExpression).toBe('attribute_not_exists(pk)');
    expect(kms.commandCalls(DecryptCommand)[0]?.args[0].input).toEqual({
      CiphertextBlob: wrapped,
      EncryptionContext: context,
    });
  });

  it('converges on the first key stored when two containers create one at once', async () => {
    // Prepare: the read finds none, the put loses the race, the read after it finds the winner's key.
    dynamo
      .on(GetCommand)
      .resolvesOnce({})
      .resolves({ Item: { wrapped_key: otherWrapped } });
    dynamo.on(PutCommand).rejects(new ConditionalCheckFailedException({ message: 'taken', $metadata: {} }));
    kms.on(GenerateDataKeyCommand).resolves({ CiphertextBlob: wrapped, Plaintext: new Uint8Array(32) });
    kms.on(DecryptCommand).resolves({ Plaintext: plaintext });

    // Act
    const key = await keysOf().keyFor('acc-1');

    // Assess
    expect(key).toEqual(plaintext);
    expect(kms.commandCalls(DecryptCommand)[0]?.args[0].input.CiphertextBlob).toEqual(otherWrapped);
  });

  it('decrypts once per container and account, keeping at most the bound of accounts', async () => {
    // Prepare
    dynamo.on(GetCommand).resolves({ Item: { wrapped_key: wrapped } });
    kms.on(DecryptCommand).resolves({ Plaintext: plaintext });
    const keys = keysOf(2);

    // Act
    await Promise.all([keys.keyFor('a'), keys.keyFor('a')]);
    await keys.keyFor('b');
    await keys.keyFor('a');
    await keys.keyFor('c'); // 'b' is the least recently used: it leaves.
    await keys.keyFor('a');
    await keys.keyFor('b');

    // Assess: a, b, c, then b again.
    expect(
      kms.commandCalls(DecryptCommand).map((call) => call.args[0].input.EncryptionContext?.account),
    ).toEqual(['a', 'b', 'c', 'b']);
    expect(kms.commandCalls(GenerateDataKeyCommand)).toHaveLength(0);
  });

  it('keeps no failed load: the next call tries again', async () => {
    dynamo.on(GetCommand).resolves({ Item: { wrapped_key: wrapped } });
    kms.on(DecryptCommand).rejectsOnce(new Error('throttled')).resolves({ Plaintext: plaintext });
    const keys = keysOf();

    await expect(keys.keyFor('acc-1')).rejects.toThrow('throttled');
    expect(await keys.keyFor('acc-1')).toEqual(plaintext);
  });
});

describe('the record store', () => {
  const record = (type: 'call' | 'contact', changes: Partial<StoredRecord> = {}): StoredRecord => ({
    accountId: 'acc-1',
    ref: { type, id: 5 },
    version: 1,
    createdAt: '2026-12-01T00:00:00.000Z',
    updatedAt: '2026-12-01T00:00:00.000Z',
    fields: {},
    subjects: [],
    ...changes,
  });
  const audit = (of: StoredRecord) =>
    ({
      at: of.createdAt,
      actor: { type: 'system', id: 'test' },
      operation: 'create',
      record: of.ref,
      changedFields: [],
    }) as const;

  it("loads the account's key only for a write whose records hold keyed values", async () => {
    // Prepare
    dynamo.on(TransactWriteCommand).resolves({});
    const keys = { keyFor: vi.fn(async () => new Uint8Array(32).fill(3)) };
    const store = new DynamoRecordStore(documentClient, 'table', { lookupKeys: keys });
    const call = record('call');
    const contact = record('contact', { uniqueValues: { email: 'ida@example.test' } });

    // Act
    await store.create(call, audit(call));
    const before = keys.keyFor.mock.calls.length;
    await store.create(contact, audit(contact));

    // Assess
    expect(before).toBe(0);
    expect(keys.keyFor).toHaveBeenCalledWith('acc-1');
  });
});
