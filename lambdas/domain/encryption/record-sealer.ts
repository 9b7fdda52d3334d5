import type { RecordType, StoredRecord, SubjectRef } from '#domain/records/record';
import {
  type FieldPlace,
  looksSealed,
  openValue,
  SealedValueError,
  sealValue,
  sealingSubjectOf,
} from './field-cipher.ts';
import { fieldClassesOf } from './personal-fields.ts';
import { type DataKey, SubjectKeyDestroyedError, type SubjectKeys } from './subject-keys.ts';

/** A record holds a field its kind's declaration does not know: refused, so it never goes out in clear. */
export class UndeclaredFieldError extends Error {
  constructor(type: RecordType, field: string) {
    super(`Field ${field} of record kind ${type} has no personal-field declaration (docs/encryption.md).`);
    this.name = 'UndeclaredFieldError';
  }
}

/** A record names a data subject but its kind is declared to have none: refused, as an undeclared field is. */
export class UndeclaredKindError extends Error {
  constructor(type: RecordType) {
    super(
      `Record kind ${type} names a data subject but has no personal-field declaration (docs/encryption.md).`,
    );
    this.name = 'UndeclaredKindError';
  }
}

/** The keys one record's seal or open uses: each subject's key fetched once. */
class RecordKeys {
  private readonly fetched = new Map<string, Promise<DataKey | undefined>>();

  constructor(
    private readonly keys: Pick<SubjectKeys, 'keyFor' | 'existingKey'>,
    private readonly accountId: string,
  ) {}

  /** The owner's key, created on first use: only for sealing. */
  async keyOf(subject: SubjectRef): Promise<DataKey> {
    const id = `${subject.kind}#${subject.id}`;
    const known = await this.fetched.get(id);
    if (known) return known;
    const key = this.keys.keyFor(this.accountId, subject);
    this.fetched.set(id, key);
    return key;
  }

  /**
   * The key of a subject a stored value names, never created: a value naming a subject without a key
   * was never sealed by us (text a client wrote), so reading it must not make a key for any id.
   */
  existingOf(subject: SubjectRef): Promise<DataKey | undefined> {
    const id = `${subject.kind}#${subject.id}`;
    let key = this.fetched.get(id);
    if (!key) {
      key = this.keys.existingKey(this.accountId, subject);
      this.fetched.set(id, key);
    }
    return key;
  }
}

const sameSubject = (a: SubjectRef, b: SubjectRef) => a.kind === b.kind && a.id === b.id;

/** The same record as stored before a write: its opened fields and its stored (sealed) fields. */
export interface SealedBefore {
  readonly plain: Readonly<Record<string, unknown>>;
  readonly sealed: Readonly<Record<string, unknown>>;
}

/** JSON with map keys in order: a value read back from DynamoDB may list a map's keys otherwise. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}

/** The stored ciphertext of a field the write leaves unchanged, sealed under the current owner. */
function keptValue(before: SealedBefore, name: string, value: unknown, owner: SubjectRef): unknown {
  const stored = before.sealed[name];
  const sealedBy = sealingSubjectOf(stored);
  if (!sealedBy || !sameSubject(sealedBy, owner)) return undefined;
  return canonical(before.plain[name]) === canonical(value) ? stored : undefined;
}

/**
 * Seals and opens the personal fields of stored records (docs/encryption.md). `seal` encrypts each
 * field its kind declares personal under the key of the record's first subject; `open` opens every
 * sealed value of a personal field with the key of the subject it names. A record with no subject is
 * written with its personal fields in clear (stated in the docs). A destroyed key
 * (`SubjectKeyDestroyedError`) propagates from both, unchanged.
 */
export class RecordSealer {
  constructor(private readonly keys: Pick<SubjectKeys, 'keyFor' | 'existingKey'>) {}

  /**
   * The record with each personal field of its kind sealed under its first subject's key. A value
   * sealed at this place under that subject is kept as it is; one sealed under another subject is
   * opened and sealed again. A string that looks sealed but does not open at this place is a literal
   * (text a client wrote), sealed as any string. Throws `UndeclaredFieldError` on a field the kind's
   * declaration does not know, `UndeclaredKindError` when a kind without one names a subject.
   */
  async seal<F extends object>(record: StoredRecord<F>, before?: SealedBefore): Promise<StoredRecord<F>> {
    const type = record.ref.type;
    const classes = fieldClassesOf(type);
    if (!classes) {
      if (record.subjects.length > 0) throw new UndeclaredKindError(type);
      return record;
    }
    const fields = record.fields as Record<string, unknown>;
    const undeclared = Object.keys(fields).find((name) => !Object.hasOwn(classes, name));
    if (undeclared !== undefined) throw new UndeclaredFieldError(type, undeclared);
    const owner = record.subjects[0];
    const keys = new RecordKeys(this.keys, record.accountId);
    const sealed: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(fields)) {
      if (classes[name] !== 'personal' || value === undefined) {
        sealed[name] = value;
        continue;
      }
      // A value the write leaves as it was keeps its stored ciphertext (same bytes, no new IV).
      const kept = before && owner ? keptValue(before, name, value, owner) : undefined;
      if (kept !== undefined) {
        sealed[name] = kept;
        continue;
      }
      const place: FieldPlace = { accountId: record.accountId, record: record.ref, field: name };
      const current = await this.valueOf(keys, place, value);
      if (owner && current.sealedBy && sameSubject(current.sealedBy, owner)) sealed[name] = value;
      else sealed[name] = owner ? sealValue(await keys.keyOf(owner), place, current.plain) : current.plain;
    }
    return { ...record, fields: sealed as F };
  }

  /**
   * The record with every sealed value of its personal fields opened; a plain value passes through
   * (data written before encryption, or a record with no subject). Fields declared plain are never
   * opened: a client's text there may look sealed. Throws `SealedValueError` for a value that does not
   * open at its place (tampered, or moved from another record, field or account), and
   * `SubjectKeyDestroyedError` when the subject it names was erased.
   */
  async open<F extends object>(record: StoredRecord<F>): Promise<StoredRecord<F>> {
    const classes = fieldClassesOf(record.ref.type);
    if (!classes) return record;
    const sealed = Object.entries(record.fields as Record<string, unknown>).flatMap(([name, value]) => {
      const subject = classes[name] === 'personal' ? sealingSubjectOf(value) : undefined;
      return subject ? [{ name, value: value as string, subject }] : [];
    });
    if (sealed.length === 0) return record;
    const keys = new RecordKeys(this.keys, record.accountId);
    // Each subject's key fetched once, all at the same time (a moved record names two).
    const fetched = await Promise.all(sealed.map(({ subject }) => keys.existingOf(subject)));
    const opened: Record<string, unknown> = { ...(record.fields as Record<string, unknown>) };
    sealed.forEach(({ name, value }, index) => {
      const key = fetched[index];
      // No key was ever made for the subject it names: not ours, a literal (a record with no subject
      // keeps its personal fields in clear, so a client's text there may look sealed).
      if (!key) return;
      const place: FieldPlace = { accountId: record.accountId, record: record.ref, field: name };
      opened[name] = openValue(key, place, value);
    });
    return { ...record, fields: opened as F };
  }

  /** A personal field's plain value, and the subject whose key sealed it at this place, if one did. */
  private async valueOf(
    keys: RecordKeys,
    place: FieldPlace,
    value: unknown,
  ): Promise<{ plain: unknown; sealedBy?: SubjectRef }> {
    const subject = looksSealed(value) ? sealingSubjectOf(value) : undefined;
    if (!subject) return { plain: value };
    let key: DataKey | undefined;
    try {
      key = await keys.existingOf(subject);
      if (!key) return { plain: value };
    } catch (error) {
      // Naming an erased subject, it cannot open: text a client wrote to look sealed (or a value no one
      // can read any more) is kept as the literal it is, so no input makes a write fail.
      if (error instanceof SubjectKeyDestroyedError) return { plain: value };
      throw error;
    }
    try {
      return { plain: openValue(key, place, value as string), sealedBy: subject };
    } catch (error) {
      if (error instanceof SealedValueError) return { plain: value };
      throw error;
    }
  }
}
