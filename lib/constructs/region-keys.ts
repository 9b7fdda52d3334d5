import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { keyAlias } from '#lib/platform/names';
import type { HostingRegionKey } from '#lib/residency/index';

export interface RegionKeysProps {
  readonly region: HostingRegionKey;
}

/**
 * The two customer-managed KMS keys of a hosting region: `data` encrypts the table, the buckets and the
 * backup vault; `logs` encrypts CloudWatch log groups and CloudTrail log files. Both rotate yearly and are
 * retained when a stack is deleted (losing a key loses every backup and archived log made with it).
 */
export class RegionKeys extends Construct {
  readonly data: Key;
  readonly logs: Key;

  constructor(scope: Construct, id: string, props: RegionKeysProps) {
    super(scope, id);
    const stack = Stack.of(this);

    this.data = new Key(this, 'DataKey', {
      alias: keyAlias(props.region, 'data'),
      description: `Helpdesk ${props.region}: records table, buckets and backup vault`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.logs = new Key(this, 'LogsKey', {
      alias: keyAlias(props.region, 'logs'),
      description: `Helpdesk ${props.region}: CloudWatch log groups and CloudTrail log files`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // CloudWatch Logs of this region may use the key, and only for log groups of this account and region.
    this.logs.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowCloudWatchLogsOfThisRegion',
        principals: [new ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': stack.formatArn({
              service: 'logs',
              resource: 'log-group',
              resourceName: '*',
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );
  }
}
