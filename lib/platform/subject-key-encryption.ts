/** A data subject as the records name it (a contact or an agent, by id). */
type Subject = { readonly kind: string; readonly id: number };

/**
 * The encryption context of every subject key made with the region's data key (KMS GenerateDataKey,
 * unwrapped by Decrypt). KMS unwraps a key only with the context it was made with, so a wrapped key
 * copied to another subject's item does not unwrap; the functions' key grant is conditional on
 * `purpose`, so it decrypts nothing else under the data key.
 */
export const subjectKeyPurpose = 'subject-key';

export const subjectKeyEncryptionContext = (accountId: string, subject: Subject): Record<string, string> => ({
  purpose: subjectKeyPurpose,
  account: accountId,
  subject: `${subject.kind}#${subject.id}`,
});
