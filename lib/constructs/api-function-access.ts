import { Stack } from 'aws-cdk-lib';
import { PolicyStatement, type Role } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import {
  type ApiFunctionAccess,
  type ApiResourceNames,
  apiBuckets,
  apiBucketSettings,
  type ObjectAccess,
} from '#lib/platform/function-access';
import { executionArn } from '#lib/platform/names';
import { portalSecretPurpose } from '#lib/platform/portal-secret-encryption';
import { grantLookupKeys } from './workflow-parts.ts';
import { tableDesign } from '#lib/platform/table-design';
import { grantKeyUseByAlias } from './key-grants.ts';
import { acknowledgeNagRule, nagFindingFor } from './nag-acknowledgements.ts';
import { grantStagedRecordingDeletion } from './staged-recording-grants.ts';
import { grantSubjectKeyAccess } from './subject-key-table.ts';

/** The resources of a hosting region that API functions may be given, and the keys encrypting them. */
export interface ApiResources extends ApiResourceNames {
  /** Encrypts the table and the buckets. */
  readonly dataKey: IKey;
  /** Where this region's recordings are uploaded first, with the alias of the key encrypting it there. */
  readonly recordingStaging?: ApiResourceNames['recordingStaging'] & { readonly dataKeyAlias: string };
}

/** Item actions of a function that reads the records table (no Scan: every list is a Query). */
const tableReads = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'];
const tableWrites = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
];

/**
 * Grants `role` exactly what `access` declares: table actions on the table and its indexes, object
 * actions under each bucket's prefix, the data key only through this region's DynamoDB and S3 (the
 * staging region's key only through its S3), subjects' keys, and the named workflows. Nothing else.
 */
export function grantApiFunctionAccess(role: Role, access: ApiFunctionAccess, resources: ApiResources): void {
  if (access.table) grantTable(role, access.table, resources);
  if (access.accountDirectory) grantAccountDirectory(role, resources);
  // Per physical bucket: in the US, recordings are read and uploaded in the same bucket.
  const home = new Map<string, { kind: string; prefix: string; wanted: Set<ObjectAccess> }>();
  for (const bucket of apiBuckets) {
    const wanted = access.objects?.[bucket];
    if (!wanted) continue;
    const staging = bucket === 'recordingUploads' ? resources.recordingStaging : undefined;
    if (staging) {
      grantObjects(role, staging.bucketName, apiBucketSettings[bucket].prefix, wanted, 'recording-staging');
      if (wanted.includes('deleteVersions')) {
        grantStagedRecordingDeletion(
          role,
          staging.bucketName,
          'Deleting a call deletes its staged recording; recording keys are made per call at run time, the wildcard spans recording keys of the staging bucket only.',
        );
      }
      grantKeyUseByAlias(role, {
        awsRegion: staging.awsRegion,
        alias: staging.dataKeyAlias,
        actions: keyActionsFor(wanted),
        viaServices: ['s3'],
        reason:
          "Uploads into the staging bucket are encrypted with the staging region's data key, named by alias.",
      });
      continue;
    }
    const kind = bucket === 'recordingUploads' ? 'recordings' : bucket;
    const name = resources.buckets[kind];
    // A region without the bucket (recordings in India or Australia) gives nothing.
    if (!name) continue;
    const entry = home.get(name) ?? {
      kind,
      prefix: apiBucketSettings[bucket].prefix,
      wanted: new Set<ObjectAccess>(),
    };
    // Recordings at home are deleted by the purge, never by the API: `deleteVersions` is for staging.
    for (const want of wanted) if (want !== 'deleteVersions') entry.wanted.add(want);
    home.set(name, entry);
  }
  const keyViaS3 = new Set<string>();
  for (const [name, { kind, prefix, wanted }] of home) {
    grantObjects(role, name, prefix, [...wanted], kind);
    for (const action of keyActionsFor([...wanted])) keyViaS3.add(action);
  }
  if (keyViaS3.size > 0) grantDataKeyVia(role, resources.dataKey, 's3', [...keyViaS3].sort(), 'DataKeyViaS3');
  // Every function reaching the records table keys lookups with the accounts' lookup keys (the
  // operators' account creation makes the new account's key for its owner's e-mail claim).
  if (access.table || access.accountDirectory) grantLookupKeys(role, resources.dataKey);
  if (access.portalSecrets) {
    // Portal-token secrets are encrypted with the data key directly (not through DynamoDB or S3), and
    // only with their purpose in the encryption context: the grant decrypts nothing else.
    role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'PortalTokenSecrets',
        actions: ['kms:Encrypt', 'kms:Decrypt'],
        resources: [resources.dataKey.keyArn],
        conditions: { StringEquals: { 'kms:EncryptionContext:purpose': portalSecretPurpose } },
      }),
    );
  }
  // Every function reaching the records table opens and seals records with subjects' keys.
  if (access.table || access.accountDirectory) {
    grantSubjectKeyAccess(role, ['use'], {
      tableName: resources.subjectKeyTableName,
      dataKey: resources.dataKey,
    });
  }
  for (const workflow of access.workflows?.start ?? []) {
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['states:StartExecution'],
        resources: [resources.stateMachineArns[workflow]],
      }),
    );
  }
  for (const workflow of access.workflows?.describe ?? []) {
    const executions = executionArn(resources.stateMachineArns[workflow], '*');
    role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['states:DescribeExecution'], resources: [executions] }),
    );
    acknowledgeNagRule(
      role,
      `AwsSolutions-IAM5[Resource::${nagFindingFor(role, executions)}]`,
      `Executions are named per business id at run time; the wildcard spans the executions of one state machine (${workflow}) only.`,
    );
  }
}

/** The data key, as DynamoDB uses it to read and write the encrypted table for the function. */
function grantTableKey(role: Role, resources: ApiResources): void {
  grantDataKeyVia(
    role,
    resources.dataKey,
    'dynamodb',
    ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'],
    'DataKeyViaDynamoDb',
  );
}

/** Account administration (operators): items of the table itself, no index, no deletes. */
const accountDirectoryActions = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:ConditionCheckItem',
];

function grantAccountDirectory(role: Role, resources: ApiResources): void {
  const tableArn = Stack.of(role).formatArn({
    service: 'dynamodb',
    resource: 'table',
    resourceName: resources.tableName,
  });
  role.addToPrincipalPolicy(
    new PolicyStatement({ sid: 'AccountDirectory', actions: accountDirectoryActions, resources: [tableArn] }),
  );
  grantTableKey(role, resources);
}

function grantTable(role: Role, level: 'read' | 'readWrite', resources: ApiResources): void {
  const stack = Stack.of(role);
  const tableArn = stack.formatArn({
    service: 'dynamodb',
    resource: 'table',
    resourceName: resources.tableName,
  });
  const indexesArn = `${tableArn}/index/*`;
  role.addToPrincipalPolicy(
    new PolicyStatement({
      sid: 'RecordsTable',
      actions: level === 'readWrite' ? [...tableReads, ...tableWrites] : tableReads,
      resources: [tableArn, indexesArn],
    }),
  );
  acknowledgeNagRule(
    role,
    `AwsSolutions-IAM5[Resource::${nagFindingFor(role, indexesArn)}]`,
    `Queries run on the records table's own GSIs (${tableDesign.indexes.map((i) => i.name).join(', ')}); the wildcard only spans that table's indexes.`,
  );
  if (level === 'read') {
    // Even a reading function spends its caller's request budget: one counter item per account window.
    role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'RateBudget',
        actions: ['dynamodb:UpdateItem'],
        resources: [tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['A#*#RATE#*'] } },
      }),
    );
  }
  // Every function with the table writes (at least its callers' request budget).
  grantTableKey(role, resources);
}

/**
 * Object actions under `prefix` of one bucket. Reading also lists that prefix: without s3:ListBucket,
 * S3 answers a HEAD of a missing key with 403 instead of 404, and "not uploaded yet" would be an error.
 */
function grantObjects(
  role: Role,
  bucketName: string,
  prefix: string,
  wanted: readonly ObjectAccess[],
  kind: string,
): void {
  if (!wanted.includes('read') && !wanted.includes('write')) return;
  const stack = Stack.of(role);
  const bucketArn = stack.formatArn({ service: 's3', region: '', account: '', resource: bucketName });
  const objects = `${bucketArn}/${prefix}*`;
  const actions = [
    ...(wanted.includes('read') ? ['s3:GetObject'] : []),
    ...(wanted.includes('write') ? ['s3:PutObject'] : []),
  ];
  role.addToPrincipalPolicy(new PolicyStatement({ actions, resources: [objects] }));
  acknowledgeNagRule(
    role,
    `AwsSolutions-IAM5[Resource::${nagFindingFor(role, objects)}]`,
    `Object keys are made per record at run time; the wildcard spans the ${prefix} prefix of the ${kind} bucket only.`,
  );
  if (wanted.includes('read')) {
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${prefix}*`] } },
      }),
    );
  }
}

/** What S3 asks of the data key for the object actions: decrypt to read, a data key to write; deleting asks nothing. */
function keyActionsFor(wanted: readonly ObjectAccess[]): string[] {
  return [
    ...(wanted.includes('read') ? ['kms:Decrypt'] : []),
    ...(wanted.includes('write') ? ['kms:GenerateDataKey'] : []),
  ];
}

function grantDataKeyVia(role: Role, key: IKey, service: string, actions: string[], sid: string): void {
  role.addToPrincipalPolicy(
    new PolicyStatement({
      sid,
      actions,
      resources: [key.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `${service}.${Stack.of(role).region}.amazonaws.com` } },
    }),
  );
}
