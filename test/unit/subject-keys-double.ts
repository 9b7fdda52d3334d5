import { randomBytes } from 'node:crypto';
import type { SubjectRef } from '../../lambdas/domain/records/record.ts';
import {
  type DataKey,
  SubjectKeyDestroyedError,
  type SubjectKeys,
} from '../../lambdas/domain/encryption/subject-keys.ts';

/** In-memory subject keys (the domain port, for unit tests): counts fetches, destroys for good. */
export class InMemorySubjectKeys implements SubjectKeys {
  private readonly keys = new Map<string, DataKey>();
  private readonly destroyed = new Map<string, string>();
  readonly fetches: string[] = [];

  private static id(accountId: string, subject: SubjectRef) {
    return `${accountId}/${subject.kind}#${subject.id}`;
  }

  async keyFor(accountId: string, subject: SubjectRef): Promise<DataKey> {
    const id = InMemorySubjectKeys.id(accountId, subject);
    this.fetches.push(id);
    if (this.destroyed.has(id)) throw new SubjectKeyDestroyedError();
    let key = this.keys.get(id);
    if (!key) {
      key = { subject, material: new Uint8Array(randomBytes(32)) };
      this.keys.set(id, key);
    }
    return Promise.resolve(key);
  }

  existingKey(accountId: string, subject: SubjectRef): Promise<DataKey | undefined> {
    const id = InMemorySubjectKeys.id(accountId, subject);
    this.fetches.push(id);
    if (this.destroyed.has(id)) return Promise.reject(new SubjectKeyDestroyedError());
    return Promise.resolve(this.keys.get(id));
  }

  destroy(accountId: string, subject: SubjectRef, at: string): Promise<{ destroyedAt: string }> {
    const id = InMemorySubjectKeys.id(accountId, subject);
    this.keys.delete(id);
    if (!this.destroyed.has(id)) this.destroyed.set(id, at);
    return Promise.resolve({ destroyedAt: this.destroyed.get(id) ?? at });
  }
}
