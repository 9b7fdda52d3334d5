import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type CfnBucket,
  type LifecycleRule,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { BucketDesign } from '#lib/platform/bucket-design';
import { bucketName } from '#lib/platform/names';
import { type HostingRegionKey, retention } from '#lib/residency/index';
import { acknowledgeNagRule } from './nag-acknowledgements.ts';

export interface SecureBucketProps {
  readonly region: HostingRegionKey;
  readonly design: BucketDesign;
  readonly encryptionKey: IKey;
}

/** Days after which an unfinished multipart upload is aborted and its parts deleted. */
export const abortIncompleteUploadDays = 1;

/** The lifecycle rules that keep a bucket's retention promise for every object version. */
export function lifecycleRulesFor(design: BucketDesign): LifecycleRule[] {
  const rules: LifecycleRule[] = [
    {
      id: 'abort-incomplete-uploads',
      abortIncompleteMultipartUploadAfter: Duration.days(abortIncompleteUploadDays),
    },
  ];
  if (design.expireAfterDays !== undefined) {
    const expiration = Duration.days(design.expireAfterDays);
    if (!design.expireOnlyUnder) rules.push({ id: 'expire-current', expiration });
    for (const prefix of design.expireOnlyUnder ?? [])
      rules.push({ id: `expire-current-${prefix.replace(/\W+/g, '')}`, prefix, expiration });
  }
  for (const { prefix, days } of design.expireSoonerUnder ?? []) {
    rules.push({ id: `expire-${prefix.replace(/\W+/g, '')}`, prefix, expiration: Duration.days(days) });
  }
  if (design.versioned) {
    // S3 rejects ExpiredObjectDeleteMarker next to Expiration days in one rule, hence a rule of its own.
    rules.push({
      id: 'expire-noncurrent',
      noncurrentVersionExpiration: Duration.days(retention.noncurrentVersionDays),
      expiredObjectDeleteMarker: true,
    });
  }
  return rules;
}

/**
 * An S3 bucket of a hosting region, from its `BucketDesign`: deterministic name, no public access,
 * TLS-only, SSE-KMS with the region's data key and S3 Bucket Keys, versioning and lifecycle as designed,
 * retained with its stack (never auto-emptied).
 */
export class SecureBucket extends Construct {
  readonly bucket: Bucket;
  readonly design: BucketDesign;
  /** The deterministic physical name; other stacks of the region use it without an export. */
  readonly bucketName: string;

  constructor(scope: Construct, id: string, props: SecureBucketProps) {
    super(scope, id);
    this.design = props.design;
    this.bucketName = bucketName(props.region, props.design.kind, Stack.of(this).account);

    this.bucket = new Bucket(this, 'Bucket', {
      bucketName: this.bucketName,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      encryption: BucketEncryption.KMS,
      encryptionKey: props.encryptionKey,
      bucketKeyEnabled: true,
      versioned: props.design.versioned,
      lifecycleRules: lifecycleRulesFor(props.design),
      eventBridgeEnabled: props.design.emitsEvents ?? false,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    if (props.design.emitsEvents) this.acknowledgeNotificationsHandler();
  }

  /** CDK turns EventBridge delivery on through its own deploy-time handler, a stack singleton. */
  private acknowledgeNotificationsHandler(): void {
    const stack = Stack.of(this);
    const handler = stack.node.children.find((child) =>
      child.node.id.startsWith('BucketNotificationsHandler'),
    );
    if (!handler) return;
    acknowledgeNagRule(
      handler,
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      "CDK's deploy-time bucket-notifications handler (turns on EventBridge events) uses the AWS basic execution policy.",
    );
  }

  /** Replicates new objects as `configuration` says; only versioned buckets can replicate. */
  replicate(configuration: CfnBucket.ReplicationConfigurationProperty): void {
    if (!this.design.versioned)
      throw new Error(`The ${this.design.kind} bucket is not versioned and cannot replicate`);
    (this.bucket.node.defaultChild as CfnBucket).replicationConfiguration = configuration;
  }
}
