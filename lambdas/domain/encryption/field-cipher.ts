import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { RecordRef, SubjectRef } from '#domain/records/record';
import type { DataKey } from './subject-keys.ts';

/**
 * Sealed field values (docs/encryption.md, "Sealed values"): AES-256-GCM under a data subject's key,
 * a random 96-bit IV, and associated data binding the value to its account, record and field, so a
 * value copied to another record, field or account fails to open. A sealed value is a string that
 * names the subject whose key sealed it:
 *
 *     enc:v1:<contact|agent>:<subject id>:<base64url of iv | ciphertext | tag>
 *
 * and holds the JSON of the original value (string, number, boolean, array, map or null).
 */
const prefix = 'enc:v1:';
const ivBytes = 12;
const tagBytes = 16;
const sealedPattern = /^enc:v1:(contact|agent):([1-9]\d{0,15}):([A-Za-z0-9_-]+)$/;

/** Where a value lives: what its associated data binds it to. */
export interface FieldPlace {
  readonly accountId: string;
  readonly record: RecordRef;
  readonly field: string;
}

/** A sealed value cannot be opened: tampered with, moved from elsewhere, or sealed under another key. */
export class SealedValueError extends Error {
  constructor(place: FieldPlace) {
    // Kind, id and field name only: never the value.
    super(
      `The sealed value of field ${place.field} of ${place.record.type} ${place.record.id} cannot be opened.`,
    );
    this.name = 'SealedValueError';
  }
}

/** Whether a value has the form of a sealed value (it may still fail to open). */
export const looksSealed = (value: unknown): value is string =>
  typeof value === 'string' && value.startsWith(prefix) && sealedPattern.test(value);

/** The subject whose key sealed a value; undefined for a value that is not sealed. */
export function sealingSubjectOf(value: unknown): SubjectRef | undefined {
  if (typeof value !== 'string') return undefined;
  const match = sealedPattern.exec(value);
  if (!match) return undefined;
  return { kind: match[1] as SubjectRef['kind'], id: Number(match[2]) };
}

/** The associated data: format version, account, record, field, and the sealing subject. */
function associatedData(place: FieldPlace, subject: SubjectRef): Buffer {
  const { accountId, record, field } = place;
  return Buffer.from(
    JSON.stringify(['v1', accountId, record.type, record.id, field, subject.kind, subject.id]),
  );
}

function requireKeyLength(key: DataKey): void {
  if (key.material.length !== 32) throw new Error('A data key must hold 32 bytes.');
}

/** Seals a value (any JSON value) under a subject's key, bound to its place. */
export function sealValue(key: DataKey, place: FieldPlace, value: unknown): string {
  requireKeyLength(key);
  const json = JSON.stringify(value);
  if (json === undefined)
    throw new Error(`Field ${place.field} of ${place.record.type} holds no JSON value.`);
  const iv = randomBytes(ivBytes);
  const cipher = createCipheriv('aes-256-gcm', key.material, iv, { authTagLength: tagBytes });
  cipher.setAAD(associatedData(place, key.subject));
  const ciphertext = Buffer.concat([cipher.update(json, 'utf8'), cipher.final()]);
  const payload = Buffer.concat([iv, ciphertext, cipher.getAuthTag()]).toString('base64url');
  return `${prefix}${key.subject.kind}:${key.subject.id}:${payload}`;
}

/**
 * Opens a sealed value with the key of the subject it names. Throws `SealedValueError` when it does
 * not open (a wrong key, another place, a changed byte).
 */
export function openValue(key: DataKey, place: FieldPlace, sealed: string): unknown {
  requireKeyLength(key);
  const subject = sealingSubjectOf(sealed);
  const payload = sealed.slice(sealed.lastIndexOf(':') + 1);
  const bytes = Buffer.from(payload, 'base64url');
  if (!subject || subject.kind !== key.subject.kind || subject.id !== key.subject.id) {
    throw new SealedValueError(place);
  }
  if (bytes.length < ivBytes + tagBytes) throw new SealedValueError(place);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.material, bytes.subarray(0, ivBytes), {
      authTagLength: tagBytes,
    });
    decipher.setAAD(associatedData(place, subject));
    decipher.setAuthTag(bytes.subarray(bytes.length - tagBytes));
    const json = Buffer.concat([
      decipher.update(bytes.subarray(ivBytes, bytes.length - tagBytes)),
      decipher.final(),
    ]).toString('utf8');
    return JSON.parse(json) as unknown;
  } catch {
    throw new SealedValueError(place);
  }
}
