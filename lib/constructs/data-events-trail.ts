import { Stack } from 'aws-cdk-lib';
import { ReadWriteType, Trail } from 'aws-cdk-lib/aws-cloudtrail';
import { Effect, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { auditLogPrefix } from '#lib/platform/log-archive';
import { trailName } from '#lib/platform/names';
import type { HostingRegionKey } from '#lib/residency/index';
import { acknowledgeNagRule } from './nag-acknowledgements.ts';
import type { SecureBucket } from './secure-bucket.ts';

export interface DataEventsTrailProps {
  readonly region: HostingRegionKey;
  /** Buckets whose object-level access is recorded. */
  readonly buckets: readonly SecureBucket[];
  /** The region's log archive, where the trail writes. Not itself logged (that would loop). */
  readonly destination: SecureBucket;
  /** Encrypts the trail's log and digest files. */
  readonly encryptionKey: IKey;
}

/**
 * The access log of a hosting region's buckets. S3 server access logs cannot be delivered to an SSE-KMS
 * bucket, so object-level access (S3 data events) is recorded by a single-region CloudTrail trail into
 * the region's logs bucket instead (under `audit/`), encrypted with the logs key. Single-region and without global service
 * events, so the trail only ever carries this region's events.
 */
export class DataEventsTrail extends Construct {
  readonly trail: Trail;

  constructor(scope: Construct, id: string, props: DataEventsTrailProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const name = trailName(props.region);
    // Built from the name (not trail.trailArn) so the key policy does not depend on the trail it serves.
    const trailArn = stack.formatArn({ service: 'cloudtrail', resource: 'trail', resourceName: name });
    const cloudTrail = new ServicePrincipal('cloudtrail.amazonaws.com');

    props.encryptionKey.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowCloudTrailToEncryptDataEventLogs',
        principals: [cloudTrail],
        actions: ['kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: {
          StringEquals: { 'aws:SourceArn': trailArn },
          StringLike: {
            'kms:EncryptionContext:aws:cloudtrail:arn': stack.formatArn({
              service: 'cloudtrail',
              resource: 'trail',
              resourceName: '*',
            }),
          },
        },
      }),
    );
    props.encryptionKey.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowCloudTrailToDescribeKey',
        principals: [cloudTrail],
        actions: ['kms:DescribeKey'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceArn': trailArn } },
      }),
    );

    // The L2 trail grants CloudTrail write access to AWSLogs/<account>/ without a source condition; this
    // deny keeps every other trail (confused deputy) out of the archive.
    props.destination.bucket.addToResourcePolicy(
      new PolicyStatement({
        sid: 'OnlyTheRegionsDataEventsTrail',
        effect: Effect.DENY,
        principals: [cloudTrail],
        actions: ['s3:GetBucketAcl', 's3:PutObject'],
        resources: [props.destination.bucket.bucketArn, props.destination.bucket.arnForObjects('*')],
        conditions: { StringNotEquals: { 'aws:SourceArn': trailArn } },
      }),
    );

    this.trail = new Trail(this, 'Trail', {
      trailName: name,
      bucket: props.destination.bucket,
      s3KeyPrefix: auditLogPrefix,
      encryptionKey: props.encryptionKey,
      isMultiRegionTrail: false,
      includeGlobalServiceEvents: false,
      managementEvents: ReadWriteType.NONE,
      enableFileValidation: true,
      sendToCloudWatchLogs: false,
    });
    this.trail.addS3EventSelector(
      props.buckets.map((bucket) => ({ bucket: bucket.bucket })),
      { readWriteType: ReadWriteType.ALL, includeManagementEvents: false },
    );

    for (const bucket of props.buckets) {
      acknowledgeNagRule(
        bucket,
        'AwsSolutions-S1',
        `Object access is recorded as S3 data events by the ${name} CloudTrail trail; S3 server access logs cannot target the SSE-KMS logs bucket.`,
      );
    }
    acknowledgeNagRule(
      props.destination,
      'AwsSolutions-S1',
      'This is the log archive the data-events trail writes to; logging its own access into itself would loop.',
    );
  }
}
