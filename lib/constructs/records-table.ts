import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, type Role } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { tableName } from '#lib/platform/names';
import { tableDesign } from '#lib/platform/table-design';
import { type HostingRegionKey, retention } from '#lib/residency/index';
import { acknowledgeNagRule, nagFindingFor } from './nag-acknowledgements.ts';

export interface RecordsTableProps {
  readonly region: HostingRegionKey;
  readonly encryptionKey: IKey;
}

/** Item-level actions the platform's functions need. No Scan: every list and lookup is a Query. */
const recordActions = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DescribeTable',
];

/**
 * The single DynamoDB table of a hosting region, built from `tableDesign`: on-demand, encrypted with the
 * region's data key, point-in-time recovery on, protected against deletion and retained with its stack.
 */
export class RecordsTable extends Construct {
  readonly table: Table;
  /** The deterministic physical name (`tableName(region)`); other stacks use it without an export. */
  readonly tableName: string;

  constructor(scope: Construct, id: string, props: RecordsTableProps) {
    super(scope, id);
    this.tableName = tableName(props.region);

    this.table = new Table(this, 'Table', {
      tableName: this.tableName,
      partitionKey: { name: tableDesign.partitionKey, type: AttributeType.STRING },
      sortKey: { name: tableDesign.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: props.encryptionKey,
      pointInTimeRecoverySpecification: {
        pointInTimeRecoveryEnabled: true,
        recoveryPeriodInDays: retention.backupDays,
      },
      deletionProtection: true,
      timeToLiveAttribute: tableDesign.ttlAttribute,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    for (const index of tableDesign.indexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        projectionType: ProjectionType.ALL,
      });
    }
  }
}

/**
 * Lets `role` read and write the records table named `tableName` and query its indexes, in the role's
 * own AWS region or in `awsRegion` (e.g. the US transfer workflow writing the EEA table). The ARN is
 * built from the deterministic name, so no cross-region reference is needed.
 */
export function grantRecordTableAccess(role: Role, tableName: string, awsRegion?: string): void {
  const stack = Stack.of(role);
  const tableArn = stack.formatArn({
    service: 'dynamodb',
    region: awsRegion,
    resource: 'table',
    resourceName: tableName,
  });
  const indexesArn = `${tableArn}/index/*`;
  role.addToPrincipalPolicy(
    new PolicyStatement({ sid: 'RecordsTable', actions: recordActions, resources: [tableArn, indexesArn] }),
  );
  acknowledgeNagRule(
    role,
    `AwsSolutions-IAM5[Resource::${nagFindingFor(role, indexesArn)}]`,
    `Queries run on the records table's own GSIs (${tableDesign.indexes.map((i) => i.name).join(', ')}); the wildcard only spans that table's indexes.`,
  );
}

/**
 * A call record's partition as IAM matches it (`StringLike`, `?` one character): `A#<account id, a
 * UUID>#call#<call id>`. The fixed-length account id keeps it from matching other items of an account
 * whose key merely contains `#call#` (a phone lookup `A#<account>#LOOKUP#call#…`).
 */
export const callPartitionPattern = 'A#????????-????-????-????-????????????#call#*';

/**
 * Lets `role` act on call records only, of the table named `tableName` in `awsRegion` (e.g. the US
 * transfer reading and recording a call of the EEA table): `actions` on items whose partition is a
 * call's (`dynamodb:LeadingKeys`), which holds the record and its audit entries, and no index.
 */
export function grantCallRecordAccess(
  role: Role,
  tableName: string,
  awsRegion: string,
  actions: readonly ('dynamodb:GetItem' | 'dynamodb:PutItem')[],
): void {
  const tableArn = Stack.of(role).formatArn({
    service: 'dynamodb',
    region: awsRegion,
    resource: 'table',
    resourceName: tableName,
  });
  role.addToPrincipalPolicy(
    new PolicyStatement({
      sid: 'CallRecords',
      actions: [...actions],
      resources: [tableArn],
      conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [callPartitionPattern] } },
    }),
  );
}
