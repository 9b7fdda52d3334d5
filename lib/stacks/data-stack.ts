import { Stack, type StackProps, Tags } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { pascalCase } from '#lib/constructs/construct-ids';
import { DataEventsTrail } from '#lib/constructs/data-events-trail';
import { admitOnlyLogCopyReplication, EeaLogCopyReplication } from '#lib/constructs/eea-log-copy-replication';
import { RecordsTable } from '#lib/constructs/records-table';
import { RegionBackup } from '#lib/constructs/region-backup';
import { RegionKeys } from '#lib/constructs/region-keys';
import { RegionLogArchive } from '#lib/constructs/region-log-archive';
import { SecureBucket } from '#lib/constructs/secure-bucket';
import { SsoUserPool } from '#lib/constructs/sso-user-pool';
import { SubjectKeyTable } from '#lib/constructs/subject-key-table';
import { type BucketKind, bucketsIn } from '#lib/platform/bucket-design';
import { logRoutesCopiedToEea } from '#lib/platform/log-archive';
import { eeaRegionKey, type HostingRegionKey } from '#lib/residency/index';

export interface DataStackProps extends StackProps {
  readonly region: HostingRegionKey;
}

/**
 * Buckets the daily backup covers. Not `logs` (an archived log must be gone after its year, not live on
 * in a recovery point) and not `recording-staging` (a staged recording must leave the US after its hold,
 * no copy stays behind). Unversioned buckets (trash, exports) are short-lived by design, and the EEA log
 * copies are deleted after 30 days.
 */
const backedUpBuckets: readonly BucketKind[] = ['attachments', 'recordings'];

/**
 * The stateful half of a hosting region: keys, the records table, the subject-key table, the buckets of `bucketsIn(region)`,
 * the data-events trail, the log archive's delivery streams, the EEA log-copy replication (US and India
 * only) and the backup plan. Changes rarely, protected against termination.
 *
 * Deploy order: the US and India data stacks replicate into the EEA log-copy bucket, so the EEA data
 * stack goes first.
 */
export class DataStack extends Stack {
  readonly hostingRegion: HostingRegionKey;
  readonly keys: RegionKeys;
  readonly table: RecordsTable;
  /** Subjects' wrapped data keys: PITR one day, in no backup plan (docs/encryption.md). */
  readonly subjectKeys: SubjectKeyTable;
  readonly buckets: ReadonlyMap<BucketKind, SecureBucket>;
  readonly trail: DataEventsTrail;
  readonly logArchive: RegionLogArchive;
  /** Only in the regions that copy helpdesk and service-desk logs to the EEA. */
  readonly logCopyReplication?: EeaLogCopyReplication;
  readonly backup: RegionBackup;
  /** The Cognito user pool federating customers' SAML identity providers (docs/sso.md). */
  readonly ssoUserPool: SsoUserPool;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, { terminationProtection: true, ...props });
    const { region } = props;
    this.hostingRegion = region;
    Tags.of(this).add('hosting-region', region);
    Tags.of(this).add('stack-kind', 'data');

    this.keys = new RegionKeys(this, 'Keys', { region });
    this.table = new RecordsTable(this, 'Records', { region, encryptionKey: this.keys.data });
    // Deliberately not given to RegionBackup: its keys must be gone a day after they are destroyed.
    this.subjectKeys = new SubjectKeyTable(this, 'SubjectKeys', { region, encryptionKey: this.keys.data });

    const buckets = new Map<BucketKind, SecureBucket>();
    for (const design of bucketsIn(region)) {
      buckets.set(
        design.kind,
        new SecureBucket(this, `${pascalCase(design.kind)}Bucket`, {
          region,
          design,
          encryptionKey: this.keys.data,
        }),
      );
    }
    this.buckets = buckets;

    const logs = this.bucket('logs');
    this.trail = new DataEventsTrail(this, 'DataEventsTrail', {
      region,
      destination: logs,
      buckets: [...buckets.values()].filter((bucket) => bucket !== logs),
      encryptionKey: this.keys.logs,
    });

    this.logArchive = new RegionLogArchive(this, 'LogArchive', {
      region,
      destination: logs,
      encryptionKey: this.keys.logs,
    });
    const copiedRoutes = logRoutesCopiedToEea(region);
    if (copiedRoutes.length > 0) {
      this.logCopyReplication = new EeaLogCopyReplication(this, 'EeaLogCopyReplication', {
        region,
        source: logs,
        sourceKey: this.keys.logs,
        routes: copiedRoutes,
      });
    }
    if (region === eeaRegionKey) admitOnlyLogCopyReplication(this.bucket('eea-log-copies'));

    // Agents' federated identities (SAML) stay in the region: its own pool, referenced by nothing outside.
    this.ssoUserPool = new SsoUserPool(this, 'SsoUserPool', { region });

    this.backup = new RegionBackup(this, 'Backup', {
      region,
      encryptionKey: this.keys.data,
      table: this.table,
      buckets: backedUpBuckets.flatMap((kind) => buckets.get(kind) ?? []),
    });
  }

  /** The region's bucket of `kind`; throws if this hosting region has none. */
  bucket(kind: BucketKind): SecureBucket {
    const bucket = this.buckets.get(kind);
    if (!bucket) throw new Error(`Hosting region ${this.hostingRegion} has no ${kind} bucket`);
    return bucket;
  }
}
