import type { SubjectRef } from '#domain/records/record';

/** A new data key: its plaintext (in memory only) and the same key wrapped by the region's KMS key. */
export interface GeneratedDataKey {
  readonly material: Uint8Array;
  readonly wrapped: Uint8Array;
}

/**
 * Makes and unwraps subjects' data keys (KMS GenerateDataKey and Decrypt under the region's data key),
 * each bound to its account and subject: a wrapped key unwraps only for the subject it was made for.
 */
export interface DataKeyProvider {
  generate(accountId: string, subject: SubjectRef): Promise<GeneratedDataKey>;
  unwrap(accountId: string, subject: SubjectRef, wrapped: Uint8Array): Promise<Uint8Array>;
}

/** The KMS operations subject keys cost. */
export type KmsOperation = 'GenerateDataKey' | 'Decrypt';

/** Counts the KMS calls made for subject keys (the runtime publishes them as metrics). */
export interface KmsCallCounter {
  counted(operation: KmsOperation): void;
}

/** A counter that counts nothing, for callers that publish no metrics. */
export const uncountedKmsCalls: KmsCallCounter = { counted: () => undefined };
