import { beforeAll, describe, expect, it } from 'vitest';
import { backupCopies } from '#domain/privacy/backup-copies';
import { tableName } from '#lib/platform/names';
import { hostingRegionKeys } from '#lib/residency/index';
import { resourcesOfType, type SynthesizedPlatform, synthesizePlatform } from './platform.ts';

let platform: SynthesizedPlatform;

beforeAll(() => {
  platform = synthesizePlatform();
});

describe("the erasure certificate's account of backups", () => {
  it.each(hostingRegionKeys)(
    'names the days point-in-time recovery and AWS Backup keep copies in %s: 35',
    (region) => {
      // Prepare
      const data = platform.regions[region].data;

      // Act
      const copies = backupCopies();
      // The records table; the subject-key table keeps one day on purpose (subject-key-table.test.ts).
      const recoveryDays = resourcesOfType(data, 'AWS::DynamoDB::Table')
        .filter(([, table]) => table.Properties?.TableName === tableName(region))
        .map(
          ([, table]) =>
            (table.Properties?.PointInTimeRecoverySpecification as { RecoveryPeriodInDays?: number })
              .RecoveryPeriodInDays,
        );
      const backupDays = resourcesOfType(data, 'AWS::Backup::BackupPlan').flatMap(([, plan]) =>
        (
          plan.Properties?.BackupPlan as { BackupPlanRule: { Lifecycle: { DeleteAfterDays: number } }[] }
        ).BackupPlanRule.map((rule) => rule.Lifecycle.DeleteAfterDays),
      );

      // Assess
      expect(copies.point_in_time_recovery_days).toBe(35);
      expect(copies.aws_backup_days).toBe(35);
      expect(recoveryDays).toEqual([35]);
      expect(new Set(backupDays)).toEqual(new Set([35]));
      expect(copies.statement).toContain('35 days');
    },
  );
});
