import { Stack } from 'aws-cdk-lib';
import { AnyPrincipal, Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct, type IConstruct } from 'constructs';
import { type LogArchiveRouteName, logArchivePrefix } from '#lib/platform/log-archive';
import { bucketName, keyAlias, logCopyReplicationRoleName } from '#lib/platform/names';
import {
  eeaRegionKey,
  type HostingRegionKey,
  hostingRegions,
  regionsCopyingLogsToEea,
} from '#lib/residency/index';
import { acknowledgeNagRule, nagFindingFor } from './nag-acknowledgements.ts';
import type { SecureBucket } from './secure-bucket.ts';

/** The EEA log-copy bucket and the EEA data key, named from the catalogue in the stack of `scope`. */
export function eeaLogCopyDestination(scope: IConstruct) {
  const stack = Stack.of(scope);
  const alias = keyAlias(eeaRegionKey, 'data');
  return {
    bucketArn: stack.formatArn({
      service: 's3',
      region: '',
      account: '',
      resource: bucketName(eeaRegionKey, 'eea-log-copies', stack.account),
    }),
    awsRegion: hostingRegions[eeaRegionKey].awsRegion,
    keyAlias: alias,
    /** S3 replication accepts an alias ARN for the replica key; the alias is the EEA stack's own. */
    keyAliasArn: stack.formatArn({
      service: 'kms',
      region: hostingRegions[eeaRegionKey].awsRegion,
      resource: alias,
    }),
  };
}

export interface EeaLogCopyReplicationProps {
  readonly region: HostingRegionKey;
  /** The region's `logs` bucket (versioned). */
  readonly source: SecureBucket;
  /** The region's logs key, which encrypts the archived application logs. */
  readonly sourceKey: IKey;
  /** The log routes whose prefixes are copied; everything else stays in the region. */
  readonly routes: readonly LogArchiveRouteName[];
}

/**
 * S3 Cross-Region Replication of a hosting region's helpdesk and service-desk application logs into the
 * EEA log-copy bucket (which deletes them after 30 days), re-encrypted with the EEA data key. One rule
 * per route prefix; access logs, CloudTrail files and delivery errors are never replicated, and neither
 * are deletions. The replication role may read only those prefixes and write only their copies.
 *
 * The destination is named, not imported, so the EEA data stack must be deployed first (S3 rejects a
 * replication configuration whose destination bucket does not exist).
 */
export class EeaLogCopyReplication extends Construct {
  readonly role: Role;

  constructor(scope: Construct, id: string, props: EeaLogCopyReplicationProps) {
    super(scope, id);
    const { region, source, sourceKey, routes } = props;
    if (region === eeaRegionKey || !regionsCopyingLogsToEea.includes(region) || routes.length === 0) {
      throw new Error(`Hosting region ${region} does not copy logs to the EEA`);
    }
    const stack = Stack.of(this);
    const destination = eeaLogCopyDestination(this);
    // From the name, not the bucket's attribute: the bucket's replication configuration waits for this
    // role's policy, which therefore must not wait for the bucket.
    const sourceArn = stack.formatArn({
      service: 's3',
      region: '',
      account: '',
      resource: source.bucketName,
    });
    const prefixes = routes.map((route) => logArchivePrefix(route, region));

    this.role = new Role(this, 'Role', {
      roleName: logCopyReplicationRoleName(region),
      assumedBy: new ServicePrincipal('s3.amazonaws.com'),
      description: `Helpdesk ${region}: S3 copies helpdesk and service-desk logs to the EEA log copies`,
    });
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'ReadTheReplicationConfiguration',
        actions: ['s3:GetReplicationConfiguration', 's3:ListBucket'],
        resources: [sourceArn],
      }),
    );
    const sourceObjects = prefixes.map((prefix) => `${sourceArn}/${prefix}*`);
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'ReadCopiedPrefixesOnly',
        actions: [
          's3:GetObjectVersionForReplication',
          's3:GetObjectVersionAcl',
          's3:GetObjectVersionTagging',
        ],
        resources: sourceObjects,
      }),
    );
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'DecryptCopiedLogsViaRegionalS3',
        actions: ['kms:Decrypt'],
        resources: [sourceKey.keyArn],
        conditions: {
          StringEquals: { 'kms:ViaService': `s3.${stack.region}.amazonaws.com` },
          StringLike: { 'kms:EncryptionContext:aws:s3:arn': [sourceArn, ...sourceObjects] },
        },
      }),
    );
    const destinationObjects = prefixes.map((prefix) => `${destination.bucketArn}/${prefix}*`);
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'WriteCopiesIntoTheEeaLogCopies',
        actions: ['s3:ReplicateObject', 's3:ReplicateTags'],
        resources: destinationObjects,
      }),
    );
    // The EEA key is named by its alias (its ARN lives in another region's stack): any key of the EEA
    // region of this account, but only the one carrying the EEA data alias, and only through EEA S3 for
    // the log-copy bucket.
    const eeaKeys = stack.formatArn({ service: 'kms', region: destination.awsRegion, resource: 'key/*' });
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'EncryptCopiesWithTheEeaDataKey',
        actions: ['kms:Encrypt', 'kms:GenerateDataKey'],
        resources: [eeaKeys],
        conditions: {
          'ForAnyValue:StringEquals': { 'kms:ResourceAliases': destination.keyAlias },
          StringEquals: { 'kms:ViaService': `s3.${destination.awsRegion}.amazonaws.com` },
          StringLike: {
            'kms:EncryptionContext:aws:s3:arn': [destination.bucketArn, ...destinationObjects],
          },
        },
      }),
    );

    source.replicate({
      role: this.role.roleArn,
      rules: routes.map((route, index) => ({
        id: `copy-${route}-to-eea`,
        priority: index + 1,
        status: 'Enabled',
        filter: { prefix: logArchivePrefix(route, region) },
        deleteMarkerReplication: { status: 'Disabled' },
        sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: 'Enabled' } },
        destination: {
          bucket: destination.bucketArn,
          encryptionConfiguration: { replicaKmsKeyId: destination.keyAliasArn },
        },
      })),
    });
    // S3 checks the role when the configuration is put: its policy must exist by then.
    source.bucket.node.addDependency(this.role);

    for (const arn of [...sourceObjects, ...destinationObjects, eeaKeys]) {
      acknowledgeNagRule(
        this.role,
        `AwsSolutions-IAM5[Resource::${nagFindingFor(this, arn)}]`,
        arn === eeaKeys
          ? 'The EEA data key lives in another region and is named by alias: key/* is narrowed to that alias by kms:ResourceAliases.'
          : 'Replication names objects at run time; the wildcard only spans one copied log prefix.',
      );
    }
  }
}

/**
 * The receiving side, in the EEA stack: only the replication roles of `regionsCopyingLogsToEea` may
 * replicate into the log-copy bucket.
 */
export function admitOnlyLogCopyReplication(logCopies: SecureBucket): void {
  const stack = Stack.of(logCopies);
  const replicationRoles = regionsCopyingLogsToEea.map((region) =>
    stack.formatArn({
      service: 'iam',
      region: '',
      resource: 'role',
      resourceName: logCopyReplicationRoleName(region),
    }),
  );
  logCopies.bucket.addToResourcePolicy(
    new PolicyStatement({
      sid: 'OnlyTheLogCopyReplicationRoles',
      effect: Effect.DENY,
      principals: [new AnyPrincipal()],
      actions: ['s3:ReplicateObject', 's3:ReplicateDelete', 's3:ReplicateTags'],
      resources: [logCopies.bucket.arnForObjects('*')],
      conditions: { ArnNotEquals: { 'aws:PrincipalArn': replicationRoles } },
    }),
  );
}
