import type { ProductKey } from './products.ts';
import type { HostingRegionKey } from './regions.ts';

/** Every retention number the platform promises (brief: "Rules the platform must keep"). */
export const retention = {
  /** Logs of every product are kept for one year in their hosting region. */
  logDays: 365,
  /** Log groups keep exactly one year too (CloudWatch's ONE_YEAR is 365 days). */
  logGroupDays: 365,
  /** Helpdesk and service-desk logs of US and India are copied to the EEA and deleted there after 30 days. */
  eeaLogCopyDays: 30,
  /** Deleted data stays recoverable for 60 days, then is purged. */
  trashDays: 60,
  /** Export objects are kept this long: a bundle is offered for `exportOfferDays`, its objects go a day later. */
  exportDays: 8,
  /**
   * How long a completed export's bundle is offered (`available_until`). Each download URL lives an
   * hour at most and is minted per read: a URL dies with the temporary credentials that signed it.
   */
  exportOfferDays: 7,
  /** A US-made recording of an EEA account is held in the US for 10 minutes before it moves. */
  recordingHoldSeconds: 600,
  /** A recording still staged after this long raises the operators' alarm. */
  recordingStagingAlarmSeconds: 1800,
  /** Old object versions of buckets that hold data: gone one day after they stop being current. */
  noncurrentVersionDays: 1,
  /** Daily backups stay in the region's vault this long. */
  backupDays: 35,
  /**
   * Migration uploads and their chunks: deleted when the migration completes (and by an erasure in the
   * account), at the latest two weeks after upload, the time an admin has to resume a failed one.
   */
  migrationDays: 14,
  /** A completed migration's error report (source ids and reasons of refused rows): one week. */
  migrationReportDays: 7,
  /** GDPR Art. 12(3): one month to answer a data subject's request. */
  subjectRequestMonths: 1,
  /**
   * Point-in-time recovery of the subject-key table (the shortest AWS allows; no AWS Backup of it): a
   * destroyed subject key is gone from every copy this long after (docs/encryption.md).
   */
  subjectKeyRecoveryDays: 1,
} as const;

/**
 * The trash bucket's key prefixes (ids only after them): soft erasures' trash copies and work pages,
 * whose current objects expire after `trashDays` as the purge's backstop, and the copies a legal hold
 * keeps past the purge, which no lifecycle rule reaches (the purge deletes them once the hold ends).
 */
export const trashPrefixes = { erasures: 'erasures/', legalHolds: 'legal-holds/' } as const;

/** Hosting regions whose helpdesk and service-desk logs are also kept in the EEA (for 30 days). */
export const regionsCopyingLogsToEea: readonly HostingRegionKey[] = ['us', 'in'];

/** The products whose application logs those regions copy to the EEA; no other log leaves its region. */
export const productsCopyingLogsToEea: readonly ProductKey[] = ['helpdesk', 'service_desk'];

/** The hosting region that receives those log copies and the transferred call recordings. */
export const eeaRegionKey: HostingRegionKey = 'eea';

/** Where US-made recordings are staged before they move (the telephony runs in the US). */
export const recordingStagingRegionKey: HostingRegionKey = 'us';

/**
 * Where a home region's call recordings land first, if not at home: EEA accounts' calls run on US
 * telephony, so their recordings are staged in the US for the hold and then moved to the EEA.
 */
export function recordingStagingRegionFor(home: HostingRegionKey): HostingRegionKey | undefined {
  return home === eeaRegionKey ? recordingStagingRegionKey : undefined;
}
