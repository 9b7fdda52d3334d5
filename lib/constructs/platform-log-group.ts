import { RemovalPolicy } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { retention } from '#lib/residency/index';

/** CloudWatch only accepts certain retention periods; the promised number must be one of them. */
export function retentionDaysOf(days: number): RetentionDays {
  const match = (Object.values(RetentionDays) as unknown[]).find((value) => value === days);
  if (match === undefined) throw new Error(`CloudWatch Logs has no retention period of ${days} days`);
  return match as RetentionDays;
}

export interface PlatformLogGroupProps {
  /** The region's logs key. */
  readonly encryptionKey: IKey;
}

/**
 * A log group that keeps the platform's logging promise: `retention.logGroupDays` (one year), encrypted
 * with the region's logs key, and retained when its (stateless) stack is deleted so that deleting a stack
 * never cuts the year short.
 */
export class PlatformLogGroup extends Construct {
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: PlatformLogGroupProps) {
    super(scope, id);
    this.logGroup = new LogGroup(this, 'LogGroup', {
      retention: retentionDaysOf(retention.logGroupDays),
      encryptionKey: props.encryptionKey,
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
