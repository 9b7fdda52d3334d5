/**
 * Credentials the local emulators accept. They are not secrets: the emulators listen on loopback only
 * and accept any signature. The signing region is irrelevant to the emulators; resource names carry the
 * hosting region.
 */
export const localCredentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;
export const localSigningRegion = 'us-east-1';
/** The AWS account id used in local resource names (bucket names need one). */
export const localAwsAccountId = '000000000000';

/**
 * The local platform's operator: the one IAM identity the local API gateway accepts on the operator
 * routes (it verifies SigV4 signatures made with these credentials, local/iam-request-auth.ts), shown
 * to the functions as an assumed role. Not a secret: the local platform listens on loopback only.
 */
export const localOperatorCredentials = {
  accessKeyId: 'ASIALOCALOPERATOR000',
  secretAccessKey: 'local-operator-secret-not-a-secret',
} as const;
export const localOperatorRoleArn = `arn:aws:sts::${localAwsAccountId}:assumed-role/helpdesk-local-operator/local`;
