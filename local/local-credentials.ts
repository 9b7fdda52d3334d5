/**
 * Credentials the local emulators accept. They are not secrets: the emulators listen on loopback only
 * and accept any signature. The signing region is irrelevant to the emulators; resource names carry the
 * hosting region.
 */
export const localCredentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;
export const localSigningRegion = 'us-east-1';
/** The AWS account id used in local resource names (bucket names need one). */
export const localAwsAccountId = '000000000000';
