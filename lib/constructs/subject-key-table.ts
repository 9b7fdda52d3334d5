import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, type Role } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import type { SubjectKeyAccess } from '#lib/platform/function-access';
import { keyAlias, subjectKeyTableName } from '#lib/platform/names';
import { subjectKeyPurpose } from '#lib/platform/subject-key-encryption';
import { subjectKeyTableDesign } from '#lib/platform/subject-key-table-design';
import { type HostingRegionKey, hostingRegions, retention } from '#lib/residency/index';

export interface SubjectKeyTableProps {
  readonly region: HostingRegionKey;
  readonly encryptionKey: IKey;
}

/**
 * The shortest point-in-time recovery window AWS allows (days): a destroyed subject key leaves the
 * table's recovery window one day after its erasure, and no copy of it exists anywhere after that. The
 * catalogue's number, which the erasure certificate states too.
 */
export const subjectKeyRecoveryDays = retention.subjectKeyRecoveryDays;

/**
 * The subject-key table of a hosting region (docs/encryption.md): each data subject's data key,
 * wrapped by the region's data key, or the tombstone of a destroyed one. On demand, encrypted with the
 * data key, point-in-time recovery for `subjectKeyRecoveryDays` only, deletion protected, retained with
 * its stack, and in no AWS Backup plan (RegionBackup selects the records table and buckets by ARN).
 */
export class SubjectKeyTable extends Construct {
  readonly table: Table;
  /** The deterministic physical name (`subjectKeyTableName(region)`); functions are given it by name. */
  readonly tableName: string;

  constructor(scope: Construct, id: string, props: SubjectKeyTableProps) {
    super(scope, id);
    this.tableName = subjectKeyTableName(props.region);
    this.table = new Table(this, 'Table', {
      tableName: this.tableName,
      partitionKey: { name: subjectKeyTableDesign.partitionKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: props.encryptionKey,
      pointInTimeRecoverySpecification: {
        pointInTimeRecoveryEnabled: true,
        recoveryPeriodInDays: subjectKeyRecoveryDays,
      },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}

export interface SubjectKeyResources {
  /** The subject-key table's name (`subjectKeyTableName(region)`), in the role's own AWS region. */
  readonly tableName: string;
  /** The region's data key: it encrypts the table and wraps the subject keys. */
  readonly dataKey: IKey;
}

/**
 * Lets `role` reach subjects' keys as `access` declares: `use` reads and creates keys (GetItem,
 * PutItem; GenerateDataKey and Decrypt of the data key, only with purpose `subject-key` in the
 * encryption context), `destroy` writes tombstones (UpdateItem only). No Scan, Query or DeleteItem:
 * keys are reached one subject at a time and a tombstone is never removed.
 */
export function grantSubjectKeyAccess(
  role: Role,
  access: readonly SubjectKeyAccess[],
  resources: SubjectKeyResources,
): void {
  if (access.length === 0) return;
  const stack = Stack.of(role);
  const tableArn = stack.formatArn({
    service: 'dynamodb',
    resource: 'table',
    resourceName: resources.tableName,
  });
  // One statement per kind of access, each with its own Sid: a role may be granted both, by two calls
  // (a workflow task uses keys like every table reader, and the erasure's outcome destroys them too).
  if (access.includes('use')) {
    role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'SubjectKeyTable',
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem'],
        resources: [tableArn],
      }),
    );
  }
  if (access.includes('destroy')) {
    role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'SubjectKeyTombstones',
        actions: ['dynamodb:UpdateItem'],
        resources: [tableArn],
      }),
    );
  }
  // DynamoDB decrypts and encrypts the table's items with the data key on the role's behalf (no Sid:
  // granted again by a second call, the same statement is allowed twice).
  role.addToPrincipalPolicy(
    new PolicyStatement({
      actions: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'],
      resources: [resources.dataKey.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${stack.region}.amazonaws.com` } },
    }),
  );
  if (access.includes('use')) {
    // Subject keys are made and unwrapped with the data key directly, and only for that purpose.
    role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'SubjectKeyWrapping',
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [resources.dataKey.keyArn],
        conditions: { StringEquals: { 'kms:EncryptionContext:purpose': subjectKeyPurpose } },
      }),
    );
  }
}

/**
 * Lets `role`, in another region's stack, use the subjects' keys of `hostingRegion` (the recording
 * transfer reads and updates home call records): to `open` records, GetItem on that region's
 * subject-key table and Decrypt of its data key; to `seal` them, PutItem and GenerateDataKey too. The
 * key is named by alias (no cross-region import), only with purpose `subject-key` in the context.
 */
export function grantSubjectKeyUseIn(
  role: Role,
  hostingRegion: HostingRegionKey,
  use: 'open' | 'seal',
): void {
  const stack = Stack.of(role);
  const { awsRegion } = hostingRegions[hostingRegion];
  const tableArn = stack.formatArn({
    service: 'dynamodb',
    region: awsRegion,
    resource: 'table',
    resourceName: subjectKeyTableName(hostingRegion),
  });
  role.addToPrincipalPolicy(
    new PolicyStatement({
      sid: 'HomeSubjectKeyTable',
      actions: use === 'seal' ? ['dynamodb:GetItem', 'dynamodb:PutItem'] : ['dynamodb:GetItem'],
      resources: [tableArn],
    }),
  );
  const keys = stack.formatArn({ service: 'kms', region: awsRegion, resource: 'key', resourceName: '*' });
  role.addToPrincipalPolicy(
    new PolicyStatement({
      sid: 'HomeSubjectKeyWrapping',
      actions: use === 'seal' ? ['kms:GenerateDataKey', 'kms:Decrypt'] : ['kms:Decrypt'],
      resources: [keys],
      conditions: {
        'ForAnyValue:StringEquals': { 'kms:ResourceAliases': keyAlias(hostingRegion, 'data') },
        StringEquals: { 'kms:EncryptionContext:purpose': subjectKeyPurpose },
      },
    }),
  );
  // The `key/*` finding is the caller's to acknowledge: the same role names the home key by alias for
  // its table reads too, and one acknowledgement (one reason) covers both.
}
