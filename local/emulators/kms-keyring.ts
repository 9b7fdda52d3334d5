import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';

/** A symmetric KMS key the local KMS endpoint holds: its id, ARN, alias and AWS region. */
export interface LocalKmsKey {
  readonly keyId: string;
  readonly arn: string;
  readonly alias: string;
  readonly awsRegion: string;
}

/** What the local endpoint is told to create: one key per alias and AWS region. */
export interface LocalKmsKeySpec {
  readonly alias: string;
  readonly awsRegion: string;
}

/** The ciphertext is not one of ours, was altered, or its encryption context differs (KMS's name for all three). */
export class InvalidCiphertextError extends Error {
  constructor(message = 'The ciphertext is invalid or its encryption context does not match.') {
    super(message);
    this.name = 'InvalidCiphertextError';
  }
}

/** No key answers to the id, ARN or alias in the request's region. */
export class KeyNotFoundError extends Error {
  constructor(keyId: string) {
    super(`Key '${keyId}' does not exist`);
    this.name = 'KeyNotFoundError';
  }
}

/** A ciphertext of another key than the one the request named. */
export class IncorrectKeyError extends Error {
  constructor() {
    super('The key ID in the request does not identify the key that encrypted the ciphertext.');
    this.name = 'IncorrectKeyError';
  }
}

const blobVersion = 1;
const keyIdBytes = 36;
const ivBytes = 12;
const tagBytes = 16;

/**
 * The keys of the local KMS endpoint: per key a random 256-bit master key that lives only in this
 * process (data encrypted by one run is unreadable by the next, as after a key's deletion). Ciphertext
 * blobs are `version | key id | IV | GCM tag | AES-256-GCM ciphertext`, the encryption context bound in
 * as additional authenticated data, so a different context fails as it does on KMS.
 */
export class LocalKmsKeyring {
  private readonly keys: LocalKmsKey[];
  private readonly material = new Map<string, Buffer>();

  constructor(specs: readonly LocalKmsKeySpec[], awsAccountId: string) {
    this.keys = specs.map((spec) => {
      const keyId = randomUUID();
      this.material.set(keyId, randomBytes(32));
      return {
        keyId,
        arn: `arn:aws:kms:${spec.awsRegion}:${awsAccountId}:key/${keyId}`,
        alias: spec.alias,
        awsRegion: spec.awsRegion,
      };
    });
  }

  /** The key a request names by id, key ARN, alias or alias ARN, within the request's region. */
  resolve(keyId: string, awsRegion: string): LocalKmsKey {
    const key = this.keys.find(
      (candidate) =>
        candidate.awsRegion === awsRegion &&
        [candidate.keyId, candidate.arn, candidate.alias, aliasArn(candidate)].includes(keyId),
    );
    if (!key) throw new KeyNotFoundError(keyId);
    return key;
  }

  encrypt(key: LocalKmsKey, plaintext: Buffer, context: Readonly<Record<string, string>>): Buffer {
    const iv = randomBytes(ivBytes);
    const cipher = createCipheriv('aes-256-gcm', this.masterKeyOf(key), iv);
    cipher.setAAD(additionalData(key, context));
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return Buffer.concat([
      Buffer.of(blobVersion),
      Buffer.from(key.keyId, 'ascii'),
      iv,
      cipher.getAuthTag(),
      ciphertext,
    ]);
  }

  /** The key a blob was made with, and its plaintext if `context` is the one it was encrypted with. */
  decrypt(
    blob: Buffer,
    context: Readonly<Record<string, string>>,
    awsRegion: string,
  ): { key: LocalKmsKey; plaintext: Buffer } {
    const header = 1 + keyIdBytes + ivBytes + tagBytes;
    if (blob.length < header || blob[0] !== blobVersion) throw new InvalidCiphertextError();
    const keyId = blob.subarray(1, 1 + keyIdBytes).toString('ascii');
    const key = this.keys.find((candidate) => candidate.keyId === keyId && candidate.awsRegion === awsRegion);
    if (!key) throw new InvalidCiphertextError();
    const iv = blob.subarray(1 + keyIdBytes, 1 + keyIdBytes + ivBytes);
    const tag = blob.subarray(1 + keyIdBytes + ivBytes, header);
    const decipher = createDecipheriv('aes-256-gcm', this.masterKeyOf(key), iv);
    decipher.setAAD(additionalData(key, context));
    decipher.setAuthTag(tag);
    try {
      return { key, plaintext: Buffer.concat([decipher.update(blob.subarray(header)), decipher.final()]) };
    } catch {
      throw new InvalidCiphertextError();
    }
  }

  private masterKeyOf(key: LocalKmsKey): Buffer {
    const material = this.material.get(key.keyId);
    if (!material) throw new KeyNotFoundError(key.keyId);
    return material;
  }
}

export const aliasArn = (key: LocalKmsKey) => key.arn.replace(/key\/.*$/, key.alias);

/** The key id and the context in one canonical form (pairs sorted by name), as GCM's authenticated data. */
function additionalData(key: LocalKmsKey, context: Readonly<Record<string, string>>): Buffer {
  const pairs = Object.entries(context).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Buffer.from(JSON.stringify([key.keyId, pairs]), 'utf8');
}
