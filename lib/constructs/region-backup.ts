import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { BackupPlan, BackupPlanRule, BackupResource, BackupVault } from 'aws-cdk-lib/aws-backup';
import { Schedule } from 'aws-cdk-lib/aws-events';
import { ManagedPolicy, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { backupPlanName, backupVaultName } from '#lib/platform/names';
import { type HostingRegionKey, retention } from '#lib/residency/index';
import { acknowledgeNagRule, nagFindingFor } from './nag-acknowledgements.ts';
import type { RecordsTable } from './records-table.ts';
import type { SecureBucket } from './secure-bucket.ts';

export interface RegionBackupProps {
  readonly region: HostingRegionKey;
  /** Encrypts the vault's recovery points. */
  readonly encryptionKey: IKey;
  readonly table: RecordsTable;
  /** Versioned buckets to back up (AWS Backup for S3 needs versioning). */
  readonly buckets: readonly SecureBucket[];
}

/**
 * Daily backups of a hosting region, kept `retention.backupDays` in a vault of the same region encrypted
 * with the data key. The plan has no copy actions: no recovery point ever leaves the region.
 */
export class RegionBackup extends Construct {
  readonly vault: BackupVault;
  readonly plan: BackupPlan;

  constructor(scope: Construct, id: string, props: RegionBackupProps) {
    super(scope, id);

    this.vault = new BackupVault(this, 'Vault', {
      backupVaultName: backupVaultName(props.region),
      encryptionKey: props.encryptionKey,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.plan = new BackupPlan(this, 'Plan', {
      backupPlanName: backupPlanName(props.region),
      backupVault: this.vault,
      backupPlanRules: [
        new BackupPlanRule({
          ruleName: 'daily',
          scheduleExpression: Schedule.cron({ hour: '3', minute: '0' }),
          startWindow: Duration.hours(1),
          completionWindow: Duration.hours(8),
          deleteAfter: Duration.days(retention.backupDays),
        }),
      ],
    });

    const role = new Role(this, 'SelectionRole', {
      assumedBy: new ServicePrincipal('backup.amazonaws.com'),
      description: `AWS Backup of the helpdesk ${props.region} table and buckets`,
    });
    const s3Policies = ['AWSBackupServiceRolePolicyForS3Backup', 'AWSBackupServiceRolePolicyForS3Restore'];
    if (props.buckets.length > 0) {
      for (const name of s3Policies) role.addManagedPolicy(ManagedPolicy.fromAwsManagedPolicyName(name));
    }
    this.plan.addSelection('Selection', {
      role,
      allowRestores: true,
      resources: [
        BackupResource.fromDynamoDbTable(props.table.table),
        ...props.buckets.map((bucket) => BackupResource.fromArn(bucket.bucket.bucketArn)),
      ],
    });

    // The selection adds the generic backup and restore policies to the role; S3 needs its own two.
    const managed = [
      'service-role/AWSBackupServiceRolePolicyForBackup',
      'service-role/AWSBackupServiceRolePolicyForRestores',
      ...(props.buckets.length > 0 ? s3Policies : []),
    ];
    for (const name of managed) {
      const arn = ManagedPolicy.fromAwsManagedPolicyName(name).managedPolicyArn;
      acknowledgeNagRule(
        role,
        `AwsSolutions-IAM4[Policy::${nagFindingFor(role, arn)}]`,
        `AWS Backup's service role uses the AWS-maintained ${name.replace('service-role/', '')} policy, which tracks the service's needs.`,
      );
    }
  }
}
