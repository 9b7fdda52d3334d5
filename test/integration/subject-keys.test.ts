import { randomUUID } from 'node:crypto';
import { InvalidCiphertextException } from '@aws-sdk/client-kms';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { DynamoSubjectKeys } from '../../lambdas/adapters/dynamo-subject-keys.ts';
import { KmsDataKeys } from '../../lambdas/adapters/kms-data-keys.ts';
import type { KmsOperation } from '../../lambdas/domain/encryption/data-key-provider.ts';
import { SubjectKeyDestroyedError } from '../../lambdas/domain/encryption/subject-keys.ts';
import { SubjectKeyring } from '../../lambdas/domain/encryption/subject-keyring.ts';
import type { WrappedKeyStore } from '../../lambdas/domain/encryption/wrapped-key-store.ts';
import type { SubjectRef } from '../../lambdas/domain/records/record.ts';
import { keyAlias } from '../../lib/platform/names.ts';
import { emulatorDocumentClient, emulatorKmsClient } from './emulator-clients.ts';

/**
 * Subjects' keys on the local platform: wrapped in the EEA subject-key table (DynamoDB Local) by the
 * EEA data key of the local KMS endpoint, read by keyrings standing in for separate containers.
 */
const platform = inject('localPlatform');
const { subjectKeyTable } = platform.regions.eea;
const client = emulatorDocumentClient(platform);
const kms = emulatorKmsClient(platform, 'eea');
const store = new DynamoSubjectKeys(client, subjectKeyTable);
const dataKeys = new KmsDataKeys(kms, keyAlias('eea', 'data'));
afterAll(() => {
  client.destroy();
  kms.destroy();
});

/** A keyring as one container has it, counting its KMS calls; `over` a store of the test's choosing. */
function container(over: WrappedKeyStore = store) {
  const calls: KmsOperation[] = [];
  const keys = new SubjectKeyring(over, dataKeys, { kmsCalls: { counted: (op) => calls.push(op) } });
  return { keys, calls };
}

const item = async (accountId: string, subject: SubjectRef) =>
  (
    await client.send(
      new GetCommand({
        TableName: subjectKeyTable,
        Key: { pk: `A#${accountId}#SUBJECT#${subject.kind}#${subject.id}` },
        ConsistentRead: true,
      }),
    )
  ).Item;

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const ada: SubjectRef = { kind: 'contact', id: 101 };
const bob: SubjectRef = { kind: 'contact', id: 102 };

describe('subject keys on the local platform', () => {
  it('stores a new key only wrapped, and another container reads the same key', async () => {
    // Prepare
    const account = randomUUID();
    const first = container();
    const second = container();

    // Act
    const created = await first.keys.keyFor(account, ada);
    const read = await second.keys.keyFor(account, ada);
    const existing = await container().keys.existingKey(account, ada);
    const stored = await item(account, ada);

    // Assess
    expect(created.material).toHaveLength(32);
    expect(hex(read.material)).toBe(hex(created.material));
    expect(hex(existing?.material ?? new Uint8Array())).toBe(hex(created.material));
    expect(Object.keys(stored ?? {}).sort()).toEqual(['created_at', 'pk', 'wrapped_key']);
    expect(stored?.wrapped_key).toBeInstanceOf(Uint8Array);
    expect(hex(stored?.wrapped_key as Uint8Array)).not.toContain(hex(created.material));
    expect(first.calls).toEqual(['GenerateDataKey']);
    expect(second.calls).toEqual(['Decrypt']);
  });

  it('answers no existing key for a subject without one, and stores nothing', async () => {
    // Prepare
    const account = randomUUID();

    // Act
    const existing = await container().keys.existingKey(account, ada);

    // Assess
    expect(existing).toBeUndefined();
    expect(await item(account, ada)).toBeUndefined();
  });

  it('makes two containers that create one subject key at once converge on one key', async () => {
    // Prepare: both containers read "no key" before either stores one
    const account = randomUUID();
    let arrived = 0;
    let bothRead = () => undefined as void;
    const barrier = new Promise<void>((resolve) => {
      bothRead = resolve;
    });
    const racing: WrappedKeyStore = {
      read: async (accountId, subject) => {
        const stored = await store.read(accountId, subject);
        arrived += 1;
        if (arrived === 2) bothRead();
        if (arrived <= 2) await barrier;
        return stored;
      },
      create: (...args) => store.create(...args),
      destroy: (...args) => store.destroy(...args),
    };
    const [one, two] = [container(racing), container(racing)];

    // Act
    const [a, b] = await Promise.all([one.keys.keyFor(account, ada), two.keys.keyFor(account, ada)]);
    const kept = await container().keys.existingKey(account, ada);

    // Assess: both generated a key, one stored it, the other took it
    expect(hex(a.material)).toBe(hex(b.material));
    expect(hex(kept?.material ?? new Uint8Array())).toBe(hex(a.material));
    expect([...one.calls, ...two.calls].sort()).toEqual(['Decrypt', 'GenerateDataKey', 'GenerateDataKey']);
  });

  it('destroys a key for good: a tombstone without key material, both reads throw, no new key', async () => {
    // Prepare
    const account = randomUUID();
    const owner = container();
    await owner.keys.keyFor(account, ada);
    const elsewhere = container();

    // Act
    const destroyed = await owner.keys.destroy(account, ada, '2026-12-08T01:00:00.000Z');
    const again = await container().keys.destroy(account, ada, '2026-12-09T01:00:00.000Z');
    const outcomes = await Promise.all([
      owner.keys.keyFor(account, ada).catch((error: unknown) => error),
      owner.keys.existingKey(account, ada).catch((error: unknown) => error),
      elsewhere.keys.keyFor(account, ada).catch((error: unknown) => error),
      elsewhere.keys.existingKey(account, ada).catch((error: unknown) => error),
    ]);
    const tombstone = await item(account, ada);

    // Assess
    expect(destroyed).toEqual({ destroyedAt: '2026-12-08T01:00:00.000Z' });
    expect(again).toEqual({ destroyedAt: '2026-12-08T01:00:00.000Z' });
    for (const outcome of outcomes) expect(outcome).toBeInstanceOf(SubjectKeyDestroyedError);
    expect(tombstone).not.toHaveProperty('wrapped_key');
    expect(tombstone?.destroyed_at).toBe('2026-12-08T01:00:00.000Z');
    expect(elsewhere.calls).toEqual([]);
  });

  it('leaves a tombstone for a subject that never had a key, so none is made later', async () => {
    // Prepare
    const account = randomUUID();
    const keys = container();

    // Act
    await keys.keys.destroy(account, bob, '2026-12-08T01:00:00.000Z');
    const outcome = await keys.keys.keyFor(account, bob).catch((error: unknown) => error);
    // A creator that read "no key" just before the destroy: its put is refused
    const late = await store.create(account, bob, new Uint8Array([1, 2, 3]), '2026-12-08T01:00:01.000Z');

    // Assess
    expect(outcome).toBeInstanceOf(SubjectKeyDestroyedError);
    expect(keys.calls).toEqual([]);
    expect(late).toBe(false);
    expect(await item(account, bob)).toEqual({
      pk: `A#${account}#SUBJECT#contact#${bob.id}`,
      destroyed_at: '2026-12-08T01:00:00.000Z',
    });
  });

  it("does not unwrap a subject's key for another subject or account, even copied into its item", async () => {
    // Prepare: ada's wrapped key copied into bob's item
    const account = randomUUID();
    await container().keys.keyFor(account, ada);
    const wrapped = (await item(account, ada))?.wrapped_key as Uint8Array;
    await client.send(
      new PutCommand({
        TableName: subjectKeyTable,
        Item: { pk: `A#${account}#SUBJECT#contact#${bob.id}`, wrapped_key: wrapped, created_at: 'copied' },
      }),
    );

    // Act
    const outcomes = await Promise.all([
      dataKeys.unwrap(account, bob, wrapped).catch((error: unknown) => error),
      dataKeys.unwrap(randomUUID(), ada, wrapped).catch((error: unknown) => error),
      dataKeys.unwrap(account, { kind: 'agent', id: ada.id }, wrapped).catch((error: unknown) => error),
      container()
        .keys.keyFor(account, bob)
        .catch((error: unknown) => error),
    ]);
    const own = await dataKeys.unwrap(account, ada, wrapped);

    // Assess
    for (const outcome of outcomes) expect(outcome).toBeInstanceOf(InvalidCiphertextException);
    expect(own).toHaveLength(32);
  });
});
