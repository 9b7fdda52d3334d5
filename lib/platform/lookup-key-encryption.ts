/**
 * The encryption context of every account's lookup key (docs/encryption.md, "Keyed lookups"), made
 * with KMS GenerateDataKey under the region's data key and unwrapped with Decrypt. The functions' grant
 * is conditional on `purpose`, so it makes and unwraps lookup keys and nothing else under the data key.
 */
export const lookupKeyPurpose = 'lookup-key';

export const lookupKeyEncryptionContext = (accountId: string): Record<string, string> => ({
  purpose: lookupKeyPurpose,
  account: accountId,
});

/** The KMS actions on the data key that making and unwrapping lookup keys takes. */
export const lookupKeyActions = ['kms:Decrypt', 'kms:GenerateDataKey'] as const;
