import { DecryptCommand, GenerateDataKeyCommand, type KMSClient } from '@aws-sdk/client-kms';
import type { DataKeyProvider, GeneratedDataKey } from '#domain/encryption/data-key-provider';
import type { SubjectRef } from '#domain/records/record';
import { subjectKeyEncryptionContext } from '#lib/platform/subject-key-encryption';

/**
 * Subjects' data keys from KMS: GenerateDataKey (AES-256) and Decrypt under the region's data key, with
 * the encryption context `{purpose: 'subject-key', account, subject}`: KMS unwraps a key only for the
 * subject and account it was made for.
 */
export class KmsDataKeys implements DataKeyProvider {
  constructor(
    private readonly kms: KMSClient,
    /** The region's data key: its ARN (on AWS) or alias (locally). */
    private readonly keyId: string,
  ) {}

  async generate(accountId: string, subject: SubjectRef): Promise<GeneratedDataKey> {
    const { Plaintext, CiphertextBlob } = await this.kms.send(
      new GenerateDataKeyCommand({
        KeyId: this.keyId,
        KeySpec: 'AES_256',
        EncryptionContext: subjectKeyEncryptionContext(accountId, subject),
      }),
    );
    if (!Plaintext || !CiphertextBlob) throw new Error('KMS answered no data key');
    return { material: Plaintext, wrapped: CiphertextBlob };
  }

  /** The key's plaintext; KMS's InvalidCiphertextException if it was made for another subject or account. */
  async unwrap(accountId: string, subject: SubjectRef, wrapped: Uint8Array): Promise<Uint8Array> {
    const { Plaintext } = await this.kms.send(
      new DecryptCommand({
        KeyId: this.keyId,
        CiphertextBlob: wrapped,
        EncryptionContext: subjectKeyEncryptionContext(accountId, subject),
      }),
    );
    if (!Plaintext) throw new Error('KMS answered no plaintext');
    return Plaintext;
  }
}
