import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { DataKeyProvider, GeneratedDataKey, KmsOperation } from '#domain/encryption/data-key-provider';
import { SubjectKeyDestroyedError } from '#domain/encryption/subject-keys';
import { SubjectKeyring, subjectKeyCacheMs } from '#domain/encryption/subject-keyring';
import type { StoredSubjectKey, WrappedKeyStore } from '#domain/encryption/wrapped-key-store';
import type { SubjectRef } from '#domain/records/record';

const account = 'b5d5f7a0-0000-4000-8000-000000000001';
const ada: SubjectRef = { kind: 'contact', id: 1 };
const bob: SubjectRef = { kind: 'contact', id: 2 };
const cyd: SubjectRef = { kind: 'agent', id: 3 };
const idOf = (subject: SubjectRef) => `${account}|${subject.kind}|${subject.id}`;

/** The store port over a Map, counting reads; `gate` holds reads until released. */
class MapKeyStore implements WrappedKeyStore {
  readonly items = new Map<string, StoredSubjectKey>();
  reads = 0;
  gate?: Promise<void>;
  /** Called before a create is applied: lets a test store another container's key first. */
  beforeCreate?: () => void;

  async read(accountId: string, subject: SubjectRef) {
    this.reads += 1;
    // What the table answered; it reaches the caller once the gate opens.
    const item = this.items.get(`${accountId}|${subject.kind}|${subject.id}`);
    await this.gate;
    return item;
  }

  async create(accountId: string, subject: SubjectRef, wrapped: Uint8Array, createdAt: string) {
    this.beforeCreate?.();
    const id = `${accountId}|${subject.kind}|${subject.id}`;
    if (this.items.has(id)) return false;
    this.items.set(id, { state: 'active', wrapped, createdAt });
    return true;
  }

  async destroy(accountId: string, subject: SubjectRef, at: string) {
    const id = `${accountId}|${subject.kind}|${subject.id}`;
    const stored = this.items.get(id);
    const destroyedAt = stored?.state === 'destroyed' ? stored.destroyedAt : at;
    this.items.set(id, { state: 'destroyed', destroyedAt });
    return { destroyedAt };
  }
}

/** The provider port: wrapped keys are random handles to material it remembers, bound to their subject. */
class HandleKeyProvider implements DataKeyProvider {
  private readonly keys = new Map<string, { subject: string; material: Uint8Array }>();

  async generate(accountId: string, subject: SubjectRef): Promise<GeneratedDataKey> {
    const wrapped = randomBytes(16);
    const material = randomBytes(32);
    this.keys.set(wrapped.toString('hex'), {
      subject: `${accountId}|${subject.kind}|${subject.id}`,
      material,
    });
    return { material: Uint8Array.from(material), wrapped };
  }

  async unwrap(accountId: string, subject: SubjectRef, wrapped: Uint8Array) {
    const key = this.keys.get(Buffer.from(wrapped).toString('hex'));
    if (!key || key.subject !== `${accountId}|${subject.kind}|${subject.id}`)
      throw new Error('cannot unwrap');
    return Uint8Array.from(key.material);
  }
}

function keyring(options: { maxEntries?: number } = {}) {
  const store = new MapKeyStore();
  const provider = new HandleKeyProvider();
  const calls: KmsOperation[] = [];
  const time = { now: Date.parse('2026-12-08T00:00:00Z') };
  const keys = new SubjectKeyring(store, provider, {
    clock: () => time.now,
    kmsCalls: { counted: (operation) => calls.push(operation) },
    ...options,
  });
  return { keys, store, provider, calls, time };
}

describe('the subject keyring', () => {
  it('creates a subject key once, stores it wrapped, counts the GenerateDataKey and caches the key', async () => {
    // Prepare
    const { keys, store, calls } = keyring();

    // Act
    const first = await keys.keyFor(account, ada);
    const again = await keys.keyFor(account, ada);
    const existing = await keys.existingKey(account, ada);

    // Assess
    expect(first.material).toHaveLength(32);
    expect(first.subject).toEqual(ada);
    expect(again.material).toEqual(first.material);
    expect(existing?.material).toEqual(first.material);
    expect(calls).toEqual(['GenerateDataKey']);
    expect(store.reads).toBe(1);
    const stored = store.items.get(idOf(ada));
    expect(stored?.state).toBe('active');
    expect(Buffer.from((stored as { wrapped: Uint8Array }).wrapped)).not.toEqual(Buffer.from(first.material));
  });

  it('reads and unwraps a key another container created, counting one Decrypt', async () => {
    // Prepare
    const { keys: other, store, provider } = keyring();
    const created = await other.keyFor(account, ada);
    const calls: KmsOperation[] = [];
    const keys = new SubjectKeyring(store, provider, { kmsCalls: { counted: (op) => calls.push(op) } });

    // Act
    const read = await keys.keyFor(account, ada);

    // Assess
    expect(read.material).toEqual(created.material);
    expect(calls).toEqual(['Decrypt']);
  });

  it('answers no existing key for a subject that never had one, and creates none', async () => {
    // Prepare
    const { keys, store, calls } = keyring();

    // Act
    const existing = await keys.existingKey(account, ada);

    // Assess
    expect(existing).toBeUndefined();
    expect(store.items.size).toBe(0);
    expect(calls).toEqual([]);
  });

  it('keeps at most its bound of keys, evicting the least recently used', async () => {
    // Prepare
    const { keys, store, calls } = keyring({ maxEntries: 2 });
    await keys.keyFor(account, ada);
    await keys.keyFor(account, bob);
    await keys.keyFor(account, ada); // ada is now the most recently used
    calls.length = 0;
    store.reads = 0;

    // Act: a third subject evicts bob
    await keys.keyFor(account, cyd);
    await keys.keyFor(account, ada);
    const readsBeforeBob = store.reads;
    await keys.keyFor(account, bob);

    // Assess
    expect(readsBeforeBob).toBe(1); // cyd only: ada was cached
    expect(store.reads).toBe(2); // bob read again
    expect(calls).toEqual(['GenerateDataKey', 'Decrypt']);
  });

  it('reads a cached key again once its minutes are over', async () => {
    // Prepare
    const { keys, store, calls, time } = keyring();
    const created = await keys.keyFor(account, ada);
    calls.length = 0;

    // Act
    time.now += subjectKeyCacheMs - 1;
    await keys.keyFor(account, ada);
    const readsWhileFresh = store.reads;
    time.now += 1;
    const reread = await keys.keyFor(account, ada);

    // Assess
    expect(readsWhileFresh).toBe(1);
    expect(store.reads).toBe(2);
    expect(calls).toEqual(['Decrypt']);
    expect(reread.material).toEqual(created.material);
  });

  it('shares one read and one KMS call among concurrent requests for one subject', async () => {
    // Prepare
    const { keys: creator, store, provider } = keyring();
    await creator.keyFor(account, ada);
    const calls: KmsOperation[] = [];
    const keys = new SubjectKeyring(store, provider, { kmsCalls: { counted: (op) => calls.push(op) } });
    let release = () => undefined as void;
    store.gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    store.reads = 0;

    // Act
    const requests = [keys.keyFor(account, ada), keys.keyFor(account, ada), keys.keyFor(account, ada)];
    release();
    const answered = await Promise.all(requests);

    // Assess
    expect(store.reads).toBe(1);
    expect(calls).toEqual(['Decrypt']);
    expect(new Set(answered.map((key) => Buffer.from(key.material).toString('hex'))).size).toBe(1);
  });

  it("converges on another container's key when it stored one first, discarding its own", async () => {
    // Prepare: between our read (none yet) and our create, another container stores its key
    const { keys, store, provider, calls } = keyring();
    const theirs = await provider.generate(account, ada);
    store.beforeCreate = () => {
      store.beforeCreate = undefined;
      store.items.set(idOf(ada), { state: 'active', wrapped: theirs.wrapped, createdAt: 'earlier' });
    };
    const generate = provider.generate.bind(provider);
    let ours: Uint8Array | undefined;
    provider.generate = async (accountId, subject) => {
      const generated = await generate(accountId, subject);
      ours = generated.material;
      return generated;
    };

    // Act
    const answered = await keys.keyFor(account, ada);

    // Assess
    expect(Buffer.from(answered.material)).toEqual(Buffer.from(theirs.material));
    expect(store.items.get(idOf(ada))).toMatchObject({ wrapped: theirs.wrapped });
    expect(calls).toEqual(['GenerateDataKey', 'Decrypt']);
    expect(ours && Buffer.from(ours).every((byte) => byte === 0)).toBe(true);
  });

  it('drops a cached key at once when its subject is destroyed: both reads throw afterwards', async () => {
    // Prepare
    const { keys, calls } = keyring();
    await keys.keyFor(account, ada);
    await keys.keyFor(account, bob);
    calls.length = 0;

    // Act
    const destroyed = await keys.destroy(account, ada, '2026-12-08T00:01:00.000Z');
    const keyFor = await keys.keyFor(account, ada).catch((error: unknown) => error);
    const existing = await keys.existingKey(account, ada).catch((error: unknown) => error);
    const other = await keys.keyFor(account, bob);

    // Assess
    expect(destroyed).toEqual({ destroyedAt: '2026-12-08T00:01:00.000Z' });
    expect(keyFor).toBeInstanceOf(SubjectKeyDestroyedError);
    expect(existing).toBeInstanceOf(SubjectKeyDestroyedError);
    expect((keyFor as Error).name).toBe('SubjectKeyDestroyedError');
    expect((keyFor as Error).message).not.toContain(account);
    expect(other.subject).toEqual(bob);
    expect(calls).toEqual([]); // bob still cached; no key made for ada
  });

  it('throws for a subject destroyed by another container, and never makes it a new key', async () => {
    // Prepare
    const { keys: other, store, provider } = keyring();
    await other.destroy(account, ada, '2026-12-08T00:01:00.000Z');
    const calls: KmsOperation[] = [];
    const keys = new SubjectKeyring(store, provider, { kmsCalls: { counted: (op) => calls.push(op) } });

    // Act
    const keyFor = await keys.keyFor(account, ada).catch((error: unknown) => error);
    const again = await other.destroy(account, ada, '2026-12-09T00:00:00.000Z');

    // Assess
    expect(keyFor).toBeInstanceOf(SubjectKeyDestroyedError);
    expect(calls).toEqual([]);
    expect(store.items.get(idOf(ada))).toEqual({
      state: 'destroyed',
      destroyedAt: '2026-12-08T00:01:00.000Z',
    });
    expect(again.destroyedAt).toBe('2026-12-08T00:01:00.000Z');
  });

  it('does not cache a key whose load was under way when its subject was destroyed', async () => {
    // Prepare
    const { keys: creator, store, provider } = keyring();
    await creator.keyFor(account, ada);
    const keys = new SubjectKeyring(store, provider);
    let release = () => undefined as void;
    store.gate = new Promise<void>((resolve) => {
      release = resolve;
    });

    // Act: the load reads the key, the destroy lands before it is cached
    const loading = keys.keyFor(account, ada);
    await keys.destroy(account, ada, '2026-12-08T00:01:00.000Z');
    release();
    await loading;
    store.gate = undefined;
    const after = await keys.keyFor(account, ada).catch((error: unknown) => error);

    // Assess
    expect(after).toBeInstanceOf(SubjectKeyDestroyedError);
  });
});
