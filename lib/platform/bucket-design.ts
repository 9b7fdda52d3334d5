import {
  eeaRegionKey,
  type HostingRegionKey,
  recordingStagingRegionKey,
  regionsAllowingCategory,
  retention,
  trashPrefixes,
} from '#lib/residency/index';

/**
 * Every S3 bucket of a hosting region, described once and read by the CDK construct and the local
 * bootstrap. `expireAfterDays` is when current objects are deleted; versioned buckets also delete
 * noncurrent versions `retention.noncurrentVersionDays` after they stop being current, so a promise
 * of "deleted after N days" is kept for every version.
 */
export const bucketKinds = [
  'attachments',
  'recordings',
  'recording-staging',
  'logs',
  'trash',
  'exports',
  'eea-log-copies',
  'migrations',
] as const;
export type BucketKind = (typeof bucketKinds)[number];

export interface BucketDesign {
  readonly kind: BucketKind;
  readonly purpose: string;
  /** Keep old versions so an overwrite or delete cannot lose data. */
  readonly versioned: boolean;
  /** Days after which current objects expire; undefined keeps them until the platform deletes them. */
  readonly expireAfterDays?: number;
  /**
   * Limits the `expireAfterDays` rule to these key prefixes: objects under other keys stay until the
   * platform deletes them (the trash's copies a legal hold keeps). Unset: the rule covers every key.
   */
  readonly expireOnlyUnder?: readonly string[];
  /** Key prefixes whose current objects expire sooner than `expireAfterDays`. */
  readonly expireSoonerUnder?: readonly { readonly prefix: string; readonly days: number }[];
  /** The hosting regions that have this bucket. */
  readonly regions: readonly HostingRegionKey[];
  /** Object events go to EventBridge (the staging bucket's arrivals start transfers). */
  readonly emitsEvents?: boolean;
}

const everyRegion: readonly HostingRegionKey[] = ['us', 'eea', 'in', 'au'];

export const bucketDesigns: readonly BucketDesign[] = [
  {
    kind: 'attachments',
    purpose: 'ticket and conversation attachments and inline images',
    versioned: true,
    regions: everyRegion,
  },
  {
    kind: 'recordings',
    purpose: 'call recordings at rest in the home region',
    versioned: true,
    regions: regionsAllowingCategory('call_recordings'),
  },
  {
    kind: 'recording-staging',
    purpose: 'US-made recordings of EEA accounts during the 10-minute hold; never expired unmoved',
    versioned: true,
    regions: [recordingStagingRegionKey],
    emitsEvents: true,
  },
  {
    kind: 'logs',
    purpose:
      'log archive: application and API access logs (via Firehose), audit logs of object access (CloudTrail)',
    versioned: true,
    expireAfterDays: retention.logDays,
    regions: everyRegion,
  },
  {
    kind: 'trash',
    purpose: 'soft-deleted objects, restorable until purged; those a legal hold keeps, until it ends',
    versioned: false,
    expireAfterDays: retention.trashDays,
    // Held copies (under trashPrefixes.legalHolds) are out of the backstop's reach.
    expireOnlyUnder: [trashPrefixes.erasures],
    regions: everyRegion,
  },
  {
    kind: 'exports',
    purpose: 'data-subject export bundles behind presigned URLs',
    versioned: false,
    expireAfterDays: retention.exportDays,
    regions: everyRegion,
  },
  {
    kind: 'eea-log-copies',
    purpose: 'copies of US and India helpdesk and service-desk logs, deleted after 30 days',
    // S3 replication needs a versioned destination; old versions go a day after they stop being current.
    versioned: true,
    expireAfterDays: retention.eeaLogCopyDays,
    regions: [eeaRegionKey],
  },
  {
    kind: 'migrations',
    purpose: 'uploaded migration exports, their chunks and error reports, in the account home region',
    // Not versioned: a re-upload replaces a file, and no old copy of imported data should linger.
    versioned: false,
    // Files are deleted when their migration completes; this catches those of unfinished ones.
    expireAfterDays: retention.migrationDays,
    // Error reports (see migration-files.ts) are kept one week.
    expireSoonerUnder: [{ prefix: 'migration-reports/', days: retention.migrationReportDays }],
    regions: everyRegion,
  },
];

export function bucketsIn(region: HostingRegionKey): BucketDesign[] {
  return bucketDesigns.filter((design) => design.regions.includes(region));
}
