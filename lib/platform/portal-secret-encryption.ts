/**
 * The encryption context of every portal-token secret the functions encrypt with the region's data key
 * (KMS Encrypt/Decrypt directly). KMS refuses to decrypt with another context, and the functions' key
 * grant is conditional on `purpose`, so the grant cannot decrypt anything else under the data key.
 */
export const portalSecretPurpose = 'portal-token-secret';

export const portalSecretEncryptionContext = (accountId: string): Record<string, string> => ({
  purpose: portalSecretPurpose,
  account: accountId,
});
