import { retention } from '#lib/residency/index';

/**
 * What stays where after an erasure, said plainly on its certificate: the region's point-in-time
 * recovery of the table and its daily AWS Backup (table and data buckets) keep copies made before the
 * erasure for up to `retention.backupDays`, then they are gone; nothing else keeps a copy (a soft
 * erasure's own trash aside, until its purge). The same number configures both (lib/constructs).
 * Within those copies the subject's personal fields are sealed under their own key (docs/encryption.md).
 */
export function backupCopies() {
  return {
    point_in_time_recovery_days: retention.backupDays,
    aws_backup_days: retention.backupDays,
    statement:
      `Copies made before this erasure remain only in the region's point-in-time recovery of the table ` +
      `and in its daily AWS Backup (table and buckets), each for up to ${retention.backupDays} days, ` +
      `after which they are gone. Nothing else keeps a copy. A soft erasure's trash is kept until it is ` +
      `restored or purged. In those copies the subject's personal fields are encrypted under the ` +
      `subject's own key: once it is destroyed (subject_key) and ${retention.subjectKeyRecoveryDays} day ` +
      `has passed, no copy can be read. Stored files (attachments, recordings) are not covered by the key.`,
  };
}
