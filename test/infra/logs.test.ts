import { beforeAll, describe, expect, it } from 'vitest';
import {
  type LogArchiveRouteName,
  logArchivePrefix,
  logArchiveRouteNames,
  logArchiveRoutes,
} from '#lib/platform/log-archive';
import {
  backupVaultName,
  bucketName,
  keyAlias,
  logArchiveStreamName,
  logCopyReplicationRoleName,
  logSubscriptionRoleName,
  stackNames,
} from '#lib/platform/names';
import {
  eeaRegionKey,
  type HostingRegionKey,
  hostingRegionKeys,
  hostingRegions,
  retention,
} from '#lib/residency/index';
import {
  allStates,
  arnText,
  bucketsByKind,
  everyStateMachine,
  type CfnResourceJson,
  keyIdOf,
  resourcesOfType,
  type SynthesizedPlatform,
  type SynthesizedStack,
  synthesizePlatform,
} from './platform.ts';

let platform: SynthesizedPlatform;

beforeAll(() => {
  platform = synthesizePlatform();
});

type Statement = {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
  Principal?: unknown;
};

const account = '<AWS::AccountId>';
const partition = '<AWS::Partition>';
const awsRegionOf = (region: HostingRegionKey) => hostingRegions[region].awsRegion;
const eeaLogCopiesArn = `arn:${partition}:s3:::${bucketName(eeaRegionKey, 'eea-log-copies', account)}`;
const eeaDataKeyAliasArn = `arn:${partition}:kms:${awsRegionOf(eeaRegionKey)}:${account}:${keyAlias(eeaRegionKey, 'data')}`;
const copiedRoutes: LogArchiveRouteName[] = ['helpdesk-application', 'service-desk-application'];

function allStacks(): [string, SynthesizedStack][] {
  return hostingRegionKeys.flatMap((region): [string, SynthesizedStack][] => [
    [`${region} data`, platform.regions[region].data],
    [`${region} api`, platform.regions[region].api],
  ]);
}

const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);

/** Statements of the inline policies attached to the role with logical id `roleId`. */
function statementsOfRole(stack: SynthesizedStack, roleId: string): Statement[] {
  return resourcesOfType(stack, 'AWS::IAM::Policy')
    .filter(([, policy]) =>
      (policy.Properties?.Roles as { Ref: string }[]).some((role) => role.Ref === roleId),
    )
    .flatMap(([, policy]) => (policy.Properties?.PolicyDocument as { Statement: Statement[] }).Statement);
}

function roleNamed(stack: SynthesizedStack, name: string): [string, CfnResourceJson] {
  const roles = resourcesOfType(stack, 'AWS::IAM::Role').filter(
    ([, role]) => role.Properties?.RoleName === name,
  );
  expect(roles, `role ${name}`).toHaveLength(1);
  return roles[0] as [string, CfnResourceJson];
}

type ReplicationJson = {
  Role: unknown;
  Rules: {
    Id: string;
    Status: string;
    Priority: number;
    Filter: { Prefix: string };
    DeleteMarkerReplication: { Status: string };
    SourceSelectionCriteria: { SseKmsEncryptedObjects: { Status: string } };
    Destination: { Bucket: unknown; EncryptionConfiguration: { ReplicaKmsKeyID: unknown } };
  }[];
};

describe('log groups', () => {
  it('keep their logs exactly one year (365 days) in every stack of every region, and outlive their stack', () => {
    // Act
    const logGroups = allStacks().flatMap(([name, stack]) =>
      resourcesOfType(stack, 'AWS::Logs::LogGroup').map(
        ([id, logGroup]) => [`${name} ${id}`, logGroup] as const,
      ),
    );

    // Assess
    expect(logGroups.length).toBeGreaterThan(hostingRegionKeys.length * 2);
    for (const [id, logGroup] of logGroups) {
      expect(logGroup.Properties?.RetentionInDays, id).toBe(365);
      expect(logGroup.DeletionPolicy, id).toBe('Retain');
    }
  });
});

describe.each(hostingRegionKeys)('log archive of %s', (region) => {
  const data = () => platform.regions[region].data;
  const api = () => platform.regions[region].api;
  const streamArn = (route: LogArchiveRouteName) =>
    `arn:${partition}:firehose:${awsRegionOf(region)}:${account}:deliverystream/${logArchiveStreamName(region, route)}`;

  it("has one Firehose stream per route, encrypted with the logs key, writing the route's prefix of the region's logs bucket", () => {
    // Prepare
    const logsBucketId = bucketsByKind(data(), region).get('logs')?.[0];
    const logsKey = { 'Fn::GetAtt': [keyIdOf(data(), keyAlias(region, 'logs')), 'Arn'] };

    // Act
    const streams = new Map(
      resourcesOfType(data(), 'AWS::KinesisFirehose::DeliveryStream').map(([, stream]) => [
        stream.Properties?.DeliveryStreamName,
        stream.Properties as Record<string, Record<string, unknown>>,
      ]),
    );

    // Assess
    expect([...streams.keys()].sort()).toEqual(
      logArchiveRouteNames.map((route) => logArchiveStreamName(region, route)).sort(),
    );
    for (const route of logArchiveRouteNames) {
      const stream = streams.get(logArchiveStreamName(region, route));
      const destination = stream?.ExtendedS3DestinationConfiguration as Record<string, unknown>;
      expect(stream?.DeliveryStreamEncryptionConfigurationInput, route).toEqual({
        KeyType: 'CUSTOMER_MANAGED_CMK',
        KeyARN: logsKey,
      });
      expect(destination.BucketARN, route).toEqual({ 'Fn::GetAtt': [logsBucketId, 'Arn'] });
      expect(destination.Prefix, route).toBe(
        `${logArchiveRoutes[route].folder}/${region}/!{timestamp:yyyy/MM/dd}/`,
      );
      expect(destination.ErrorOutputPrefix, route).toMatch(
        new RegExp(`^errors/${logArchivePrefix(route, region)}`),
      );
      expect(destination.EncryptionConfiguration, route).toEqual({
        KMSEncryptionConfig: { AWSKMSKeyARN: logsKey },
      });
    }
  });

  it("subscribes every API log group to its own region's archive: functions as helpdesk application logs, the stage as API access logs", () => {
    // Prepare
    const [[, stage] = []] = resourcesOfType(api(), 'AWS::ApiGatewayV2::Stage');
    const accessLogGroupId = (
      stage?.Properties?.AccessLogSettings as { DestinationArn: { 'Fn::GetAtt': [string, string] } }
    ).DestinationArn['Fn::GetAtt'][0];
    const filters = resourcesOfType(api(), 'AWS::Logs::SubscriptionFilter').map(
      ([, filter]) => filter.Properties,
    );
    const logGroupIds = resourcesOfType(api(), 'AWS::Logs::LogGroup').map(([id]) => id);

    // Act / Assess
    expect(filters).toHaveLength(logGroupIds.length);
    for (const id of logGroupIds) {
      const own = filters.filter((filter) => (filter?.LogGroupName as { Ref: string }).Ref === id);
      expect(own, id).toHaveLength(1);
      const route: LogArchiveRouteName = id === accessLogGroupId ? 'api-access' : 'helpdesk-application';
      expect(arnText(own[0]?.DestinationArn), id).toBe(streamArn(route));
      expect(arnText(own[0]?.RoleArn), id).toBe(
        `arn:${partition}:iam::${account}:role/${logSubscriptionRoleName(region)}`,
      );
      expect(own[0]?.FilterPattern, `${id} forwards every event`).toBe('');
    }
  });

  it("keeps the streams' own delivery errors in the data stack's only log group, which is not fed back into them", () => {
    // Prepare
    const logGroups = resourcesOfType(data(), 'AWS::Logs::LogGroup');
    const streams = resourcesOfType(data(), 'AWS::KinesisFirehose::DeliveryStream');

    // Assess
    expect(logGroups).toHaveLength(1);
    expect(resourcesOfType(data(), 'AWS::Logs::SubscriptionFilter')).toEqual([]);
    for (const [id, stream] of streams) {
      const destination = stream.Properties?.ExtendedS3DestinationConfiguration as {
        CloudWatchLoggingOptions: { Enabled: boolean; LogGroupName: unknown };
      };
      expect(destination.CloudWatchLoggingOptions.Enabled, id).toBe(true);
      expect(destination.CloudWatchLoggingOptions.LogGroupName, id).toEqual({ Ref: logGroups[0]?.[0] });
    }
  });

  it("lets only this region's CloudWatch Logs put records, and only into this region's archive streams", () => {
    // Prepare
    const [roleId, role] = roleNamed(data(), logSubscriptionRoleName(region));
    const trust = (role.Properties?.AssumeRolePolicyDocument as { Statement: Statement[] }).Statement;
    const streamIds = resourcesOfType(data(), 'AWS::KinesisFirehose::DeliveryStream').map(([id]) => id);

    // Act
    const statements = statementsOfRole(data(), roleId);

    // Assess
    expect(trust).toHaveLength(1);
    expect(trust[0]?.Principal).toEqual({ Service: 'logs.amazonaws.com' });
    expect(arnText(trust[0]?.Condition?.StringLike?.['aws:SourceArn'])).toBe(
      `arn:${partition}:logs:${awsRegionOf(region)}:${account}:*`,
    );
    expect(statements).toHaveLength(1);
    expect(statements[0]?.Action).toEqual(['firehose:PutRecord', 'firehose:PutRecordBatch']);
    expect(asList(statements[0]?.Resource)).toEqual(streamIds.map((id) => ({ 'Fn::GetAtt': [id, 'Arn'] })));
  });

  it('lets Firehose write only the route prefixes of the logs bucket, with the logs key through S3 of this region', () => {
    // Prepare
    const [stream] = resourcesOfType(data(), 'AWS::KinesisFirehose::DeliveryStream');
    const roleId = (
      stream?.[1].Properties?.ExtendedS3DestinationConfiguration as { RoleARN: { 'Fn::GetAtt': [string] } }
    ).RoleARN['Fn::GetAtt'][0];
    const logsBucket = `<${bucketsByKind(data(), region).get('logs')?.[0]}.Arn>`;
    const allowedObjects = logArchiveRouteNames.flatMap((route) => [
      `${logsBucket}/${logArchivePrefix(route, region)}*`,
      `${logsBucket}/errors/${logArchivePrefix(route, region)}*`,
    ]);

    // Act
    const statements = statementsOfRole(data(), roleId);
    const s3 = statements.filter((s) => JSON.stringify(s.Action).includes('s3:'));
    const kms = statements.filter((s) => JSON.stringify(s.Action).includes('kms:'));

    // Assess
    for (const statement of s3) {
      for (const resource of asList(statement.Resource).map(arnText)) {
        expect([logsBucket, ...allowedObjects], statement.Sid).toContain(resource);
      }
    }
    expect(s3.flatMap((s) => asList(s.Resource).map(arnText))).toEqual(
      expect.arrayContaining(allowedObjects),
    );
    expect(kms).toHaveLength(1);
    expect(kms[0]?.Resource).toEqual({ 'Fn::GetAtt': [keyIdOf(data(), keyAlias(region, 'logs')), 'Arn'] });
    expect(kms[0]?.Condition?.StringEquals).toEqual({
      'kms:ViaService': `s3.${awsRegionOf(region)}.amazonaws.com`,
    });
  });

  it('expires archived logs after 365 days, every version', () => {
    // Prepare
    const [, logs] = bucketsByKind(data(), region).get('logs') ?? [];
    const rules = (logs?.Properties?.LifecycleConfiguration as { Rules: Record<string, unknown>[] }).Rules;

    // Assess
    expect(
      rules.flatMap((rule) => (rule.ExpirationInDays === undefined ? [] : [rule.ExpirationInDays])),
    ).toEqual([365]);
    expect(rules).toContainEqual(
      expect.objectContaining({ NoncurrentVersionExpiration: { NoncurrentDays: 1 } }),
    );
  });

  it('writes the audit trail of object access under audit/ of the archive', () => {
    const [[, trail] = []] = resourcesOfType(data(), 'AWS::CloudTrail::Trail');
    expect(trail?.Properties?.S3KeyPrefix).toBe('audit');
  });
});

describe('EEA log copies', () => {
  const replicatingBuckets = () =>
    allStacks().flatMap(([name, stack]) =>
      resourcesOfType(stack, 'AWS::S3::Bucket')
        .filter(([, bucket]) => bucket.Properties?.ReplicationConfiguration !== undefined)
        .map(([id]) => `${name} ${id}`),
    );

  it('are shipped only from the US and India: their logs buckets are the only replicating buckets of the platform', () => {
    // Prepare
    const logsBucketOf = (region: HostingRegionKey) =>
      `${region} data ${bucketsByKind(platform.regions[region].data, region).get('logs')?.[0]}`;

    // Assess
    expect(replicatingBuckets().sort()).toEqual([logsBucketOf('us'), logsBucketOf('in')].sort());
  });

  describe.each(['us', 'in'] as const)('from %s', (region) => {
    const data = () => platform.regions[region].data;
    const replication = () =>
      bucketsByKind(data(), region).get('logs')?.[1].Properties?.ReplicationConfiguration as ReplicationJson;

    it('replicate only the helpdesk and service-desk application logs, into the EEA log-copy bucket under the EEA data key', () => {
      // Act
      const { Rules: rules } = replication();

      // Assess
      expect(rules.map((rule) => rule.Filter.Prefix).sort()).toEqual(
        [`application/helpdesk/${region}/`, `application/service-desk/${region}/`].sort(),
      );
      for (const rule of rules) {
        expect(rule.Status, rule.Id).toBe('Enabled');
        expect(arnText(rule.Destination.Bucket), rule.Id).toBe(eeaLogCopiesArn);
        expect(arnText(rule.Destination.EncryptionConfiguration.ReplicaKmsKeyID), rule.Id).toBe(
          eeaDataKeyAliasArn,
        );
        expect(rule.SourceSelectionCriteria.SseKmsEncryptedObjects.Status, rule.Id).toBe('Enabled');
        expect(rule.DeleteMarkerReplication.Status, rule.Id).toBe('Disabled');
      }
      expect(new Set(rules.map((rule) => rule.Priority)).size).toBe(rules.length);
    });

    it('use a replication role that reads only those prefixes and writes only their copies', () => {
      // Prepare
      const [roleId] = roleNamed(data(), logCopyReplicationRoleName(region));
      const logsBucket = `arn:${partition}:s3:::${bucketName(region, 'logs', account)}`;
      const prefixes = copiedRoutes.map((route) => logArchivePrefix(route, region));
      const logsKey = `<${keyIdOf(data(), keyAlias(region, 'logs'))}.Arn>`;
      const eeaKeys = `arn:${partition}:kms:${awsRegionOf(eeaRegionKey)}:${account}:key/*`;
      const allowed = [
        logsBucket,
        ...prefixes.map((prefix) => `${logsBucket}/${prefix}*`),
        ...prefixes.map((prefix) => `${eeaLogCopiesArn}/${prefix}*`),
        logsKey,
        eeaKeys,
      ];

      // Act
      const statements = statementsOfRole(data(), roleId);
      const resources = statements.flatMap((s) => asList(s.Resource).map(arnText));

      // Assess
      expect(arnText(replication().Role)).toBe(`<${roleId}.Arn>`);
      expect([...new Set(resources)].sort()).toEqual([...allowed].sort());
      for (const statement of statements) {
        expect(JSON.stringify(statement.Action), statement.Sid).not.toContain('*');
        expect(statement.Effect).toBe('Allow');
      }
      const eeaKeyStatement = statements.find((s) => asList(s.Resource).map(arnText).includes(eeaKeys));
      expect(eeaKeyStatement?.Condition?.['ForAnyValue:StringEquals']).toEqual({
        'kms:ResourceAliases': keyAlias(eeaRegionKey, 'data'),
      });
      expect(eeaKeyStatement?.Condition?.StringEquals).toEqual({
        'kms:ViaService': `s3.${awsRegionOf(eeaRegionKey)}.amazonaws.com`,
      });
    });
  });

  it('are admitted into the EEA bucket only from the US and India replication roles', () => {
    // Prepare
    const eea = platform.regions[eeaRegionKey].data;
    const [bucketId] = bucketsByKind(eea, eeaRegionKey).get('eea-log-copies') ?? [];
    const [[, policy] = []] = resourcesOfType(eea, 'AWS::S3::BucketPolicy').filter(
      ([, p]) => (p.Properties?.Bucket as { Ref: string }).Ref === bucketId,
    );

    // Act
    const statements = (policy?.Properties?.PolicyDocument as { Statement: Statement[] }).Statement;
    const replicationGuard = statements.filter((s) => JSON.stringify(s.Action).includes('s3:Replicate'));

    // Assess
    expect(replicationGuard).toHaveLength(1);
    expect(replicationGuard[0]?.Effect).toBe('Deny');
    expect(
      asList(replicationGuard[0]?.Condition?.ArnNotEquals?.['aws:PrincipalArn']).map(arnText).sort(),
    ).toEqual(
      (['us', 'in'] as const)
        .map((r) => `arn:${partition}:iam::${account}:role/${logCopyReplicationRoleName(r)}`)
        .sort(),
    );
  });

  it('are deleted after 30 days, every version (the bucket is versioned for replication)', () => {
    // Prepare
    const eea = platform.regions[eeaRegionKey].data;
    const [, bucket] = bucketsByKind(eea, eeaRegionKey).get('eea-log-copies') ?? [];
    const rules = (bucket?.Properties?.LifecycleConfiguration as { Rules: Record<string, unknown>[] }).Rules;

    // Assess
    expect(bucket?.Properties?.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(
      rules.flatMap((rule) => (rule.ExpirationInDays === undefined ? [] : [rule.ExpirationInDays])),
    ).toEqual([retention.eeaLogCopyDays]);
    expect(retention.eeaLogCopyDays).toBe(30);
    expect(rules).toContainEqual(
      expect.objectContaining({
        NoncurrentVersionExpiration: { NoncurrentDays: retention.noncurrentVersionDays },
      }),
    );
    expect(retention.noncurrentVersionDays).toBeLessThan(30);
  });
});

describe('backups', () => {
  it("never leave their region: no copy action anywhere, every rule targets its own region's vault", () => {
    for (const region of hostingRegionKeys) {
      const data = platform.regions[region].data;
      // Assess: no template of the platform carries a copy action at all...
      for (const stack of [data, platform.regions[region].api]) {
        expect(JSON.stringify(stack.json), region).not.toMatch(/CopyAction|DestinationBackupVaultArn/);
      }
      // ...and every rule of the region's plan writes into the region's own vault.
      const vaults = resourcesOfType(data, 'AWS::Backup::BackupVault');
      expect(vaults.map(([, vault]) => vault.Properties?.BackupVaultName)).toEqual([backupVaultName(region)]);
      const rules = resourcesOfType(data, 'AWS::Backup::BackupPlan').flatMap(
        ([, plan]) =>
          (plan.Properties?.BackupPlan as { BackupPlanRule: Record<string, unknown>[] }).BackupPlanRule,
      );
      expect(rules.length, region).toBeGreaterThan(0);
      for (const rule of rules) {
        expect(rule.TargetBackupVault, region).toEqual({ 'Fn::GetAtt': [vaults[0]?.[0], 'BackupVaultName'] });
        expect(rule).not.toHaveProperty('CopyActions');
      }
    }
  });
});

describe('deploy order', () => {
  it('deploys the EEA data stack before the US and India data stacks, which replicate into it, and only those', () => {
    // Act
    const dependsOnEea = hostingRegionKeys.filter((region) =>
      platform.assembly
        .getStackByName(stackNames(region).data)
        .dependencies.some((dependency) => dependency.id === stackNames(eeaRegionKey).data),
    );

    // Assess
    expect(dependsOnEea).toEqual(['us', 'in']);
  });
});

describe('workflow execution data', () => {
  /** A Catch that keeps the error puts `{ Error, Cause }` there; the cause may quote data. */
  const keepsNameOnly = (state: Record<string, unknown> | undefined) =>
    state?.Type === 'Pass' &&
    JSON.stringify(state.Parameters) === JSON.stringify({ 'Error.$': '$.error.Error' }) &&
    state.ResultPath === '$.error';

  it('holds error names only: every Catch that keeps the error leads to a state that keeps only its name', () => {
    // Prepare
    const machines = everyStateMachine(platform);
    const catches = machines.flatMap(({ region, id, definition }) => {
      const states = new Map(allStates(definition));
      return [...states].flatMap(([name, state]) =>
        ((state.Catch as { ResultPath?: string | null; Next: string }[] | undefined) ?? []).map((c) => ({
          where: `${region} ${id} ${name} -> ${c.Next}`,
          discarded: c.ResultPath === null,
          next: states.get(c.Next),
        })),
      );
    });

    // Assess: every workflow has Catches, and each discards the error or hands it to KeepErrorName.
    expect(machines.length).toBeGreaterThanOrEqual(9);
    expect(catches.length).toBeGreaterThan(machines.length);
    for (const { where, discarded, next } of catches) {
      expect(discarded || keepsNameOnly(next), where).toBe(true);
    }
  });

  it('ends failed executions with the error name and a fixed cause, never one taken from the error', () => {
    // Prepare
    const fails = everyStateMachine(platform).flatMap(({ region, id, definition }) =>
      allStates(definition)
        .filter(([, state]) => state.Type === 'Fail')
        .map(([name, state]) => ({ where: `${region} ${id} ${name}`, state })),
    );

    // Assess
    expect(fails.length).toBeGreaterThanOrEqual(9);
    for (const { where, state } of fails) {
      expect(state, where).not.toHaveProperty('CausePath');
      expect(state.ErrorPath ?? state.Error, where).toBe('$.error.Error');
      expect(String(state.Cause), where).not.toMatch(/\$/);
    }
  });

  it('keeps error causes out of every state input: no path or parameter reads a Cause', () => {
    // Prepare
    const definitions = everyStateMachine(platform).map(({ region, id, definition }) => ({
      where: `${region} ${id}`,
      text: JSON.stringify(definition),
    }));

    // Assess
    for (const { where, text } of definitions) expect(text, where).not.toMatch(/\.Cause/);
  });
});
