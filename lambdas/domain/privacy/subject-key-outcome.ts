import { retention } from '#lib/residency/index';

/**
 * What became of the erased subject's data key, as the erasure certificate states it
 * (docs/encryption.md, "Erasure destroys the key"). Every personal field of the subject's records is
 * encrypted under that key, and the key lives only in the subject-key table, whose point-in-time
 * recovery reaches back `retention.subjectKeyRecoveryDays` and which no backup plan copies. Once the
 * key is destroyed and that window has passed, no backup or point-in-time copy of the records table
 * can reveal the subject: they hold the subject's data only as ciphertext.
 */
export interface SubjectKeyOutcome {
  /** When the key was destroyed; null while it is kept. */
  readonly destroyed_at: string | null;
  /** From when no copy anywhere can be decrypted: `destroyed_at` plus the key table's recovery window. */
  readonly unreadable_in_backups_from: string | null;
  /**
   * Why the key is kept: a soft erasure stays restorable until its purge destroys the key; records a
   * legal hold keeps in place still need it.
   */
  readonly kept_because: 'restorable' | 'legal_hold' | null;
}

const dayMs = 24 * 60 * 60 * 1000;

export function destroyedKey(destroyedAt: string): SubjectKeyOutcome {
  const window = retention.subjectKeyRecoveryDays * dayMs;
  return {
    destroyed_at: destroyedAt,
    unreadable_in_backups_from: new Date(Date.parse(destroyedAt) + window).toISOString(),
    kept_because: null,
  };
}

export const keptKey = (because: 'restorable' | 'legal_hold'): SubjectKeyOutcome => ({
  destroyed_at: null,
  unreadable_in_backups_from: null,
  kept_because: because,
});
