/**
 * The subject-key table of a hosting region: one item per data subject, holding the subject's data key
 * wrapped by the region's KMS data key, or the tombstone of a destroyed one. Read by the CDK construct
 * and the local bootstrap, so both create the same key schema (docs/encryption.md).
 */
export const subjectKeyTableDesign = {
  partitionKey: 'pk',
  /** The wrapped key (binary); absent from a tombstone. */
  wrappedKeyAttribute: 'wrapped_key',
  createdAtAttribute: 'created_at',
  destroyedAtAttribute: 'destroyed_at',
} as const;

/** A data subject as the records name it (a contact or an agent, by id). */
type Subject = { readonly kind: string; readonly id: number };

/** A subject's item: `A#<account>#SUBJECT#<kind>#<id>` (ids only, no personal data). */
export const subjectKeyPk = (accountId: string, subject: Subject) =>
  `A#${accountId}#SUBJECT#${subject.kind}#${subject.id}`;
