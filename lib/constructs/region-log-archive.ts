import { Stack } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { CfnDeliveryStream } from 'aws-cdk-lib/aws-kinesisfirehose';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct, type IConstruct } from 'constructs';
import {
  type LogArchiveRouteName,
  logArchiveErrorPrefix,
  logArchivePrefix,
  logArchiveRouteNames,
} from '#lib/platform/log-archive';
import { logArchiveStreamName, logSubscriptionRoleName } from '#lib/platform/names';
import type { HostingRegionKey } from '#lib/residency/index';
import { pascalCase } from './construct-ids.ts';
import { acknowledgeNagRule, nagFindingFor } from './nag-acknowledgements.ts';
import { PlatformLogGroup } from './platform-log-group.ts';
import type { SecureBucket } from './secure-bucket.ts';

/** ARN of a hosting region's log-archive stream for `route`, in the stack of `scope` (same region). */
export function logArchiveStreamArn(
  scope: IConstruct,
  region: HostingRegionKey,
  route: LogArchiveRouteName,
): string {
  return Stack.of(scope).formatArn({
    service: 'firehose',
    resource: 'deliverystream',
    resourceName: logArchiveStreamName(region, route),
  });
}

/** ARN of the role CloudWatch Logs of `region` assumes to feed the log-archive streams. */
export function logSubscriptionRoleArn(scope: IConstruct, region: HostingRegionKey): string {
  return Stack.of(scope).formatArn({
    service: 'iam',
    region: '',
    resource: 'role',
    resourceName: logSubscriptionRoleName(region),
  });
}

/** Seconds and MiB a stream buffers before it writes an object (Firehose's defaults for S3). */
const buffering = { intervalInSeconds: 300, sizeInMBs: 5 };

export interface RegionLogArchiveProps {
  readonly region: HostingRegionKey;
  /** The region's `logs` bucket. */
  readonly destination: SecureBucket;
  /** The region's logs key: encrypts the streams, the archived objects and the delivery-error log. */
  readonly encryptionKey: IKey;
}

/**
 * The way from CloudWatch Logs into a hosting region's log archive: one Kinesis Data Firehose delivery
 * stream per route of `logArchiveRoutes` (named deterministically, SSE with the logs key), each writing
 * its route's prefix of the region's `logs` bucket, encrypted with the logs key; and the role CloudWatch
 * Logs of this region assumes for the subscription filters that every `PlatformLogGroup` creates. Both
 * roles can touch only this region's streams, prefixes and key.
 */
export class RegionLogArchive extends Construct {
  readonly streams: ReadonlyMap<LogArchiveRouteName, CfnDeliveryStream>;
  readonly deliveryRole: Role;
  readonly subscriptionRole: Role;
  readonly deliveryErrors: PlatformLogGroup;

  constructor(scope: Construct, id: string, props: RegionLogArchiveProps) {
    super(scope, id);
    const { region, destination, encryptionKey } = props;
    const stack = Stack.of(this);
    const bucketArn = destination.bucket.bucketArn;

    this.deliveryErrors = new PlatformLogGroup(this, 'DeliveryErrors', {
      encryptionKey,
      archive: {
        notArchivedBecause:
          'It records why the archive streams failed to deliver; feeding it into those streams could loop.',
      },
    });

    this.deliveryRole = new Role(this, 'DeliveryRole', {
      assumedBy: new ServicePrincipal('firehose.amazonaws.com', {
        conditions: { StringEquals: { 'sts:ExternalId': stack.account } },
      }),
      description: `Helpdesk ${region}: Firehose writes archived logs into the logs bucket`,
    });
    const objectArns = logArchiveRouteNames.flatMap((route) => [
      `${bucketArn}/${logArchivePrefix(route, region)}*`,
      `${bucketArn}/${logArchiveErrorPrefix(route, region)}*`,
    ]);
    this.deliveryRole.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'WriteRoutePrefixesOfTheLogsBucket',
        actions: ['s3:PutObject', 's3:GetObject', 's3:AbortMultipartUpload'],
        resources: objectArns,
      }),
    );
    this.deliveryRole.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'FindTheLogsBucket',
        actions: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'],
        resources: [bucketArn],
      }),
    );
    this.deliveryRole.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'LogsKeyViaRegionalS3ForTheLogsBucket',
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [encryptionKey.keyArn],
        conditions: {
          StringEquals: { 'kms:ViaService': `s3.${stack.region}.amazonaws.com` },
          StringLike: { 'kms:EncryptionContext:aws:s3:arn': [bucketArn, `${bucketArn}/*`] },
        },
      }),
    );
    this.deliveryErrors.logGroup.grantWrite(this.deliveryRole);

    const streams = new Map<LogArchiveRouteName, CfnDeliveryStream>();
    for (const route of logArchiveRouteNames) {
      const errorStream = this.deliveryErrors.logGroup.addStream(`${pascalCase(route)}Errors`);
      const stream = new CfnDeliveryStream(this, `${pascalCase(route)}Stream`, {
        deliveryStreamName: logArchiveStreamName(region, route),
        deliveryStreamType: 'DirectPut',
        deliveryStreamEncryptionConfigurationInput: {
          keyType: 'CUSTOMER_MANAGED_CMK',
          keyArn: encryptionKey.keyArn,
        },
        extendedS3DestinationConfiguration: {
          bucketArn,
          roleArn: this.deliveryRole.roleArn,
          prefix: `${logArchivePrefix(route, region)}!{timestamp:yyyy/MM/dd}/`,
          errorOutputPrefix: `${logArchiveErrorPrefix(route, region)}!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd}/`,
          bufferingHints: buffering,
          // CloudWatch Logs already delivers gzip-compressed batches.
          compressionFormat: 'UNCOMPRESSED',
          encryptionConfiguration: { kmsEncryptionConfig: { awskmsKeyArn: encryptionKey.keyArn } },
          cloudWatchLoggingOptions: {
            enabled: true,
            logGroupName: this.deliveryErrors.logGroup.logGroupName,
            logStreamName: errorStream.logStreamName,
          },
        },
      });
      // Firehose checks its role when the stream is created: the role's policy must exist by then.
      stream.node.addDependency(this.deliveryRole);
      streams.set(route, stream);
    }
    this.streams = streams;

    this.subscriptionRole = new Role(this, 'SubscriptionRole', {
      roleName: logSubscriptionRoleName(region),
      assumedBy: new ServicePrincipal('logs.amazonaws.com', {
        conditions: {
          StringLike: { 'aws:SourceArn': stack.formatArn({ service: 'logs', resource: '*' }) },
        },
      }),
      description: `Helpdesk ${region}: CloudWatch Logs subscriptions put log events into the archive streams`,
    });
    this.subscriptionRole.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'PutIntoTheRegionsArchiveStreams',
        actions: ['firehose:PutRecord', 'firehose:PutRecordBatch'],
        resources: [...streams.values()].map((stream) => stream.attrArn),
      }),
    );

    for (const arn of objectArns) {
      acknowledgeNagRule(
        this.deliveryRole,
        `AwsSolutions-IAM5[Resource::${nagFindingFor(this, arn)}]`,
        'Firehose names each archived object at delivery time; the wildcard only spans one route prefix of the logs bucket.',
      );
    }
  }
}
