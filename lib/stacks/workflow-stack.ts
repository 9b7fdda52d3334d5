import { CrossStackReferences, ReferenceStrength, Stack, type StackProps, Tags } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { PrivacyErasureWorkflow } from '#lib/constructs/privacy-erasure-workflow';
import { MigrationWorkflow } from '#lib/constructs/migration-workflow';
import { PrivacyExportWorkflow } from '#lib/constructs/privacy-export-workflow';
import { RecordingTransferWorkflow } from '#lib/constructs/recording-transfer-workflow';
import { RecordPurgeWorkflow } from '#lib/constructs/record-purge-workflow';
import { RetentionWorkflow } from '#lib/constructs/retention-workflow';
import { TicketJobWorkflow } from '#lib/constructs/ticket-job-workflow';
import { bucketName } from '#lib/platform/names';
import {
  eeaRegionKey,
  type HostingRegionKey,
  hostingRegions,
  recordingStagingRegionFor,
} from '#lib/residency/index';
import type { DataStack } from './data-stack.ts';

export interface WorkflowStackProps extends StackProps {
  readonly region: HostingRegionKey;
  /** The same hosting region's data stack. */
  readonly data: DataStack;
}

/**
 * The Step Functions workflows of a hosting region (stateless, redeploys freely): in every region the
 * export of a data subject's data and their erasure (with the restore and purge of soft erasures' trash and
 * the hourly deadline watch), the daily 60-day purge of soft-deleted records, the import of migrations and bulk ticket jobs, processing only that region's table and
 * buckets. In the
 * recording staging region (US) it also holds the transfer of EEA accounts' recordings to the EEA. It names the EEA's
 * bucket, table and key by their deterministic names, so it deploys without the EEA stacks, but a
 * transfer only succeeds once the EEA data stack exists: deploy `Helpdesk-eea-Data` first.
 */
export class WorkflowStack extends Stack {
  readonly recordingTransfer?: RecordingTransferWorkflow;
  readonly privacyExport: PrivacyExportWorkflow;
  readonly privacyErasure: PrivacyErasureWorkflow;
  readonly migration: MigrationWorkflow;
  readonly recordPurge: RecordPurgeWorkflow;
  readonly retention: RetentionWorkflow;
  readonly ticketJobs: TicketJobWorkflow;

  constructor(scope: Construct, id: string, props: WorkflowStackProps) {
    super(scope, id, props);
    const { region, data } = props;
    Tags.of(this).add('hosting-region', region);
    Tags.of(this).add('stack-kind', 'workflows');
    CrossStackReferences.of(this).consume(ReferenceStrength.STRONG);
    this.addStackDependency(data);

    const staging = data.buckets.get('recording-staging');
    if (staging) {
      this.recordingTransfer = new RecordingTransferWorkflow(this, 'RecordingTransfer', {
        stagingRegion: region,
        homeRegion: eeaRegionKey,
        stagingBucketName: staging.bucketName,
        stagingDataKey: data.keys.data,
        logsKey: data.keys.logs,
      });
    }
    // After the transfer, so the transfer stays the US stack's first state machine.
    this.privacyExport = new PrivacyExportWorkflow(this, 'PrivacyExport', {
      region,
      tableName: data.table.tableName,
      exportsBucketName: data.bucket('exports').bucketName,
      attachmentsBucketName: data.bucket('attachments').bucketName,
      recordingsBucketName: data.buckets.get('recordings')?.bucketName,
      dataKey: data.keys.data,
      logsKey: data.keys.logs,
    });
    const stagingRegion = recordingStagingRegionFor(region);
    // Named, not imported: the staging bucket is another region's (the EEA's recordings wait in the US).
    const recordingStaging = stagingRegion && {
      bucketName: bucketName(stagingRegion, 'recording-staging', this.account),
      awsRegion: hostingRegions[stagingRegion].awsRegion,
    };
    this.privacyErasure = new PrivacyErasureWorkflow(this, 'PrivacyErasure', {
      region,
      recordingStaging,
      tableName: data.table.tableName,
      attachmentsBucketName: data.bucket('attachments').bucketName,
      recordingsBucketName: data.buckets.get('recordings')?.bucketName,
      trashBucketName: data.bucket('trash').bucketName,
      exportsBucketName: data.bucket('exports').bucketName,
      migrationsBucketName: data.bucket('migrations').bucketName,
      dataKey: data.keys.data,
      logsKey: data.keys.logs,
      subjectKeyTableName: data.subjectKeys.tableName,
    });
    this.migration = new MigrationWorkflow(this, 'Migration', {
      region,
      tableName: data.table.tableName,
      migrationsBucketName: data.bucket('migrations').bucketName,
      dataKey: data.keys.data,
      logsKey: data.keys.logs,
    });
    this.recordPurge = new RecordPurgeWorkflow(this, 'RecordPurge', {
      region,
      recordingStaging,
      tableName: data.table.tableName,
      attachmentsBucketName: data.bucket('attachments').bucketName,
      recordingsBucketName: data.buckets.get('recordings')?.bucketName,
      dataKey: data.keys.data,
      logsKey: data.keys.logs,
    });
    this.retention = new RetentionWorkflow(this, 'Retention', {
      region,
      tableName: data.table.tableName,
      dataKey: data.keys.data,
      logsKey: data.keys.logs,
    });
    this.ticketJobs = new TicketJobWorkflow(this, 'TicketJobs', {
      region,
      tableName: data.table.tableName,
      dataKey: data.keys.data,
      logsKey: data.keys.logs,
    });
  }
}
