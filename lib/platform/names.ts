import { type HostingRegionKey, hostingRegionKeys } from '#lib/residency/index';

/** Prefix of every stack and resource name; one deployment per AWS account. */
export const platformPrefix = 'Helpdesk';
const lowerPrefix = 'helpdesk';

export const stackNames = (region: HostingRegionKey) => ({
  data: `${platformPrefix}-${region}-Data`,
  api: `${platformPrefix}-${region}-Api`,
  workflows: `${platformPrefix}-${region}-Workflows`,
});

/**
 * Physical names derived from the hosting region (and, for globally unique bucket names, the AWS
 * account). Another region's stack can name these resources without cross-stack exports.
 */
export const tableName = (region: HostingRegionKey) => `${lowerPrefix}-${region}-records`;

/** The table of a hosting region's subject keys (wrapped data keys of data subjects; docs/encryption.md). */
export const subjectKeyTableName = (region: HostingRegionKey) => `${lowerPrefix}-${region}-subject-keys`;

/** The hosting region of a records table, by its deterministic name (`tableName`). */
export function regionOfTable(name: string): HostingRegionKey {
  const region = hostingRegionKeys.find((key) => tableName(key) === name);
  if (!region) throw new Error('No hosting region has this records table');
  return region;
}

export const bucketName = (region: HostingRegionKey, kind: string, awsAccountId: string) =>
  `${lowerPrefix}-${region}-${kind}-${awsAccountId}`;

/**
 * The keys of call recordings (`accounts/<account>/calls/<call>/recording`, ids only) as an IAM and
 * `s3:prefix` pattern: what roles that delete staged recordings may touch in the staging bucket.
 */
export const recordingKeyPattern = 'accounts/*/calls/*/recording';

export const keyAlias = (region: HostingRegionKey, purpose: 'data' | 'logs') =>
  `alias/${lowerPrefix}-${region}-${purpose}`;

export const backupVaultName = (region: HostingRegionKey) => `${lowerPrefix}-${region}-vault`;

/** The CloudTrail trail that records S3 data events of a hosting region's buckets into its logs bucket. */
export const trailName = (region: HostingRegionKey) => `${lowerPrefix}-${region}-data-events`;

export const backupPlanName = (region: HostingRegionKey) => `${lowerPrefix}-${region}-daily`;

export const httpApiName = (region: HostingRegionKey) => `${lowerPrefix}-${region}-api`;

/** The managed policy the vendor attaches to its operator roles (invoke the region's operator routes). */
export const operatorPolicyName = (region: HostingRegionKey) => `${lowerPrefix}-${region}-operator-access`;

/** The Firehose delivery stream that carries one log route of a hosting region into its logs bucket. */
export const logArchiveStreamName = (region: HostingRegionKey, route: string) =>
  `${lowerPrefix}-${region}-logs-${route}`;

/** The role CloudWatch Logs of a hosting region assumes to put subscribed log events into its streams. */
export const logSubscriptionRoleName = (region: HostingRegionKey) =>
  `${lowerPrefix}-${region}-logs-subscription`;

/** The role S3 assumes to replicate a hosting region's helpdesk and service-desk logs to the EEA copy. */
export const logCopyReplicationRoleName = (region: HostingRegionKey) =>
  `${lowerPrefix}-${region}-log-copies-to-eea`;

/** The state machine that exports a data subject's data in a hosting region (named: the API builds its ARN). */
export const privacyExportStateMachineName = (region: HostingRegionKey) =>
  `${lowerPrefix}-${region}-privacy-export`;

/** The state machine that erases a data subject (and restores or purges a soft erasure's trash) in a region. */
export const privacyErasureStateMachineName = (region: HostingRegionKey) =>
  `${lowerPrefix}-${region}-privacy-erasure`;
/** The state machine of the daily 60-day purge of soft-deleted records in a region (its starter builds the ARN). */
export const recordPurgeStateMachineName = (region: HostingRegionKey) =>
  `${lowerPrefix}-${region}-record-purge`;
/** The state machine that imports a migration in a hosting region (named: the API builds its ARN). */
export const migrationStateMachineName = (region: HostingRegionKey) => `${lowerPrefix}-${region}-migration`;

/** The state machine that applies a bulk ticket job (v2 bulk_update, bulk_delete) in a hosting region. */
export const ticketJobStateMachineName = (region: HostingRegionKey) => `${lowerPrefix}-${region}-ticket-jobs`;

/** The ARN of a named state machine, built without a reference to the stack that makes it. */
export const stateMachineArn = (partition: string, awsRegion: string, awsAccountId: string, name: string) =>
  `arn:${partition}:states:${awsRegion}:${awsAccountId}:stateMachine:${name}`;

/** The ARN Step Functions gives execution `name` of a state machine (`*`: all its executions, in IAM). */
export const executionArn = (machineArn: string, name: string) =>
  `${machineArn.replace(':stateMachine:', ':execution:')}:${name}`;
/** The state machine that runs every account's retention rules in a hosting region, once a day. */
export const retentionStateMachineName = (region: HostingRegionKey) => `${lowerPrefix}-${region}-retention`;
