import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { migrationKeys } from '#domain/migrations/migration-files';
import { heldTrashKeyOf, trashKeyOf } from '#domain/privacy/erasure-objects';
import { type BucketKind, bucketDesigns } from '#lib/platform/bucket-design';
import { backupVaultName, keyAlias, stackNames, tableName } from '#lib/platform/names';
import { tableDesign } from '#lib/platform/table-design';
import {
  type HostingRegionKey,
  hostingRegionKeys,
  hostingRegions,
  retention,
  trashPrefixes,
} from '#lib/residency/index';
import {
  bucketsByKind,
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

type LifecycleRuleJson = {
  Prefix?: string;
  ExpirationInDays?: number;
  NoncurrentVersionExpiration?: { NoncurrentDays: number };
  ExpiredObjectDeleteMarker?: boolean;
  AbortIncompleteMultipartUpload?: { DaysAfterInitiation: number };
  Status: string;
};

function lifecycleRules(bucket: CfnResourceJson): LifecycleRuleJson[] {
  const configuration = bucket.Properties?.LifecycleConfiguration as
    { Rules: LifecycleRuleJson[] } | undefined;
  return (configuration?.Rules ?? []).filter((rule) => rule.Status === 'Enabled');
}

function isVersioned(bucket: CfnResourceJson): boolean {
  return (
    (bucket.Properties?.VersioningConfiguration as { Status?: string } | undefined)?.Status === 'Enabled'
  );
}

describe('the retention numbers the brief promises', () => {
  it('keeps logs a year, EEA log copies 30 days and trash 60 days', () => {
    // Assess
    expect(retention.logDays).toBe(365);
    expect(retention.logGroupDays).toBe(365);
    expect(retention.eeaLogCopyDays).toBe(30);
    expect(retention.trashDays).toBe(60);
  });
});

describe.each(hostingRegionKeys)('data stack of %s', (region) => {
  const data = () => platform.regions[region].data;

  describe('buckets', () => {
    it('has call recordings only in the US and the EEA, staging only in the US, log copies only in the EEA', () => {
      // Prepare
      const expected: Record<HostingRegionKey, BucketKind[]> = {
        us: ['attachments', 'recordings', 'recording-staging', 'logs', 'trash', 'exports', 'migrations'],
        eea: ['attachments', 'recordings', 'logs', 'trash', 'exports', 'eea-log-copies', 'migrations'],
        in: ['attachments', 'logs', 'trash', 'exports', 'migrations'],
        au: ['attachments', 'logs', 'trash', 'exports', 'migrations'],
      };

      // Act
      const kinds = [...bucketsByKind(data(), region).keys()];

      // Assess
      expect(kinds.sort()).toEqual([...expected[region]].sort());
    });

    it('expires current objects of logs after 365, trash after 60, EEA log copies after 30 days, and nothing else early', () => {
      // Prepare
      const promised: Partial<Record<BucketKind, number>> = {
        logs: retention.logDays,
        trash: retention.trashDays,
        'eea-log-copies': retention.eeaLogCopyDays,
        exports: retention.exportDays,
        migrations: retention.migrationDays,
      };
      const buckets = bucketsByKind(data(), region);

      // Act: the rule of each bucket's current objects (the trash's covers only erasures/, see below).
      const expiresCurrent = (kind: BucketKind, rule: LifecycleRuleJson) =>
        rule.Prefix === undefined ||
        (bucketDesigns.find((design) => design.kind === kind)?.expireOnlyUnder ?? []).includes(rule.Prefix);
      const expirations = Object.fromEntries(
        [...buckets].map(([kind, [, bucket]]) => [
          kind,
          lifecycleRules(bucket).flatMap((rule) =>
            rule.ExpirationInDays === undefined || !expiresCurrent(kind, rule) ? [] : [rule.ExpirationInDays],
          ),
        ]),
      );

      // Assess
      for (const kind of buckets.keys()) {
        const days = promised[kind];
        expect(expirations[kind], `${kind} expiration`).toEqual(days === undefined ? [] : [days]);
      }
      if (buckets.has('eea-log-copies')) expect(expirations['eea-log-copies']).toEqual([30]);
      expect(expirations.logs).toEqual([365]);
      expect(expirations.trash).toEqual([60]);
    });

    it('expires migration error reports after 7 days, and no other prefix of any bucket sooner', () => {
      // Prepare
      const buckets = bucketsByKind(data(), region);

      // Act
      const prefixRules = [...buckets].flatMap(([kind, [, bucket]]) =>
        lifecycleRules(bucket)
          .filter((rule) => rule.Prefix !== undefined)
          .map((rule) => ({ kind, prefix: rule.Prefix, days: rule.ExpirationInDays })),
      );

      // Assess: the rule's prefix is where the migration workflow writes its reports (the trash's is its own).
      expect(prefixRules).toEqual([
        { kind: 'trash', prefix: 'erasures/', days: retention.trashDays },
        { kind: 'migrations', prefix: 'migration-reports/', days: 7 },
      ]);
      expect(retention.migrationReportDays).toBe(7);
      expect(migrationKeys.report('a', 1).startsWith('migration-reports/')).toBe(true);
      expect(migrationKeys.files('a', 1).startsWith('migration-reports/')).toBe(false);
    });

    it('expires the trash only under erasures/, so copies a legal hold keeps (legal-holds/) stay until purged', () => {
      // Prepare
      const trash = bucketsByKind(data(), region).get('trash')?.[1];
      const object = { bucket: 'attachments' as const, key: 'accounts/a/attachments/7' };

      // Act
      const expiring = lifecycleRules(trash ?? { Type: '' }).filter(
        (rule) => rule.ExpirationInDays !== undefined,
      );

      // Assess: the erasure workflow keeps trash copies under the rule's prefix, held copies outside it.
      expect(expiring.map(({ Prefix, ExpirationInDays }) => ({ Prefix, ExpirationInDays }))).toEqual([
        { Prefix: trashPrefixes.erasures, ExpirationInDays: retention.trashDays },
      ]);
      expect(trashKeyOf('a', 5, object).startsWith(trashPrefixes.erasures)).toBe(true);
      expect(heldTrashKeyOf('a', 5, object).startsWith(trashPrefixes.legalHolds)).toBe(true);
      expect(trashPrefixes.legalHolds.startsWith(trashPrefixes.erasures)).toBe(false);
    });

    it('expires noncurrent versions and cleans expired delete markers on every versioned bucket', () => {
      // Prepare
      const buckets = bucketsByKind(data(), region);
      const versionedKinds = bucketDesigns
        .filter((d) => d.versioned && buckets.has(d.kind))
        .map((d) => d.kind);

      // Act
      const versioned = [...buckets].filter(([, [, bucket]]) => isVersioned(bucket));

      // Assess
      expect(versioned.map(([kind]) => kind).sort()).toEqual([...versionedKinds].sort());
      for (const [kind, [, bucket]] of versioned) {
        const rules = lifecycleRules(bucket);
        expect(
          rules.some(
            (rule) => rule.NoncurrentVersionExpiration?.NoncurrentDays === retention.noncurrentVersionDays,
          ),
          `${kind} noncurrent expiry`,
        ).toBe(true);
        expect(
          rules.some((rule) => rule.ExpiredObjectDeleteMarker === true),
          `${kind} delete markers`,
        ).toBe(true);
      }
    });

    it('aborts incomplete multipart uploads after one day on every bucket', () => {
      for (const [kind, [, bucket]] of bucketsByKind(data(), region)) {
        const days = lifecycleRules(bucket).map(
          (rule) => rule.AbortIncompleteMultipartUpload?.DaysAfterInitiation,
        );
        expect(days, kind).toContain(1);
      }
    });

    it('encrypts every bucket with SSE-KMS under the data key, with S3 Bucket Keys', () => {
      // Prepare
      const dataKeyId = keyIdOf(data(), keyAlias(region, 'data'));

      // Act
      const buckets = bucketsByKind(data(), region);

      // Assess
      for (const [kind, [, bucket]] of buckets) {
        expect(bucket.Properties?.BucketEncryption, kind).toEqual({
          ServerSideEncryptionConfiguration: [
            {
              BucketKeyEnabled: true,
              ServerSideEncryptionByDefault: {
                SSEAlgorithm: 'aws:kms',
                KMSMasterKeyID: { 'Fn::GetAtt': [dataKeyId, 'Arn'] },
              },
            },
          ],
        });
      }
    });

    it('blocks all public access and retains every bucket', () => {
      for (const [kind, [, bucket]] of bucketsByKind(data(), region)) {
        expect(bucket.Properties?.PublicAccessBlockConfiguration, kind).toEqual({
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        });
        expect(bucket.DeletionPolicy, kind).toBe('Retain');
      }
    });

    it('denies every request without TLS in every bucket policy', () => {
      // Prepare
      const policies = resourcesOfType(data(), 'AWS::S3::BucketPolicy');

      // Act / Assess
      for (const [kind, [bucketId]] of bucketsByKind(data(), region)) {
        const policy = policies.find(([, p]) => (p.Properties?.Bucket as { Ref?: string }).Ref === bucketId);
        expect(policy, `${kind} policy`).toBeDefined();
        const statements = (
          policy?.[1].Properties?.PolicyDocument as { Statement: Record<string, unknown>[] }
        ).Statement;
        expect(statements, kind).toContainEqual(
          expect.objectContaining({
            Effect: 'Deny',
            Action: 's3:*',
            Principal: { AWS: '*' },
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        );
      }
    });
  });

  describe('keys', () => {
    it('rotates and retains both customer-managed keys', () => {
      for (const purpose of ['data', 'logs'] as const) {
        const key = data().json.Resources[keyIdOf(data(), keyAlias(region, purpose))];
        expect(key?.Properties?.EnableKeyRotation, purpose).toBe(true);
        expect(key?.DeletionPolicy, purpose).toBe('Retain');
      }
    });

    it("lets only this region's CloudWatch Logs use the logs key, for this account's log groups", () => {
      // Prepare
      const key = data().json.Resources[keyIdOf(data(), keyAlias(region, 'logs'))];
      const statements = (key?.Properties?.KeyPolicy as { Statement: Record<string, unknown>[] }).Statement;

      // Act
      const logs = statements.filter(
        (s) =>
          JSON.stringify(s.Principal) ===
          JSON.stringify({ Service: `logs.${hostingRegions[region].awsRegion}.amazonaws.com` }),
      );

      // Assess
      expect(logs).toHaveLength(1);
      const arnLike = (logs[0]?.Condition as { ArnLike: Record<string, unknown> }).ArnLike;
      const pattern = JSON.stringify(arnLike['kms:EncryptionContext:aws:logs:arn']);
      expect(pattern).toContain(`:logs:${hostingRegions[region].awsRegion}:`);
      expect(pattern).toContain('AWS::AccountId');
      expect(pattern).toContain(':log-group:*');
    });
  });

  describe('records table', () => {
    it('is on demand, point-in-time recoverable, deletion protected, TTL-enabled and retained', () => {
      // Assess
      data().template.hasResource('AWS::DynamoDB::Table', {
        DeletionPolicy: 'Retain',
        Properties: Match.objectLike({
          TableName: tableName(region),
          BillingMode: 'PAY_PER_REQUEST',
          PointInTimeRecoverySpecification: Match.objectLike({ PointInTimeRecoveryEnabled: true }),
          DeletionProtectionEnabled: true,
          TimeToLiveSpecification: { AttributeName: tableDesign.ttlAttribute, Enabled: true },
        }),
      });
    });

    it('is encrypted with the customer-managed data key', () => {
      data().template.hasResourceProperties('AWS::DynamoDB::Table', {
        SSESpecification: {
          SSEEnabled: true,
          SSEType: 'KMS',
          KMSMasterKeyId: { 'Fn::GetAtt': [keyIdOf(data(), keyAlias(region, 'data')), 'Arn'] },
        },
      });
    });

    it('has the key schema and the four string-keyed GSIs of the table design, projecting everything', () => {
      // Prepare
      const [[, table] = []] = resourcesOfType(data(), 'AWS::DynamoDB::Table');
      const props = table?.Properties as {
        KeySchema: unknown[];
        GlobalSecondaryIndexes: { IndexName: string; KeySchema: unknown[]; Projection: unknown }[];
        AttributeDefinitions: { AttributeName: string; AttributeType: string }[];
      };

      // Assess
      expect(props.KeySchema).toEqual([
        { AttributeName: tableDesign.partitionKey, KeyType: 'HASH' },
        { AttributeName: tableDesign.sortKey, KeyType: 'RANGE' },
      ]);
      expect(props.GlobalSecondaryIndexes).toHaveLength(4);
      expect(props.GlobalSecondaryIndexes).toEqual(
        tableDesign.indexes.map((index) => ({
          IndexName: index.name,
          KeySchema: [
            { AttributeName: index.partitionKey, KeyType: 'HASH' },
            { AttributeName: index.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        })),
      );
      for (const attribute of props.AttributeDefinitions) expect(attribute.AttributeType).toBe('S');
    });
  });

  describe('backups', () => {
    it('keeps recovery points in an encrypted vault of the region', () => {
      data().template.hasResource('AWS::Backup::BackupVault', {
        DeletionPolicy: 'Retain',
        Properties: Match.objectLike({
          BackupVaultName: backupVaultName(region),
          EncryptionKeyArn: { 'Fn::GetAtt': [keyIdOf(data(), keyAlias(region, 'data')), 'Arn'] },
        }),
      });
    });

    it('backs up daily for the promised days and never copies a recovery point elsewhere', () => {
      // Prepare
      const plans = resourcesOfType(data(), 'AWS::Backup::BackupPlan');

      // Act
      const rules = plans.flatMap(
        ([, plan]) =>
          (plan.Properties?.BackupPlan as { BackupPlanRule: Record<string, unknown>[] }).BackupPlanRule,
      );

      // Assess
      expect(plans).toHaveLength(1);
      expect(rules.length).toBeGreaterThan(0);
      for (const rule of rules) {
        expect(rule).not.toHaveProperty('CopyActions');
        expect(rule.Lifecycle).toEqual({ DeleteAfterDays: retention.backupDays });
      }
    });

    it('selects the table and never the log archive or the recording staging bucket', () => {
      // Prepare
      const buckets = bucketsByKind(data(), region);
      const [[tableId] = []] = resourcesOfType(data(), 'AWS::DynamoDB::Table');
      const [[, selection] = []] = resourcesOfType(data(), 'AWS::Backup::BackupSelection');

      // Act
      const selected = JSON.stringify(
        (selection?.Properties?.BackupSelection as { Resources: unknown[] }).Resources,
      );

      // Assess
      expect(selected).toContain(`"${tableId}"`);
      expect(selected).not.toContain(`"${buckets.get('logs')?.[0]}"`);
      const staging = buckets.get('recording-staging');
      if (staging) expect(selected).not.toContain(`"${staging[0]}"`);
    });
  });

  describe('data-events trail', () => {
    it('records object access of every bucket but the archive, in this region only, into the archive under the logs key', () => {
      // Prepare
      const buckets = bucketsByKind(data(), region);
      const [[, trail] = []] = resourcesOfType(data(), 'AWS::CloudTrail::Trail');
      const props = trail?.Properties as Record<string, unknown>;

      // Act
      const logged = JSON.stringify(props.EventSelectors);

      // Assess
      expect(props.IsMultiRegionTrail).toBe(false);
      expect(props.IncludeGlobalServiceEvents).toBe(false);
      expect(props.KMSKeyId).toEqual({ 'Fn::GetAtt': [keyIdOf(data(), keyAlias(region, 'logs')), 'Arn'] });
      expect(props.S3BucketName).toEqual({ Ref: buckets.get('logs')?.[0] });
      for (const [kind, [id]] of buckets) {
        if (kind === 'logs') expect(logged).not.toContain(`"${id}"`);
        else expect(logged, kind).toContain(`"${id}"`);
      }
    });
  });

  it('is termination protected and tagged with its hosting region', () => {
    // Act
    const artifact = platform.assembly.getStackByName(stackNames(region).data);

    // Assess
    expect(artifact.terminationProtection).toBe(true);
    expect(artifact.tags['hosting-region']).toBe(region);
  });
});
