import { App, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { grantSubjectKeyAccess, subjectKeyRecoveryDays } from '#lib/constructs/subject-key-table';
import type { SubjectKeyAccess } from '#lib/platform/function-access';
import { keyAlias, subjectKeyTableName, tableName } from '#lib/platform/names';
import { hostingRegionKeys, hostingRegions } from '#lib/residency/index';
import {
  arnText,
  type CfnResourceJson,
  keyIdOf,
  resourcesOfType,
  type SynthesizedPlatform,
  synthesizePlatform,
} from './platform.ts';

let platform: SynthesizedPlatform;

beforeAll(() => {
  platform = synthesizePlatform();
});

/** Every synthesized stack of the app, and each region's API routes (a nested stack), as raw templates. */
const everyTemplate = () => [
  ...platform.assembly.stacksRecursively.map(
    (stack) => stack.template as { Resources: Record<string, CfnResourceJson> },
  ),
  ...hostingRegionKeys.map((region) => platform.regions[region].apiRoutes.json),
];

const subjectKeyTableOf = (region: (typeof hostingRegionKeys)[number]) => {
  const data = platform.regions[region].data;
  const tables = resourcesOfType(data, 'AWS::DynamoDB::Table').filter(
    ([, table]) => table.Properties?.TableName === subjectKeyTableName(region),
  );
  expect(tables).toHaveLength(1);
  return tables[0] as [string, CfnResourceJson & { UpdateReplacePolicy?: string }];
};

describe.each(hostingRegionKeys)('the subject-key table of %s', (region) => {
  it('is point-in-time recoverable for 1 day only, deletion protected and retained', () => {
    // Act
    const [, table] = subjectKeyTableOf(region);

    // Assess
    expect(subjectKeyRecoveryDays).toBe(1);
    expect(table.Properties?.PointInTimeRecoverySpecification).toEqual({
      PointInTimeRecoveryEnabled: true,
      RecoveryPeriodInDays: 1,
    });
    expect(table.Properties?.DeletionProtectionEnabled).toBe(true);
    expect(table.DeletionPolicy).toBe('Retain');
    expect(table.UpdateReplacePolicy).toBe('Retain');
    expect(table.Properties?.BillingMode).toBe('PAY_PER_REQUEST');
    expect(table.Properties?.KeySchema).toEqual([{ AttributeName: 'pk', KeyType: 'HASH' }]);
    expect(table.Properties).not.toHaveProperty('GlobalSecondaryIndexes');
  });

  it("is encrypted with the region's customer-managed data key", () => {
    // Prepare
    const data = platform.regions[region].data;

    // Act
    const [, table] = subjectKeyTableOf(region);

    // Assess
    expect(table.Properties?.SSESpecification).toEqual({
      SSEEnabled: true,
      SSEType: 'KMS',
      KMSMasterKeyId: { 'Fn::GetAtt': [keyIdOf(data, keyAlias(region, 'data')), 'Arn'] },
    });
  });

  it("leaves the data key's use to IAM: its key policy names no principal but the account", () => {
    // Prepare
    const data = platform.regions[region].data;
    const key = data.json.Resources[keyIdOf(data, keyAlias(region, 'data'))];

    // Act
    const principals = (key?.Properties?.KeyPolicy as { Statement: { Principal: unknown }[] }).Statement.map(
      (statement) => JSON.stringify(statement.Principal),
    );

    // Assess: so subject keys are unwrapped only by roles granted it (grantSubjectKeyAccess, below)
    expect(principals.length).toBeGreaterThan(0);
    for (const principal of principals) expect(principal).toMatch(/^\{"AWS":.*:root"\]\]\}\}$/);
  });

  it('is in no backup selection of any region, by reference, name, ARN pattern or tag', () => {
    // Prepare
    const [tableId] = subjectKeyTableOf(region);
    const selections = everyTemplate().flatMap((json) =>
      Object.values(json.Resources).filter((resource) => resource.Type === 'AWS::Backup::BackupSelection'),
    );

    // Act
    const selected = selections.map(
      (selection) =>
        selection.Properties?.BackupSelection as {
          Resources?: unknown[];
          ListOfTags?: unknown[];
          Conditions?: unknown;
          NotResources?: unknown[];
        },
    );

    // Assess: every selection names its resources one by one (no tags, conditions or wildcards)
    expect(selections.length).toBe(hostingRegionKeys.length);
    for (const selection of selected) {
      expect(selection.ListOfTags ?? []).toEqual([]);
      expect(selection.Conditions).toBeUndefined();
      const resources = (selection.Resources ?? []).map(arnText);
      expect(resources.length).toBeGreaterThan(0);
      for (const resource of resources) {
        expect(resource).not.toContain('*');
        expect(resource).not.toContain(tableId);
        expect(resource).not.toContain(subjectKeyTableName(region));
      }
    }
    // The records table beside it is selected, so the check above looks where it should.
    const [recordsId] =
      resourcesOfType(platform.regions[region].data, 'AWS::DynamoDB::Table').find(
        ([, table]) => table.Properties?.TableName === tableName(region),
      ) ?? [];
    expect(JSON.stringify(selected)).toContain(`"${recordsId}"`);
  });
});

describe('grants of the subject-key table', () => {
  /** A role given `access` to the subject keys on a stack of its own; its statements, resources as text. */
  function grantedTo(access: readonly SubjectKeyAccess[]) {
    const app = new App();
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    const stack = new Stack(app, 'GrantTest', { env: { account: '123456789012', region: 'eu-central-1' } });
    const dataKey = new Key(stack, 'DataKey', { enableKeyRotation: true });
    const role = new Role(stack, 'Role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    grantSubjectKeyAccess(role, access, { tableName: subjectKeyTableName('eea'), dataKey });
    const template = Template.fromJSON(app.synth().getStackByName('GrantTest').template);
    const keyId = Object.keys(template.findResources('AWS::KMS::Key'))[0];
    return Object.values(template.findResources('AWS::IAM::Policy')).flatMap((policy) =>
      (
        policy.Properties.PolicyDocument.Statement as {
          Sid: string;
          Action: string | string[];
          Resource: unknown;
          Condition?: unknown;
        }[]
      ).map((statement) => ({
        sid: statement.Sid,
        actions: [statement.Action].flat().sort(),
        resources: [statement.Resource]
          .flat()
          .map(arnText)
          .map((r) => r.replace(`<${keyId}.Arn>`, '<data key>')),
        condition: statement.Condition,
      })),
    );
  }

  const table = `arn:<AWS::Partition>:dynamodb:eu-central-1:123456789012:table/${subjectKeyTableName('eea')}`;
  const viaDynamo = {
    sid: undefined,
    actions: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'],
    resources: ['<data key>'],
    condition: {
      StringEquals: { 'kms:ViaService': `dynamodb.${hostingRegions.eea.awsRegion}.amazonaws.com` },
    },
  };

  it('lets a user of keys read and create them, and unwrap them only with the subject-key purpose', () => {
    // Act
    const statements = grantedTo(['use']);

    // Assess
    expect(statements).toEqual([
      { sid: 'SubjectKeyTable', actions: ['dynamodb:GetItem', 'dynamodb:PutItem'], resources: [table] },
      viaDynamo,
      {
        sid: 'SubjectKeyWrapping',
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['<data key>'],
        condition: { StringEquals: { 'kms:EncryptionContext:purpose': 'subject-key' } },
      },
    ]);
  });

  it('lets a destroyer write tombstones only: no key read, no KMS call of its own', () => {
    // Act
    const statements = grantedTo(['destroy']);

    // Assess
    expect(statements).toEqual([
      { sid: 'SubjectKeyTombstones', actions: ['dynamodb:UpdateItem'], resources: [table] },
      viaDynamo,
    ]);
  });

  it('grants use and destroy to one role with distinct statement ids (a policy with a repeated Sid is invalid)', () => {
    const app = new App();
    const stack = new Stack(app, 'TwiceTest', { env: { account: '123456789012', region: 'eu-central-1' } });
    const dataKey = new Key(stack, 'DataKey', { enableKeyRotation: true });
    const role = new Role(stack, 'Role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    grantSubjectKeyAccess(role, ['use'], { tableName: subjectKeyTableName('eea'), dataKey });
    grantSubjectKeyAccess(role, ['destroy'], { tableName: subjectKeyTableName('eea'), dataKey });
    const template = Template.fromJSON(app.synth().getStackByName('TwiceTest').template);
    const sids = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((policy) =>
      (policy.Properties.PolicyDocument.Statement as { Sid?: string }[]).flatMap((s) => s.Sid ?? []),
    );

    expect(sids.sort()).toEqual(['SubjectKeyTable', 'SubjectKeyTombstones', 'SubjectKeyWrapping']);
  });
});

describe('statement ids of every synthesized policy', () => {
  it('are unique within each policy of every stack (IAM refuses a policy that repeats one)', () => {
    const repeated = everyTemplate().flatMap((template) =>
      Object.entries(template.Resources)
        .filter(([, resource]) => resource.Type === 'AWS::IAM::Policy')
        .flatMap(([id, policy]) => {
          const statements = (policy.Properties?.PolicyDocument as { Statement?: { Sid?: string }[] })
            .Statement;
          const sids = (statements ?? []).flatMap((statement) => statement.Sid ?? []);
          return sids.filter((sid, index) => sids.indexOf(sid) !== index).map((sid) => `${id} ${sid}`);
        }),
    );

    expect(repeated).toEqual([]);
  });
});
