import { Stack } from 'aws-cdk-lib';
import { PolicyStatement, type Role } from 'aws-cdk-lib/aws-iam';
import { recordingKeyPattern } from '#lib/platform/names';
import { acknowledgeNagRule, nagFindingFor } from './nag-acknowledgements.ts';

/**
 * Lets `role` (in another region's stack, e.g. the EEA calls API or erasure) delete staged call
 * recordings with every version from the staging bucket named `bucketName`, and nothing else of it:
 * the versions of recording keys are listed (ListBucketVersions only with a recording-key prefix),
 * then deleted (DeleteObjects checks s3:DeleteObject per key and s3:DeleteObjectVersion per version).
 * No KMS grant: deleting and listing never decrypt.
 */
export function grantStagedRecordingDeletion(role: Role, bucketName: string, why: string): void {
  const stack = Stack.of(role);
  const bucketArn = stack.formatArn({ service: 's3', region: '', account: '', resource: bucketName });
  const recordings = `${bucketArn}/${recordingKeyPattern}`;
  role.addToPrincipalPolicy(
    new PolicyStatement({
      sid: 'DeleteStagedRecordingVersions',
      actions: ['s3:DeleteObject', 's3:DeleteObjectVersion'],
      resources: [recordings],
    }),
  );
  role.addToPrincipalPolicy(
    new PolicyStatement({
      sid: 'ListStagedRecordingVersions',
      actions: ['s3:ListBucketVersions'],
      resources: [bucketArn],
      conditions: { StringLike: { 's3:prefix': [recordingKeyPattern] } },
    }),
  );
  role.addToPrincipalPolicy(
    new PolicyStatement({
      sid: 'ReadStagingVersioning',
      actions: ['s3:GetBucketVersioning'],
      resources: [bucketArn],
    }),
  );
  acknowledgeNagRule(role, `AwsSolutions-IAM5[Resource::${nagFindingFor(role, recordings)}]`, why);
}
