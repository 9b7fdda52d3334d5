import { RemovalPolicy } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { CfnSubscriptionFilter, LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { LogArchiveRouteName } from '#lib/platform/log-archive';
import { type HostingRegionKey, retention } from '#lib/residency/index';
import { logArchiveStreamArn, logSubscriptionRoleArn } from './region-log-archive.ts';

/** CloudWatch only accepts certain retention periods; the promised number must be one of them. */
export function retentionDaysOf(days: number): RetentionDays {
  const match = (Object.values(RetentionDays) as unknown[]).find((value) => value === days);
  if (match === undefined) throw new Error(`CloudWatch Logs has no retention period of ${days} days`);
  return match as RetentionDays;
}

/** The route a log group's events take into its own hosting region's log archive. */
export interface LogArchiveTarget {
  /** The hosting region of the stack the log group is in. */
  readonly region: HostingRegionKey;
  readonly route: LogArchiveRouteName;
}

/** A log group that cannot feed the archive, with the reason (e.g. the archive's own delivery errors). */
export interface NotArchived {
  readonly notArchivedBecause: string;
}

export interface PlatformLogGroupProps {
  /** The region's logs key. */
  readonly encryptionKey: IKey;
  /** Where the log group's events are archived in S3; required so no log group is left out by accident. */
  readonly archive: LogArchiveTarget | NotArchived;
}

/**
 * A log group that keeps the platform's logging promise: `retention.logGroupDays` (one year), encrypted
 * with the region's logs key, retained when its (stateless) stack is deleted so that deleting a stack
 * never cuts the year short, and subscribed (every event) to its region's log-archive delivery stream for
 * its route. The stream and the subscription role are named, not imported: the log group's stack must
 * deploy after the region's data stack, which creates them.
 */
export class PlatformLogGroup extends Construct {
  readonly logGroup: LogGroup;
  readonly subscription?: CfnSubscriptionFilter;

  constructor(scope: Construct, id: string, props: PlatformLogGroupProps) {
    super(scope, id);
    this.logGroup = new LogGroup(this, 'LogGroup', {
      retention: retentionDaysOf(retention.logGroupDays),
      encryptionKey: props.encryptionKey,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const { archive } = props;
    if ('notArchivedBecause' in archive) {
      if (archive.notArchivedBecause.trim().length === 0)
        throw new Error(`Log group ${this.node.path} is not archived and needs a reason`);
      return;
    }
    this.subscription = new CfnSubscriptionFilter(this, 'ToArchive', {
      logGroupName: this.logGroup.logGroupName,
      filterPattern: '',
      destinationArn: logArchiveStreamArn(this, archive.region, archive.route),
      roleArn: logSubscriptionRoleArn(this, archive.region),
    });
  }
}
