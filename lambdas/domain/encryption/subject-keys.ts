import type { SubjectRef } from '#domain/records/record';

/** A subject's 256-bit data key, in plaintext, only ever in memory. */
export interface DataKey {
  readonly subject: SubjectRef;
  readonly material: Uint8Array; // 32 bytes
}

/** Thrown when a subject's key was destroyed (erasure): their sealed values can never be opened again. */
export class SubjectKeyDestroyedError extends Error {
  constructor() {
    // No subject id or account in the message: it may reach logs.
    super("The data subject's key was destroyed; their encrypted data can no longer be read.");
    this.name = 'SubjectKeyDestroyedError';
  }
}

export interface SubjectKeys {
  /** The subject's key, created (GenerateDataKey, stored wrapped) on first use; cached. */
  keyFor(accountId: string, subject: SubjectRef): Promise<DataKey>;
  /** The subject's key if one was ever created, without creating one. */
  existingKey(accountId: string, subject: SubjectRef): Promise<DataKey | undefined>;
  /** Destroys the key for good (a tombstone stays, holding no key material); idempotent. */
  destroy(accountId: string, subject: SubjectRef, at: string): Promise<{ destroyedAt: string }>;
}
