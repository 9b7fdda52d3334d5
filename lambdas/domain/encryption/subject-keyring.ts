import type { SubjectRef } from '#domain/records/record';
import { type DataKeyProvider, type KmsCallCounter, uncountedKmsCalls } from './data-key-provider.ts';
import { type DataKey, SubjectKeyDestroyedError, type SubjectKeys } from './subject-keys.ts';
import type { StoredSubjectKey, WrappedKeyStore } from './wrapped-key-store.ts';

/** How long a container keeps a subject's decrypted key before reading and unwrapping it again. */
export const subjectKeyCacheMs = 5 * 60_000;

/** Decrypted keys a container keeps at most; the least recently used one goes first. */
export const subjectKeyCacheEntries = 1000;

export interface SubjectKeyringOptions {
  /** Milliseconds since the epoch (injected in tests). */
  readonly clock?: () => number;
  readonly cacheMs?: number;
  readonly maxEntries?: number;
  readonly kmsCalls?: KmsCallCounter;
}

interface CachedKey {
  readonly key: DataKey;
  readonly cachedAt: number;
}

interface Load {
  readonly promise: Promise<DataKey | undefined>;
}

const keyBytes = 32;

/**
 * Subjects' data keys, wrapped in `store`, made and unwrapped by `provider`, with a per-container cache
 * of decrypted keys: bounded (least recently used evicted), each entry kept `cacheMs`, dropped at once
 * when this container destroys its subject. Concurrent requests for one subject share one read (and one
 * KMS call); two containers creating one subject's key at once converge on the one stored first.
 *
 * Another container's destroy reaches this one's cache only when the entry expires (at most `cacheMs`).
 */
export class SubjectKeyring implements SubjectKeys {
  private readonly cache = new Map<string, CachedKey>();
  private readonly loads = new Map<string, Load>();
  private readonly clock: () => number;
  private readonly cacheMs: number;
  private readonly maxEntries: number;
  private readonly kmsCalls: KmsCallCounter;

  constructor(
    private readonly store: WrappedKeyStore,
    private readonly provider: DataKeyProvider,
    options: SubjectKeyringOptions = {},
  ) {
    this.clock = options.clock ?? Date.now;
    this.cacheMs = options.cacheMs ?? subjectKeyCacheMs;
    this.maxEntries = options.maxEntries ?? subjectKeyCacheEntries;
    this.kmsCalls = options.kmsCalls ?? uncountedKmsCalls;
  }

  async keyFor(accountId: string, subject: SubjectRef): Promise<DataKey> {
    const key = await this.load(accountId, subject, true);
    if (!key) throw new Error('No subject key was created');
    return key;
  }

  existingKey(accountId: string, subject: SubjectRef): Promise<DataKey | undefined> {
    return this.load(accountId, subject, false);
  }

  async destroy(accountId: string, subject: SubjectRef, at: string): Promise<{ destroyedAt: string }> {
    const destroyed = await this.store.destroy(accountId, subject, at);
    // Dropped once the tombstone is stored: with it any load under way, whose key was read before.
    this.forget(cacheId(accountId, subject));
    return destroyed;
  }

  /** The cached key, or the one load of it in flight, or a new load (creating the key if `create`). */
  private load(accountId: string, subject: SubjectRef, create: boolean): Promise<DataKey | undefined> {
    const id = cacheId(accountId, subject);
    const cached = this.cached(id);
    if (cached) return Promise.resolve(cached);
    const loadId = `${create ? 'create' : 'read'}|${id}`;
    const inFlight = this.loads.get(loadId);
    if (inFlight) return inFlight.promise;
    const load: Load = {
      promise: this.read(accountId, subject, create)
        .then((key) => {
          // Cached only if no destroy of the subject ran while it loaded (it drops the load).
          if (key && this.loads.get(loadId) === load) this.remember(id, key);
          return key;
        })
        .finally(() => {
          if (this.loads.get(loadId) === load) this.loads.delete(loadId);
        }),
    };
    this.loads.set(loadId, load);
    return load.promise;
  }

  private async read(accountId: string, subject: SubjectRef, create: boolean): Promise<DataKey | undefined> {
    const stored = await this.store.read(accountId, subject);
    if (stored) return this.unwrap(accountId, subject, stored);
    if (!create) return undefined;
    return this.create(accountId, subject);
  }

  /** A new key, stored unless another container stored one first: then theirs, and ours is discarded. */
  private async create(accountId: string, subject: SubjectRef): Promise<DataKey> {
    this.kmsCalls.counted('GenerateDataKey');
    const generated = await this.provider.generate(accountId, subject);
    const createdAt = new Date(this.clock()).toISOString();
    if (await this.store.create(accountId, subject, generated.wrapped, createdAt)) {
      return dataKey(subject, generated.material);
    }
    generated.material.fill(0);
    const theirs = await this.store.read(accountId, subject);
    if (!theirs) throw new Error('The subject key store refused a key but holds none');
    return this.unwrap(accountId, subject, theirs);
  }

  private async unwrap(accountId: string, subject: SubjectRef, stored: StoredSubjectKey): Promise<DataKey> {
    if (stored.state === 'destroyed') throw new SubjectKeyDestroyedError();
    this.kmsCalls.counted('Decrypt');
    return dataKey(subject, await this.provider.unwrap(accountId, subject, stored.wrapped));
  }

  private cached(id: string): DataKey | undefined {
    const entry = this.cache.get(id);
    if (!entry) return undefined;
    this.cache.delete(id);
    if (this.clock() - entry.cachedAt >= this.cacheMs) return undefined;
    // Re-inserted: a Map iterates in insertion order, so the first entry is the least recently used.
    this.cache.set(id, entry);
    return entry.key;
  }

  private remember(id: string, key: DataKey): void {
    this.cache.delete(id);
    while (this.cache.size >= this.maxEntries) {
      const oldest = this.cache.keys().next();
      if (oldest.done) break;
      this.cache.delete(oldest.value);
    }
    this.cache.set(id, { key, cachedAt: this.clock() });
  }

  private forget(id: string): void {
    this.cache.delete(id);
    this.loads.delete(`create|${id}`);
    this.loads.delete(`read|${id}`);
  }
}

const cacheId = (accountId: string, subject: SubjectRef) => `${accountId}|${subject.kind}|${subject.id}`;

function dataKey(subject: SubjectRef, material: Uint8Array): DataKey {
  if (material.length !== keyBytes) throw new Error(`A subject key must be ${keyBytes} bytes`);
  return { subject: { kind: subject.kind, id: subject.id }, material };
}
