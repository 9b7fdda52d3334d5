import { DecryptCommand, EncryptCommand, type KMSClient } from '@aws-sdk/client-kms';

/**
 * Encrypts small secrets with a KMS key directly (Encrypt/Decrypt, at most 4 KiB), bound to an
 * encryption context: a ciphertext decrypts only with the same context, and only for a role allowed
 * to use the key for it.
 */
export class KmsSecretCipher {
  constructor(
    private readonly kms: KMSClient,
    /** The key's ARN (on AWS) or alias (locally). */
    private readonly keyId: string,
  ) {}

  async encrypt(plaintext: Uint8Array, context: Record<string, string>): Promise<Uint8Array> {
    const { CiphertextBlob } = await this.kms.send(
      new EncryptCommand({ KeyId: this.keyId, Plaintext: plaintext, EncryptionContext: context }),
    );
    if (!CiphertextBlob) throw new Error('KMS answered no ciphertext');
    return CiphertextBlob;
  }

  /** The plaintext; KMS's InvalidCiphertextException if the context (or the key) is not the one used. */
  async decrypt(ciphertext: Uint8Array, context: Record<string, string>): Promise<Buffer> {
    const { Plaintext } = await this.kms.send(
      new DecryptCommand({ KeyId: this.keyId, CiphertextBlob: ciphertext, EncryptionContext: context }),
    );
    if (!Plaintext) throw new Error('KMS answered no plaintext');
    return Buffer.from(Plaintext);
  }
}
