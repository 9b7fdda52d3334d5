import type { SubjectRef } from '#domain/records/record';

/** What the store holds for a subject: its key, wrapped by KMS, or the tombstone of a destroyed one. */
export type StoredSubjectKey =
  | { readonly state: 'active'; readonly wrapped: Uint8Array; readonly createdAt: string }
  | { readonly state: 'destroyed'; readonly destroyedAt: string };

/** Where subjects' keys are kept, wrapped only (the region's subject-key table). */
export interface WrappedKeyStore {
  /** The subject's stored key or tombstone, read consistently; undefined if it never had a key. */
  read(accountId: string, subject: SubjectRef): Promise<StoredSubjectKey | undefined>;
  /**
   * Stores `wrapped` as the subject's key unless the subject has an item already (a key, or the
   * tombstone of a destroyed one): true if stored, false (storing nothing) otherwise.
   */
  create(accountId: string, subject: SubjectRef, wrapped: Uint8Array, createdAt: string): Promise<boolean>;
  /**
   * Replaces the subject's key by a tombstone holding no key material (also when it never had a key,
   * so none can be made later); a second call keeps the first time. The time the key was destroyed.
   */
  destroy(accountId: string, subject: SubjectRef, at: string): Promise<{ destroyedAt: string }>;
}
